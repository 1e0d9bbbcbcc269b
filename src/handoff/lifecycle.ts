import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { parseInput } from '../core/validate.js';
import { type Actor, type ActorInput, ActorSchema, InstantSchema, NowSchema } from './actor.js';
import { type HandoffEvaluation, HandoffEvaluationSchema } from './evaluation.js';
import { gateDecision, type HandoffException, HandoffExceptionSchema } from './exceptions.js';
import {
  type HandoffTemplate,
  RejectionReasonSchema,
  resolveReceivingOwner,
  SlaSchema,
  validateTemplate,
} from './template.js';

/**
 * The life of one handoff: draft → submitted → accepted | rejected; rejected → submitted again (resubmit);
 * accepted → billing_pending → billing_live | billing_failed; billing_failed → billing_pending (retry).
 * Questions and answers are events in the thread that leave the state alone. Every transition returns the new
 * handoff and one event for the append-only audit trail; the store appends, never edits.
 */

export const HANDOFF_STATES = [
  'draft',
  'submitted',
  'accepted',
  'rejected',
  'billing_pending',
  'billing_live',
  'billing_failed',
] as const;
export const HandoffStateSchema = z.enum(HANDOFF_STATES, { error: `must be one of ${HANDOFF_STATES.join(', ')}` });
export type HandoffState = z.infer<typeof HandoffStateSchema>;

const OwnerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), userId: z.string().min(1) }),
  z.strictObject({ kind: z.literal('team'), teamId: z.string().min(1) }),
]);

/** The parts of the template a handoff is bound by, copied at creation so a template edit never changes the rules mid-review. */
export const HandoffContractSchema = z.strictObject({
  fromTeam: z.string().min(1, 'is required'),
  toTeam: z.string().min(1, 'is required'),
  rejectionReasons: z.array(RejectionReasonSchema).min(1, 'must offer at least one rejection reason'),
  sla: SlaSchema,
  exceptionOwnerRole: z.string().min(1, 'is required'),
  autoStartBillingOnAcceptance: z.boolean(),
});
export type HandoffContract = z.infer<typeof HandoffContractSchema>;

export const HandoffSchema = z.strictObject({
  id: z.string().trim().min(1, 'is required'),
  dealId: z.string().trim().min(1, 'is required'),
  templateId: z.string().min(1, 'is required'),
  templateVersion: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
  contract: HandoffContractSchema,
  receivingOwner: OwnerSchema,
  state: HandoffStateSchema,
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
  /** Last (re)submission: the SLA clock runs from here. */
  submittedAt: InstantSchema.nullable(),
  /** When the receiving team accepted or rejected the last submission. */
  decidedAt: InstantSchema.nullable(),
  rejection: z.strictObject({ reason: z.string(), note: z.string() }).nullable(),
  billingError: z.string().nullable(),
  submissions: z.number().int().min(0),
});
export type Handoff = z.infer<typeof HandoffSchema>;

const message = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'is required')
  .max(5000, 'must be at most 5000 characters');

const SubmitActionFields = {
  evaluation: HandoffEvaluationSchema,
  exceptions: z.array(HandoffExceptionSchema).default([]),
};

export const HandoffActionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('submit'), ...SubmitActionFields }),
    z.strictObject({ type: z.literal('resubmit'), ...SubmitActionFields }),
    z.strictObject({ type: z.literal('accept'), note: message.optional() }),
    z.strictObject({
      type: z.literal('reject'),
      reason: z.string({ error: 'must be a rejection reason code' }).trim().min(1, 'is required'),
      note: message,
    }),
    z.strictObject({ type: z.literal('start_billing') }),
    z.strictObject({ type: z.literal('billing_succeeded'), note: message.optional() }),
    z.strictObject({ type: z.literal('billing_failed'), error: message }),
    z.strictObject({ type: z.literal('retry_billing') }),
    z.strictObject({ type: z.literal('ask'), message }),
    z.strictObject({ type: z.literal('answer'), message }),
  ],
  {
    error:
      'must be one of submit, resubmit, accept, reject, start_billing, billing_succeeded, billing_failed, retry_billing, ask, answer',
  },
);
export type HandoffAction = z.input<typeof HandoffActionSchema>;
export type HandoffActionType = HandoffAction['type'];

