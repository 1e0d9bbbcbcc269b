import { addDays } from 'date-fns';
import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { parseInput } from '../core/validate.js';
import { type Actor, type ActorInput, ActorSchema, InstantSchema, NowSchema } from './actor.js';
import { type HandoffEvaluation, HandoffEvaluationSchema } from './evaluation.js';
import { type HandoffFieldKey, isHandoffFieldKey, unknownFieldMessage } from './fields.js';
import { type HandoffTemplate, validateTemplate } from './template.js';

/**
 * Exceptions: the explicit path for "we know this is incomplete and we go ahead anyway" (seed 003: "if there is
 * no exception path, exceptions become politics"). An exception waives named fields, is decided by someone holding
 * the template's exception-owner role who is not the requester, and expires.
 */

/** How long an exception lasts when the requester names no expiry: long enough to fix the gap, short enough to notice. */
export const DEFAULT_EXCEPTION_DAYS = 30;

export const ExceptionStatusSchema = z.enum(['requested', 'approved', 'denied', 'expired']);
export type ExceptionStatus = z.infer<typeof ExceptionStatusSchema>;

const fieldKey = z
  .string({ error: 'must be a handoff field key' })
  .superRefine((key, ctx) => {
    if (!isHandoffFieldKey(key)) ctx.addIssue({ code: 'custom', message: unknownFieldMessage(key) });
  })
  .transform((key) => key as HandoffFieldKey);

const reasonText = z
  .string({ error: 'must be text' })
  .trim()
  .min(10, 'must say why in at least 10 characters')
  .max(2000, 'must be at most 2000 characters');

export const HandoffExceptionSchema = z.strictObject({
  id: z.string().trim().min(1, 'is required'),
  handoffId: z.string().trim().min(1, 'is required'),
  reason: reasonText,
  waives: z.array(fieldKey).min(1, 'must name at least one field to waive'),
  requestedBy: z.string().trim().min(1, 'is required'),
  requestedAt: InstantSchema,
  approverRole: z.string().trim().min(1, 'is required'),
  status: ExceptionStatusSchema,
  expiresAt: InstantSchema,
  decidedBy: z.string().optional(),
  decidedAt: InstantSchema.optional(),
  decisionNote: z.string().optional(),
});
export type HandoffException = z.infer<typeof HandoffExceptionSchema>;

const RequestSchema = z.strictObject({
  id: z.string({ error: 'must be an id' }).trim().min(1, 'is required'),
  handoffId: z.string({ error: 'must be a handoff id' }).trim().min(1, 'is required'),
  reason: reasonText,
  waives: z
    .array(fieldKey, { error: 'must be a list of field keys' })
    .min(1, 'must name at least one field to waive')
    .refine((keys) => new Set(keys).size === keys.length, 'names a field twice'),
  expiresAt: NowSchema.optional(),
});
export type ExceptionRequest = z.input<typeof RequestSchema>;

/**
 * Opens an exception request for the template's exception owner to decide.
 * @example requestException({ id: 'x1', handoffId: 'h1', reason: 'PO arrives after signature', waives: ['poNumber'] }, template, rep, now)
 */
export function requestException(
  request: ExceptionRequest,
  template: HandoffTemplate,
  actor: ActorInput,
  now: Date,
): HandoffException {
  const r = parseInput(RequestSchema, request, 'request');
  const t = validateTemplate(template);
  const who = parseInput(ActorSchema, actor, 'actor');
  const at = parseInput(NowSchema, now, 'now');
  const expiresAt = r.expiresAt ?? addDays(at, DEFAULT_EXCEPTION_DAYS);
  if (expiresAt <= at) throw new DomainError('invalid_input', 'must be in the future', 'request.expiresAt');
  return {
    id: r.id,
    handoffId: r.handoffId,
    reason: r.reason,
    waives: r.waives,
    requestedBy: who.userId,
    requestedAt: at.toISOString(),
    approverRole: t.exceptionOwnerRole,
    status: 'requested',
    expiresAt: expiresAt.toISOString(),
  };
}

const DecisionSchema = z
  .strictObject({
    decision: z.enum(['approve', 'deny'], { error: 'must be approve or deny' }),
    note: z.string({ error: 'must be text' }).trim().max(2000, 'must be at most 2000 characters').optional(),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'deny' && !d.note) {
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'is required when denying, so the requester knows what to fix',
      });
    }
  });
export type ExceptionDecision = z.input<typeof DecisionSchema>;

/**
 * The status an exception has at `now`: a requested or approved exception past its expiry is expired.
 * @example exceptionStatusAt(ex, new Date('2030-01-01')) // 'expired'
 */
export function exceptionStatusAt(exception: HandoffException, now: Date): ExceptionStatus {
  const ex = parseInput(HandoffExceptionSchema, exception, 'exception');
  const at = parseInput(NowSchema, now, 'now');
  return effectiveStatus(ex, at);
}

function effectiveStatus(ex: HandoffException, now: Date): ExceptionStatus {
  if ((ex.status === 'requested' || ex.status === 'approved') && new Date(ex.expiresAt) <= now) return 'expired';
  return ex.status;
}

/**
 * Approves or denies a requested exception. Only a holder of the exception-owner role decides, and never on
 * their own request, so that no one can wave their own deal through.
 * @example decideException(ex, { decision: 'approve' }, revopsLead, now) // { …ex, status: 'approved', decidedBy: 'u-9' }
 */
