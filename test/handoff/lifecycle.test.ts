import { describe, expect, it } from '@jest/globals';
import { evaluateHandoff } from '../../src/handoff/evaluate.js';
import { decideException, requestException } from '../../src/handoff/exceptions.js';
import {
  adoptTemplateVersion,
  allowedActions,
  createHandoff,
  type Handoff,
  type HandoffAction,
  nextAutomaticAction,
  transition,
} from '../../src/handoff/lifecycle.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { accountant, caught, completeFinanceData, csm, NOW, rep, revops, system, TZ } from './fixtures.js';

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const complete = evaluateHandoff(DEFAULT_CS_TO_FINANCE, completeFinanceData, { now: NOW, timeZone: TZ });
const incomplete = evaluateHandoff(
  DEFAULT_CS_TO_FINANCE,
  { ...completeFinanceData, poRequired: true },
  { now: NOW, timeZone: TZ },
);

function draft(): Handoff {
  return createHandoff({ id: 'h-1', dealId: 'd-1' }, DEFAULT_CS_TO_FINANCE, NOW);
}

/** Drives a handoff through the given actions, returning the final handoff. */
function through(actions: Array<[HandoffAction, typeof rep]>): Handoff {
  let h = draft();
  for (const [i, [action, actor]] of actions.entries()) h = transition(h, action, actor, at(i + 1)).handoff;
  return h;
}

const submit: HandoffAction = { type: 'submit', evaluation: complete };
const accept: HandoffAction = { type: 'accept' };
const reject: HandoffAction = {
  type: 'reject',
  reason: 'po_missing',
  note: 'PO is on its way, resubmit when it is here.',
};

const submitted = () => through([[submit, csm]]);
const accepted = () =>
  through([
    [submit, csm],
    [accept, accountant],
  ]);
const rejected = () =>
  through([
    [submit, csm],
    [reject, accountant],
  ]);
const pending = () =>
  through([
    [submit, csm],
    [accept, accountant],
    [{ type: 'start_billing' }, system],
  ]);
const failed = () =>
  through([
    [submit, csm],
    [accept, accountant],
    [{ type: 'start_billing' }, system],
    [{ type: 'billing_failed', error: 'Xero: contact name already exists' }, system],
  ]);

describe('createHandoff', () => {
  it('starts a draft bound to the template version, with the contract terms copied', () => {
    const h = draft();
    expect(h).toMatchObject({
      state: 'draft',
      templateId: 'default-cs-to-finance',
      templateVersion: 1,
      receivingOwner: { kind: 'team', teamId: 'finance' },
      submittedAt: null,
      submissions: 0,
    });
    expect(h.contract.toTeam).toBe('finance');
    expect(h.contract.rejectionReasons.map((r) => r.code)).toContain('po_missing');
  });
});