export type HandoffEventType =
  | 'submitted'
  | 'resubmitted'
  | 'accepted'
  | 'rejected'
  | 'billing_started'
  | 'billing_live'
  | 'billing_failed'
  | 'billing_retried'
  | 'question'
  | 'answer';

/** One line of the audit trail and thread. `from === to` for questions and answers. */
export interface HandoffEvent {
  handoffId: string;
  type: HandoffEventType;
  actor: string;
  at: string;
  from: HandoffState;
  to: HandoffState;
  /** Rejection reason code. */
  reason?: string;
  /** Rejection note, question or answer text, billing error. */
  note?: string;
  /** Exceptions a submission relied on to pass the gate. */
  exceptionIds?: string[];
  /** Template version the submission was judged against. */
  templateVersion?: number;
}

const MOVES: Record<HandoffState, Partial<Record<HandoffActionType, HandoffState>>> = {
  draft: { submit: 'submitted' },
  submitted: { accept: 'accepted', reject: 'rejected' },
  rejected: { resubmit: 'submitted' },
  accepted: { start_billing: 'billing_pending' },
  billing_pending: { billing_succeeded: 'billing_live', billing_failed: 'billing_failed' },
  billing_failed: { retry_billing: 'billing_pending' },
  billing_live: {},
};

const EVENT_OF: Record<HandoffActionType, HandoffEventType> = {
  submit: 'submitted',
  resubmit: 'resubmitted',
  accept: 'accepted',
  reject: 'rejected',
  start_billing: 'billing_started',
  billing_succeeded: 'billing_live',
  billing_failed: 'billing_failed',
  retry_billing: 'billing_retried',
  ask: 'question',
  answer: 'answer',
};

const THREAD_ACTIONS: ReadonlyArray<HandoffActionType> = ['ask', 'answer'];

/**
 * The actions possible from a state, thread actions included.
 * @example allowedActions('draft') // ['submit', 'ask', 'answer']
 */
export function allowedActions(state: HandoffState): HandoffActionType[] {
  const s = parseInput(HandoffStateSchema, state, 'state');
  return [...(Object.keys(MOVES[s]) as HandoffActionType[]), ...THREAD_ACTIONS];
}

const CreateSchema = z.strictObject({
  id: z.string({ error: 'must be an id' }).trim().min(1, 'is required'),
  dealId: z.string({ error: 'must be a deal id' }).trim().min(1, 'is required'),
  deal: z
    .strictObject({
      ownerId: z.string().nullish(),
      properties: z.record(z.string(), z.string().nullish()).optional(),
    })
    .default({}),
});
export type CreateHandoffInput = z.input<typeof CreateSchema>;

/**
 * A new draft handoff bound to this template version, with its receiving owner resolved from the deal.
 * @example createHandoff({ id: 'h1', dealId: 'd1', deal: { ownerId: '42' } }, DEFAULT_SALES_TO_CS, now).state // 'draft'
 */
export function createHandoff(input: CreateHandoffInput, template: HandoffTemplate, now: Date): Handoff {
  const i = parseInput(CreateSchema, input, 'input');
  const t = validateTemplate(template);
  const at = parseInput(NowSchema, now, 'now').toISOString();
  return {
    id: i.id,
    dealId: i.dealId,
    templateId: t.id,
    templateVersion: t.version,
    contract: contractOf(t),
    receivingOwner: resolveReceivingOwner(t, {
      ...(i.deal.ownerId ? { ownerId: i.deal.ownerId } : {}),
      ...(i.deal.properties ? { properties: i.deal.properties } : {}),
    }),
    state: 'draft',
    createdAt: at,
    updatedAt: at,
    submittedAt: null,
    decidedAt: null,
    rejection: null,
    billingError: null,
    submissions: 0,
  };
}

