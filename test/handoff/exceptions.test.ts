import { describe, expect, it } from '@jest/globals';
import type { HandoffEvaluation } from '../../src/handoff/evaluation.js';
import {
  activeExceptions,
  decideException,
  exceptionStatusAt,
  expireExceptions,
  gateDecision,
  type HandoffException,
  requestException,
} from '../../src/handoff/exceptions.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { accountant, caught, NOW, rep, revops, revops2 } from './fixtures.js';

const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

const request = {
  id: 'ex-1',
  handoffId: 'h-1',
  reason: 'Customer issues the PO only after kickoff; AP confirmed in writing.',
  waives: ['poNumber'],
};

function requested(): HandoffException {
  return requestException(request, DEFAULT_CS_TO_FINANCE, rep, NOW);
}

function approved(): HandoffException {
  return decideException(requested(), { decision: 'approve' }, revops, NOW);
}

function evaluation(fields: Array<Partial<HandoffEvaluation['fields'][number]>>): HandoffEvaluation {
  return {
    templateId: 'default-cs-to-finance',
    templateVersion: 1,
    evaluatedAt: NOW.toISOString(),
    fields: fields.map((f) => ({
      key: 'poNumber',
      label: 'PO number',
      section: 'billing',
      status: 'ok',
      severity: 'blocking',
      required: true,
      problems: [],
      ...f,
    })) as HandoffEvaluation['fields'],
    percentComplete: 50,
    complete: fields.every((f) => f.status === 'ok' || f.severity === 'warning'),
    blockingCount: 0,
    warningCount: 0,
    suggestions: [],
  };
}

const poMissing = { key: 'poNumber' as const, label: 'PO number', status: 'missing' as const, reason: 'No-PO, No-Go.' };
const termsNeedApproval = {
  key: 'paymentTerms' as const,
  label: 'Payment terms',
  status: 'needs_approval' as const,
  reason: 'Net 60 is outside the policy.',
};

describe('requestException', () => {
  it('opens a request for the template’s exception owner, expiring in 30 days by default', () => {
    expect(requested()).toEqual({
      id: 'ex-1',
      handoffId: 'h-1',
      reason: request.reason,
      waives: ['poNumber'],
      requestedBy: 'u-rep',
      requestedAt: '2026-03-10T14:00:00.000Z',
      approverRole: 'revops',
      status: 'requested',
      expiresAt: '2026-04-09T14:00:00.000Z',
    });
  });

  it('refuses to waive a field that does not exist', () => {
    const err = caught(() =>
      requestException({ ...request, waives: ['purchaseOrder'] }, DEFAULT_CS_TO_FINANCE, rep, NOW),
    );
    expect(err).toMatchObject({ code: 'invalid_input', path: 'request.waives[0]' });
    expect(err.message).toContain('"purchaseOrder" is not a handoff field');
  });

  it('refuses a request without a real reason', () => {
    const err = caught(() => requestException({ ...request, reason: 'pls' }, DEFAULT_CS_TO_FINANCE, rep, NOW));
    expect(err).toMatchObject({
      path: 'request.reason',
      message: 'request.reason: must say why in at least 10 characters',
    });
  });

  it('refuses an expiry in the past', () => {
    const err = caught(() => requestException({ ...request, expiresAt: later(-1) }, DEFAULT_CS_TO_FINANCE, rep, NOW));
    expect(err).toMatchObject({ path: 'request.expiresAt', message: 'request.expiresAt: must be in the future' });
  });
});