describe('transition: the happy path', () => {
  it('submits a complete draft and records the template version in the event', () => {
    const { handoff, event } = transition(draft(), submit, csm, at(1));
    expect(handoff).toMatchObject({ state: 'submitted', submittedAt: at(1).toISOString(), submissions: 1 });
    expect(event).toEqual({
      handoffId: 'h-1',
      type: 'submitted',
      actor: 'u-csm',
      at: at(1).toISOString(),
      from: 'draft',
      to: 'submitted',
      templateVersion: 1,
    });
  });

  it('lets a member of the receiving team accept', () => {
    const { handoff, event } = transition(submitted(), accept, accountant, at(5));
    expect(handoff).toMatchObject({ state: 'accepted', decidedAt: at(5).toISOString() });
    expect(event).toMatchObject({ type: 'accepted', from: 'submitted', to: 'accepted', actor: 'u-fin' });
  });

  it('rejects with a reason from the template’s list and a note', () => {
    const { handoff, event } = transition(submitted(), reject, accountant, at(5));
    expect(handoff).toMatchObject({ state: 'rejected', rejection: { reason: 'po_missing' } });
    expect(event).toMatchObject({
      type: 'rejected',
      from: 'submitted',
      to: 'rejected',
      reason: 'po_missing',
      note: 'PO is on its way, resubmit when it is here.',
    });
  });

  it('resubmits a rejected handoff back to submitted, restarting the SLA clock', () => {
    const { handoff, event } = transition(rejected(), { type: 'resubmit', evaluation: complete }, csm, at(60));
    expect(handoff).toMatchObject({
      state: 'submitted',
      submittedAt: at(60).toISOString(),
      decidedAt: null,
      submissions: 2,
    });
    expect(event).toMatchObject({ type: 'resubmitted', from: 'rejected', to: 'submitted' });
  });

  it('starts billing after acceptance, and says to do so automatically when the template asks', () => {
    expect(nextAutomaticAction(accepted())).toBe('start_billing');
    const { handoff, event } = transition(accepted(), { type: 'start_billing' }, system, at(10));
    expect(handoff.state).toBe('billing_pending');
    expect(event).toMatchObject({ type: 'billing_started', from: 'accepted', to: 'billing_pending', actor: 'system' });
  });

  it('does not start billing by itself when the template says not to', () => {
    const manual = {
      ...DEFAULT_CS_TO_FINANCE,
      policy: { ...DEFAULT_CS_TO_FINANCE.policy, autoStartBillingOnAcceptance: false },
    };
    let h = createHandoff({ id: 'h-2', dealId: 'd-1' }, manual, NOW);
    h = transition(h, submit, csm, at(1)).handoff;
    h = transition(h, accept, accountant, at(2)).handoff;
    expect(nextAutomaticAction(h)).toBeNull();
  });

  it('goes live when billing setup succeeds', () => {
    const { handoff, event } = transition(pending(), { type: 'billing_succeeded' }, system, at(20));
    expect(handoff.state).toBe('billing_live');
    expect(event).toMatchObject({ type: 'billing_live', from: 'billing_pending', to: 'billing_live' });
  });

  it('records the error when billing setup fails', () => {
    const h = failed();
    expect(h).toMatchObject({ state: 'billing_failed', billingError: 'Xero: contact name already exists' });
  });

  it('retries a failed billing setup back to pending and clears the error', () => {
    const { handoff, event } = transition(failed(), { type: 'retry_billing' }, accountant, at(30));
    expect(handoff).toMatchObject({ state: 'billing_pending', billingError: null });
    expect(event).toMatchObject({ type: 'billing_retried', from: 'billing_failed', to: 'billing_pending' });
  });
});

describe('transition: the thread', () => {
  it('records a question without changing the state', () => {
    const before = submitted();
    const { handoff, event } = transition(
      before,
      { type: 'ask', message: 'Is the PO per invoice or per year?' },
      accountant,
      at(9),
    );
    expect(handoff).toEqual(before);
    expect(event).toMatchObject({
      type: 'question',
      from: 'submitted',
      to: 'submitted',
      note: 'Is the PO per invoice or per year?',
    });
  });

  it('records an answer without changing the state, in any state', () => {
    const before = failed();
    const { handoff, event } = transition(before, { type: 'answer', message: 'Per year.' }, csm, at(9));
    expect(handoff).toEqual(before);
    expect(event).toMatchObject({ type: 'answer', from: 'billing_failed', to: 'billing_failed' });
  });
});