function contractOf(t: HandoffTemplate): HandoffContract {
  return {
    fromTeam: t.fromTeam,
    toTeam: t.toTeam,
    rejectionReasons: t.rejectionReasons,
    sla: t.sla,
    exceptionOwnerRole: t.exceptionOwnerRole,
    autoStartBillingOnAcceptance: t.policy.autoStartBillingOnAcceptance,
  };
}

/**
 * Moves a draft or rejected handoff onto a newer version of its template; a handoff under review keeps the
 * version it was submitted against.
 * @example adoptTemplateVersion(draft, { ...template, version: 2 }, now).templateVersion // 2
 */
export function adoptTemplateVersion(handoff: Handoff, template: HandoffTemplate, now: Date): Handoff {
  const h = parseInput(HandoffSchema, handoff, 'handoff');
  const t = validateTemplate(template);
  const at = parseInput(NowSchema, now, 'now');
  if (t.id !== h.templateId) {
    throw new DomainError('conflict', `This handoff follows template ${h.templateId}, not ${t.id}.`, 'template.id');
  }
  if (h.state !== 'draft' && h.state !== 'rejected') {
    throw new DomainError(
      'invalid_transition',
      `The handoff is ${h.state}; only a draft or rejected handoff can move to a new template version.`,
      'handoff.state',
    );
  }
  return { ...h, templateVersion: t.version, contract: contractOf(t), updatedAt: at.toISOString() };
}

const ACTION_WORDS: Record<HandoffActionType, string> = {
  submit: 'submit',
  resubmit: 'resubmit',
  accept: 'accept',
  reject: 'reject',
  start_billing: 'start billing for',
  billing_succeeded: 'mark billing live for',
  billing_failed: 'mark billing failed for',
  retry_billing: 'retry billing for',
  ask: 'ask about',
  answer: 'answer on',
};

/**
 * Applies one action; throws DomainError('invalid_transition') naming the current state and what it allows,
 * 'forbidden' when the actor may not take the action.
 * @example transition(draft, { type: 'submit', evaluation }, rep, now) // { handoff: { state: 'submitted', … }, event: { type: 'submitted', … } }
 */
export function transition(
  handoff: Handoff,
  action: HandoffAction,
  actor: ActorInput,
  now: Date,
): { handoff: Handoff; event: HandoffEvent } {
  const h = parseInput(HandoffSchema, handoff, 'handoff');
  const a = parseInput(HandoffActionSchema, action, 'action');
  const who = parseInput(ActorSchema, actor, 'actor');
  const at = parseInput(NowSchema, now, 'now');
  const iso = at.toISOString();
  const base = { handoffId: h.id, type: EVENT_OF[a.type], actor: who.userId, at: iso, from: h.state };

  if (a.type === 'ask' || a.type === 'answer') {
    return { handoff: h, event: { ...base, to: h.state, note: a.message } };
  }

  const to = MOVES[h.state][a.type];
  if (!to) {
    const options = allowedActions(h.state).join(', ');
    throw new DomainError(
      'invalid_transition',
      `Cannot ${ACTION_WORDS[a.type]} a handoff that is ${h.state}. From ${h.state} the allowed actions are: ${options}.`,
      'action.type',
    );
  }
  const moved: Handoff = { ...h, state: to, updatedAt: iso };
  const event: HandoffEvent = { ...base, to };

  switch (a.type) {
    case 'submit':
    case 'resubmit': {
      const waivers = checkSubmittable(h, a.evaluation as HandoffEvaluation, a.exceptions, at);
      return {
        handoff: { ...moved, submittedAt: iso, decidedAt: null, submissions: h.submissions + 1 },
        event: {
          ...event,
          templateVersion: h.templateVersion,
          ...(waivers.length > 0 ? { exceptionIds: waivers } : {}),
        },
      };
    }
    case 'accept':
      requireReceivingTeam(h, who, 'accept');
      return {
        handoff: { ...moved, decidedAt: iso, rejection: null },
        event: { ...event, ...(a.note ? { note: a.note } : {}) },
      };
    case 'reject': {
      requireReceivingTeam(h, who, 'reject');
      const codes = h.contract.rejectionReasons.map((r) => r.code);
      if (!codes.includes(a.reason)) {
        throw new DomainError(
          'invalid_input',
          `"${a.reason}" is not one of this handoff's rejection reasons (${codes.join(', ')}).`,
          'action.reason',
        );
      }
      return {
        handoff: { ...moved, decidedAt: iso, rejection: { reason: a.reason, note: a.note } },
        event: { ...event, reason: a.reason, note: a.note },
      };
    }
    case 'start_billing':
    case 'retry_billing':
      requireBillingActor(h, who);
      return { handoff: { ...moved, billingError: null }, event };
    case 'billing_succeeded':
      requireBillingActor(h, who);
      return { handoff: { ...moved, billingError: null }, event: { ...event, ...(a.note ? { note: a.note } : {}) } };
    case 'billing_failed':
      requireBillingActor(h, who);
      return { handoff: { ...moved, billingError: a.error }, event: { ...event, note: a.error } };
  }
}