describe('decideException', () => {
  it('lets a holder of the exception-owner role approve', () => {
    expect(approved()).toMatchObject({ status: 'approved', decidedBy: 'u-revops', decidedAt: NOW.toISOString() });
  });

  it('lets a holder of the role deny, with a note saying what to fix', () => {
    const denied = decideException(requested(), { decision: 'deny', note: 'Get the PO first.' }, revops, NOW);
    expect(denied).toMatchObject({ status: 'denied', decisionNote: 'Get the PO first.' });
  });

  it('refuses a denial without a note', () => {
    const err = caught(() => decideException(requested(), { decision: 'deny' }, revops, NOW));
    expect(err).toMatchObject({ code: 'invalid_input', path: 'decision.note' });
  });

  it('refuses a decision by someone without the exception-owner role', () => {
    const err = caught(() => decideException(requested(), { decision: 'approve' }, accountant, NOW));
    expect(err).toMatchObject({
      code: 'forbidden',
      path: 'actor.roles',
      message: 'actor.roles: Only someone with the revops role can decide this exception (your roles: accountant).',
    });
  });

  it('refuses to let the requester approve their own exception, even with the role', () => {
    const ownRequest = requestException(request, DEFAULT_CS_TO_FINANCE, revops, NOW);
    const err = caught(() => decideException(ownRequest, { decision: 'approve' }, revops, NOW));
    expect(err).toMatchObject({
      code: 'forbidden',
      message:
        'actor.userId: You requested this exception, so you cannot approve it yourself; ask another revops member.',
    });
    expect(decideException(ownRequest, { decision: 'approve' }, revops2, NOW).status).toBe('approved');
  });

  it('refuses to decide an exception twice', () => {
    const err = caught(() => decideException(approved(), { decision: 'deny', note: 'changed my mind' }, revops2, NOW));
    expect(err).toMatchObject({
      code: 'invalid_transition',
      message: 'exception.status: This exception is already approved; only a requested exception can be decided.',
    });
  });

  it('refuses to decide a request that expired undecided', () => {
    const err = caught(() => decideException(requested(), { decision: 'approve' }, revops, later(31)));
    expect(err.code).toBe('invalid_transition');
    expect(err.message).toContain('expired on 2026-04-09T14:00:00.000Z before anyone decided it');
  });
});

describe('expiry and active exceptions', () => {
  it('counts an approved exception as active until it expires', () => {
    const ex = approved();
    expect(activeExceptions([ex], later(29))).toHaveLength(1);
    expect(activeExceptions([ex], later(30))).toEqual([]);
    expect(exceptionStatusAt(ex, later(30))).toBe('expired');
  });

  it('never counts requested or denied exceptions as active', () => {
    const denied = decideException(requested(), { decision: 'deny', note: 'No.' }, revops, NOW);
    expect(activeExceptions([requested(), denied], NOW)).toEqual([]);
  });

  it('writes expiry into the status for a sweep', () => {
    expect(expireExceptions([approved()], later(31))[0]?.status).toBe('expired');
  });
});

describe('gateDecision', () => {
  it('keeps a complete handoff Closed Won', () => {
    const g = gateDecision(evaluation([{}]), [], NOW);
    expect(g).toEqual({ allowWon: true, missing: [], waived: [], summary: 'The handoff is complete.' });
  });

  it('moves an incomplete handoff out of Closed Won, saying exactly what is missing', () => {
    const g = gateDecision(evaluation([poMissing]), [], NOW);
    expect(g.allowWon).toBe(false);
    expect(g.missing).toEqual([{ key: 'poNumber', label: 'PO number', status: 'missing', reason: 'No-PO, No-Go.' }]);
    expect(g.summary).toBe(
      'The handoff is not complete, so the deal cannot stay Closed Won. 1 blocking item left. PO number: No-PO, No-Go.',
    );
  });

  it('allows Closed Won when an approved, unexpired exception waives every blocking problem', () => {
    const ex = approved();
    const g = gateDecision(evaluation([poMissing]), [ex], NOW);
    expect(g).toMatchObject({ allowWon: true, missing: [], waived: [{ key: 'poNumber', exceptionId: 'ex-1' }] });
    expect(g.waivedBy).toEqual([ex]);
    expect(g.summary).toContain('Closed Won allowed by exception: PO number waived');
  });

  it('does not allow Closed Won when the exception waives only some of the blocking problems', () => {
    const g = gateDecision(evaluation([poMissing, termsNeedApproval]), [approved()], NOW);
    expect(g.allowWon).toBe(false);
    expect(g.missing.map((m) => m.key)).toEqual(['paymentTerms']);
  });

  it('ignores an exception that has expired', () => {
    expect(gateDecision(evaluation([poMissing]), [approved()], later(30)).allowWon).toBe(false);
  });

  it('ignores an exception that is only requested or was denied', () => {
    const denied = decideException(requested(), { decision: 'deny', note: 'No.' }, revops, NOW);
    expect(gateDecision(evaluation([poMissing]), [requested(), denied], NOW).allowWon).toBe(false);
  });

  it('lets warnings through without an exception', () => {
    expect(gateDecision(evaluation([{ ...poMissing, severity: 'warning' }]), [], NOW).allowWon).toBe(true);
  });

  it('refuses a malformed evaluation with the path of the bad part', () => {
    const err = caught(() => gateDecision({ templateId: 'x' } as unknown as HandoffEvaluation, [], NOW));
    expect(err).toMatchObject({ code: 'invalid_input', path: 'evaluation.templateVersion' });
    expect(err.message).toContain('evaluation.templateVersion: is required');
  });
});