export function decideException(
  exception: HandoffException,
  decision: ExceptionDecision,
  actor: ActorInput,
  now: Date,
): HandoffException {
  const ex = parseInput(HandoffExceptionSchema, exception, 'exception');
  const d = parseInput(DecisionSchema, decision, 'decision');
  const who = parseInput(ActorSchema, actor, 'actor');
  const at = parseInput(NowSchema, now, 'now');
  const status = effectiveStatus(ex, at);
  if (status === 'expired' && ex.status === 'requested') {
    throw new DomainError(
      'invalid_transition',
      `This exception expired on ${ex.expiresAt} before anyone decided it; request a new one.`,
      'exception.status',
    );
  }
  if (status !== 'requested') {
    throw new DomainError(
      'invalid_transition',
      `This exception is already ${status}; only a requested exception can be decided.`,
      'exception.status',
    );
  }
  requireRole(who, ex.approverRole);
  if (d.decision === 'approve' && who.userId === ex.requestedBy) {
    throw new DomainError(
      'forbidden',
      `You requested this exception, so you cannot approve it yourself; ask another ${ex.approverRole} member.`,
      'actor.userId',
    );
  }
  return {
    ...ex,
    status: d.decision === 'approve' ? 'approved' : 'denied',
    decidedBy: who.userId,
    decidedAt: at.toISOString(),
    ...(d.note ? { decisionNote: d.note } : {}),
  };
}

function requireRole(who: Actor, role: string): void {
  if (who.roles.includes(role)) return;
  const held = who.roles.length > 0 ? who.roles.join(', ') : 'none';
  throw new DomainError(
    'forbidden',
    `Only someone with the ${role} role can decide this exception (your roles: ${held}).`,
    'actor.roles',
  );
}

/**
 * The same exceptions with their expiry applied, for a sweep that writes statuses back.
 * @example expireExceptions([ex], later)[0].status // 'expired'
 */
export function expireExceptions(list: ReadonlyArray<HandoffException>, now: Date): HandoffException[] {
  const all = parseInput(z.array(HandoffExceptionSchema), list, 'exceptions');
  const at = parseInput(NowSchema, now, 'now');
  return all.map((ex) => ({ ...ex, status: effectiveStatus(ex, at) }));
}

/**
 * The exceptions that waive something right now: approved and not yet expired.
 * @example activeExceptions([approved, denied], now) // [approved]
 */
export function activeExceptions(list: ReadonlyArray<HandoffException>, now: Date): HandoffException[] {
  const all = parseInput(z.array(HandoffExceptionSchema), list, 'exceptions');
  const at = parseInput(NowSchema, now, 'now');
  return all.filter((ex) => effectiveStatus(ex, at) === 'approved');
}

export interface GateProblem {
  key: HandoffFieldKey;
  label: string;
  status: 'missing' | 'invalid' | 'needs_approval';
  reason: string;
}

export interface GateDecision {
  allowWon: boolean;
  /** Blocking problems no active exception waives; empty when allowWon. */
  missing: GateProblem[];
  /** Blocking problems waived, and by which exception. */
  waived: Array<GateProblem & { exceptionId: string }>;
  /** The exceptions the decision relied on, present only when one was needed. */
  waivedBy?: HandoffException[];
  /** One paragraph for the deal note and the owner's task. */
  summary: string;
}

/**
 * Whether a deal may stay Closed Won: only when the handoff is complete, or every blocking problem is waived by an
 * approved, unexpired exception. Pass only this handoff's exceptions.
 * @example gateDecision(evaluation, [], now) // { allowWon: false, missing: [{ key: 'poNumber', … }], … }
 */
export function gateDecision(
  evaluation: HandoffEvaluation,
  exceptions: ReadonlyArray<HandoffException>,
  now: Date,
): GateDecision {
  const ev = parseInput(HandoffEvaluationSchema, evaluation, 'evaluation');
  const active = activeExceptions(exceptions, now);
  const missing: GateProblem[] = [];
  const waived: GateDecision['waived'] = [];
  const used = new Map<string, HandoffException>();
  for (const f of ev.fields) {
    if (f.status === 'ok' || f.severity !== 'blocking') continue;
    const problem: GateProblem = {
      key: f.key,
      label: f.label,
      status: f.status,
      reason: f.reason ?? `${f.label} is not done.`,
    };
    const by = active.find((ex) => ex.waives.includes(f.key));
    if (by) {
      waived.push({ ...problem, exceptionId: by.id });
      used.set(by.id, by);
    } else {
      missing.push(problem);
    }
  }
  const allowWon = missing.length === 0;
  const waivedBy = [...used.values()];
  return {
    allowWon,
    missing,
    waived,
    ...(waivedBy.length > 0 ? { waivedBy } : {}),
    summary: summarize(allowWon, missing, waived, waivedBy),
  };
}

function summarize(
  allowWon: boolean,
  missing: GateProblem[],
  waived: GateDecision['waived'],
  waivedBy: HandoffException[],
): string {
  if (!allowWon) {
    const n = missing.length;
    const items = missing.map((p) => `${p.label}: ${p.reason}`).join(' ');
    return `The handoff is not complete, so the deal cannot stay Closed Won. ${n} blocking item${n === 1 ? '' : 's'} left. ${items}`;
  }
  if (waived.length === 0) return 'The handoff is complete.';
  const why = waivedBy.map((ex) => `"${ex.reason}" (exception ${ex.id}, approved by ${ex.decidedBy ?? 'unknown'})`);
  return `Closed Won allowed by exception: ${waived.map((w) => w.label).join(', ')} waived — ${why.join('; ')}.`;
}