/**
 * What the app should do by itself next: start billing when the template says acceptance starts it.
 * @example nextAutomaticAction(acceptedFinanceHandoff) // 'start_billing'
 */
export function nextAutomaticAction(handoff: Handoff): 'start_billing' | null {
  const h = parseInput(HandoffSchema, handoff, 'handoff');
  return h.state === 'accepted' && h.contract.autoStartBillingOnAcceptance ? 'start_billing' : null;
}

function checkSubmittable(
  h: Handoff,
  evaluation: HandoffEvaluation,
  exceptions: HandoffException[],
  now: Date,
): string[] {
  if (evaluation.templateId !== h.templateId || evaluation.templateVersion !== h.templateVersion) {
    throw new DomainError(
      'conflict',
      `The evaluation was judged against ${evaluation.templateId} v${evaluation.templateVersion}, but this handoff follows ${h.templateId} v${h.templateVersion}; evaluate it again.`,
      'action.evaluation.templateVersion',
    );
  }
  const gate = gateDecision(
    evaluation,
    exceptions.filter((ex) => ex.handoffId === h.id),
    now,
  );
  if (!gate.allowWon) {
    throw new DomainError(
      'invalid_transition',
      `Cannot submit an incomplete handoff: ${gate.missing.length} blocking item${gate.missing.length === 1 ? '' : 's'} left (${gate.missing.map((m) => m.label).join(', ')}). Fix them or get an exception approved.`,
      'action.evaluation',
      gate.missing.map((m) => ({ path: `data.${m.key}`, message: m.reason })),
    );
  }
  return (gate.waivedBy ?? []).map((ex) => ex.id);
}

function requireReceivingTeam(h: Handoff, who: Actor, verb: string): void {
  const owner = h.receivingOwner;
  if (who.teams.includes(h.contract.toTeam)) return;
  if (owner.kind === 'user' && owner.userId === who.userId) return;
  if (owner.kind === 'team' && who.teams.includes(owner.teamId)) return;
  throw new DomainError(
    'forbidden',
    `Only the receiving team (${h.contract.toTeam}) can ${verb} this handoff; you are in ${who.teams.length > 0 ? who.teams.join(', ') : 'no team'}.`,
    'actor.teams',
  );
}

function requireBillingActor(h: Handoff, who: Actor): void {
  if (who.roles.includes('system') || who.teams.includes(h.contract.toTeam)) return;
  throw new DomainError(
    'forbidden',
    `Only the billing job or the receiving team (${h.contract.toTeam}) can change billing status.`,
    'actor.teams',
  );
}