describe('transition: refusals', () => {
  it('refuses to submit an incomplete handoff and lists what is missing', () => {
    const err = caught(() => transition(draft(), { type: 'submit', evaluation: incomplete }, csm, at(1)));
    expect(err.code).toBe('invalid_transition');
    expect(err.message).toBe(
      'action.evaluation: Cannot submit an incomplete handoff: 1 blocking item left (PO number). Fix them or get an exception approved.',
    );
    expect(err.issues).toEqual([
      {
        path: 'data.poNumber',
        message: 'The customer requires a PO on every invoice ("No-PO, No-Go"): add the PO number.',
      },
    ]);
  });

  it('submits an incomplete handoff when an approved exception waives what is missing, naming the exception', () => {
    const ex = decideException(
      requestException(
        { id: 'ex-9', handoffId: 'h-1', reason: 'PO arrives after kickoff, AP confirmed.', waives: ['poNumber'] },
        DEFAULT_CS_TO_FINANCE,
        csm,
        NOW,
      ),
      { decision: 'approve' },
      revops,
      NOW,
    );
    const { handoff, event } = transition(
      draft(),
      { type: 'submit', evaluation: incomplete, exceptions: [ex] },
      csm,
      at(1),
    );
    expect(handoff.state).toBe('submitted');
    expect(event.exceptionIds).toEqual(['ex-9']);
  });

  it('ignores an exception approved for another handoff', () => {
    const ex = decideException(
      requestException(
        { id: 'ex-8', handoffId: 'h-other', reason: 'PO arrives after kickoff, AP confirmed.', waives: ['poNumber'] },
        DEFAULT_CS_TO_FINANCE,
        csm,
        NOW,
      ),
      { decision: 'approve' },
      revops,
      NOW,
    );
    const err = caught(() =>
      transition(draft(), { type: 'submit', evaluation: incomplete, exceptions: [ex] }, csm, at(1)),
    );
    expect(err.code).toBe('invalid_transition');
  });

  it('refuses an evaluation judged against another template version', () => {
    const v2 = evaluateHandoff({ ...DEFAULT_CS_TO_FINANCE, version: 2 }, completeFinanceData, {
      now: NOW,
      timeZone: TZ,
    });
    const err = caught(() => transition(draft(), { type: 'submit', evaluation: v2 }, csm, at(1)));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(
      'judged against default-cs-to-finance v2, but this handoff follows default-cs-to-finance v1',
    );
  });

  it('moves a draft onto a new template version, but not a submitted handoff', () => {
    expect(adoptTemplateVersion(draft(), { ...DEFAULT_CS_TO_FINANCE, version: 2 }, NOW).templateVersion).toBe(2);
    const err = caught(() => adoptTemplateVersion(submitted(), { ...DEFAULT_CS_TO_FINANCE, version: 2 }, NOW));
    expect(err.code).toBe('invalid_transition');
  });

  it('refuses acceptance by someone outside the receiving team', () => {
    const err = caught(() => transition(submitted(), accept, rep, at(2)));
    expect(err).toMatchObject({
      code: 'forbidden',
      path: 'actor.teams',
      message: 'actor.teams: Only the receiving team (finance) can accept this handoff; you are in sales.',
    });
  });

  it('refuses rejection by someone outside the receiving team', () => {
    expect(caught(() => transition(submitted(), reject, csm, at(2))).code).toBe('forbidden');
  });

  it('refuses a rejection reason that is not on the template’s list', () => {
    const err = caught(() =>
      transition(submitted(), { type: 'reject', reason: 'too_busy', note: 'later' }, accountant, at(2)),
    );
    expect(err).toMatchObject({ code: 'invalid_input', path: 'action.reason' });
    expect(err.message).toContain(
      '"too_busy" is not one of this handoff\'s rejection reasons (missing_info, po_missing,',
    );
  });

  it('refuses a rejection without a note', () => {
    const err = caught(() =>
      transition(submitted(), { type: 'reject', reason: 'po_missing' } as HandoffAction, accountant, at(2)),
    );
    expect(err).toMatchObject({ code: 'invalid_input', path: 'action.note', message: 'action.note: is required' });
  });

  it('refuses billing status changes from people outside finance', () => {
    expect(caught(() => transition(accepted(), { type: 'start_billing' }, rep, at(9))).code).toBe('forbidden');
  });

  const invalid: Array<[string, () => Handoff, HandoffAction, string]> = [
    [
      'accept a draft',
      draft,
      accept,
      'Cannot accept a handoff that is draft. From draft the allowed actions are: submit, ask, answer.',
    ],
    [
      'reject a draft',
      draft,
      reject,
      'Cannot reject a handoff that is draft. From draft the allowed actions are: submit, ask, answer.',
    ],
    [
      'resubmit a draft',
      draft,
      { type: 'resubmit', evaluation: complete },
      'Cannot resubmit a handoff that is draft. From draft the allowed actions are: submit, ask, answer.',
    ],
    [
      'start billing for a draft',
      draft,
      { type: 'start_billing' },
      'Cannot start billing for a handoff that is draft. From draft the allowed actions are: submit, ask, answer.',
    ],
    [
      'submit twice',
      submitted,
      submit,
      'Cannot submit a handoff that is submitted. From submitted the allowed actions are: accept, reject, ask, answer.',
    ],
    [
      'start billing before acceptance',
      submitted,
      { type: 'start_billing' },
      'Cannot start billing for a handoff that is submitted. From submitted the allowed actions are: accept, reject, ask, answer.',
    ],
    [
      'accept a rejected handoff',
      rejected,
      accept,
      'Cannot accept a handoff that is rejected. From rejected the allowed actions are: resubmit, ask, answer.',
    ],
    [
      'submit a rejected handoff (it is resubmitted)',
      rejected,
      submit,
      'Cannot submit a handoff that is rejected. From rejected the allowed actions are: resubmit, ask, answer.',
    ],
    [
      'accept twice',
      accepted,
      accept,
      'Cannot accept a handoff that is accepted. From accepted the allowed actions are: start_billing, ask, answer.',
    ],
    [
      'reject after acceptance',
      accepted,
      reject,
      'Cannot reject a handoff that is accepted. From accepted the allowed actions are: start_billing, ask, answer.',
    ],
    [
      'mark billing live before it started',
      accepted,
      { type: 'billing_succeeded' },
      'Cannot mark billing live for a handoff that is accepted. From accepted the allowed actions are: start_billing, ask, answer.',
    ],
    [
      'retry billing that is still pending',
      pending,
      { type: 'retry_billing' },
      'Cannot retry billing for a handoff that is billing_pending. From billing_pending the allowed actions are: billing_succeeded, billing_failed, ask, answer.',
    ],
    [
      'mark failed billing live without a retry',
      failed,
      { type: 'billing_succeeded' },
      'Cannot mark billing live for a handoff that is billing_failed. From billing_failed the allowed actions are: retry_billing, ask, answer.',
    ],
  ];

  it.each(invalid)('refuses to %s, naming the state and what it allows', (_name, from, action, message) => {
    const actor = action.type === 'accept' || action.type === 'reject' ? accountant : system;
    const err = caught(() => transition(from(), action, actor, at(99)));
    expect(err).toMatchObject({ code: 'invalid_transition', path: 'action.type', message: `action.type: ${message}` });
  });

  it('refuses any further step once billing is live, except the thread', () => {
    const live = transition(pending(), { type: 'billing_succeeded' }, system, at(20)).handoff;
    expect(allowedActions('billing_live')).toEqual(['ask', 'answer']);
    const err = caught(() => transition(live, { type: 'retry_billing' }, system, at(21)));
    expect(err.message).toBe(
      'action.type: Cannot retry billing for a handoff that is billing_live. From billing_live the allowed actions are: ask, answer.',
    );
  });

  it('refuses an unknown action with the list of actions', () => {
    const err = caught(() => transition(draft(), { type: 'approve' } as unknown as HandoffAction, csm, at(1)));
    expect(err).toMatchObject({ code: 'invalid_input', path: 'action.type' });
    expect(err.message).toContain('must be one of submit, resubmit, accept, reject');
  });

  it('refuses a handoff record in an unknown state', () => {
    const err = caught(() => transition({ ...draft(), state: 'won' } as unknown as Handoff, accept, accountant, at(1)));
    expect(err).toMatchObject({ code: 'invalid_input', path: 'handoff.state' });
  });

  it('refuses an actor without a user id', () => {
    const err = caught(() => transition(draft(), submit, { userId: '' }, at(1)));
    expect(err).toMatchObject({ path: 'actor.userId', message: 'actor.userId: is required' });
  });
});
