import { z } from 'zod';
import { checkFeasibility } from '../billing/feasibility.js';
import { contractValue } from '../billing/schedule.js';
import { TimeZoneSchema, todayIn } from '../core/dates.js';
import { DomainError, type Issue, isDomainError } from '../core/errors.js';
import type { Money } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { NowSchema } from './actor.js';
import type { FieldEvaluation, FieldProblem, HandoffEvaluation } from './evaluation.js';
import {
  fieldDefinition,
  type HandoffData,
  type HandoffDataInput,
  HandoffDataSchema,
  type HandoffFieldKey,
  isHandoffFieldKey,
  isPresent,
  unknownFieldMessage,
  validateField,
} from './fields.js';
import {
  CreditAssessmentSchema,
  type FeasibilityResult,
  type FieldStatus,
  FinanceCapabilitiesSchema,
  HANDOFF_RULES,
  RecordedApprovalSchema,
  type RuleContextInput,
  RuleContextSchema,
  type RuleId,
  type Suggestion,
} from './rules.js';
import {
  type Condition,
  ConditionSchema,
  type HandoffTemplate,
  type RequiredField,
  type Severity,
  validateTemplate,
} from './template.js';

export type { FieldEvaluation, FieldProblem, HandoffEvaluation };

/**
 * Judges a handoff's values against its template: which fields are done, missing, invalid or waiting for an
 * approval, each with a reason a rep can act on. Pure: "now" and everything else comes in as arguments.
 */

export const EvaluationContextSchema = z.strictObject({
  now: NowSchema,
  /** The portal's time zone: "today" for approval dates is the portal's today. */
  timeZone: TimeZoneSchema,
  /** The connected finance system, when there is one; without it the feasibility rule has nothing to check. */
  capabilities: FinanceCapabilitiesSchema.optional(),
  credit: CreditAssessmentSchema.optional(),
  approvals: z.array(RecordedApprovalSchema).default([]),
});
export type EvaluationContext = z.input<typeof EvaluationContextSchema>;

interface Judgement {
  status: FieldStatus;
  reason?: string;
  severity: Severity;
  source: 'template' | RuleId;
  required: boolean;
}

const RANK: Record<FieldStatus, number> = { ok: 0, missing: 1, needs_approval: 2, invalid: 3 };

/**
 * Evaluates a handoff; values that fail their field schema are reported as `invalid` rather than thrown, because
 * they usually come from CRM properties people typed by hand. Unknown keys and a bad template or context throw.
 * @example evaluateHandoff(DEFAULT_CS_TO_FINANCE, { poRequired: true }, { now: new Date(), timeZone: 'Europe/Berlin' }).fields.find((f) => f.key === 'poNumber')?.status // 'missing'
 */
export function evaluateHandoff(template: unknown, data: unknown, context: EvaluationContext): HandoffEvaluation {
  const t = validateTemplate(template);
  const ctx = parseInput(EvaluationContextSchema, context, 'context');
  const { values, invalid } = splitValues(data);

  const judgements = new Map<HandoffFieldKey, Judgement[]>();
  const judge = (field: HandoffFieldKey, j: Judgement) => {
    const list = judgements.get(field);
    if (list) list.push(j);
    else judgements.set(field, [j]);
  };

  for (const r of t.requiredFields) {
    if (!requirementApplies(r, values)) continue;
    judge(r.field, presence(r, values, invalid));
  }
  for (const [field, message] of invalid) {
    if (!judgements.has(field)) {
      judge(field, {
        status: 'invalid',
        reason: `${message} (the value is ignored until it is fixed)`,
        severity: 'warning',
        source: 'template',
        required: false,
      });
    }
  }

  const suggestions: Suggestion[] = [];
  const ruleCtx = ruleContext(t, ctx, values, (field, reason) =>
    judge(field, { status: 'invalid', reason, severity: 'blocking', source: 'template', required: true }),
  );
  const parsedValues = parseInput(HandoffDataSchema, values, 'data');
  const parsedCtx = parseInput(RuleContextSchema, ruleCtx, 'context');
  for (const setting of t.rules) {
    const rule = HANDOFF_RULES[setting.rule];
    for (const outcome of rule.parsed(parsedValues, parsedCtx)) {
      judge(outcome.field, {
        status: outcome.status,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        severity: setting.severity ?? rule.defaultSeverity,
        source: rule.id,
        required: true,
      });
      if (outcome.suggestion) suggestions.push(outcome.suggestion);
    }
  }

  const fields = [...judgements].map(([key, list]) => merge(key, list));
  const required = fields.filter((f) => f.required);
  const okCount = required.filter((f) => f.status === 'ok').length;
  const blockingCount = fields.filter((f) => f.status !== 'ok' && f.severity === 'blocking').length;
  const warningCount = fields.filter((f) => f.status !== 'ok' && f.severity === 'warning').length;
  return {
    templateId: t.id,
    templateVersion: t.version,
    evaluatedAt: ctx.now.toISOString(),
    fields,
    percentComplete: required.length === 0 ? 100 : Math.floor((okCount * 100) / required.length),
    complete: blockingCount === 0,
    blockingCount,
    warningCount,
    suggestions,
  };
}

function splitValues(data: unknown): { values: HandoffData; invalid: Map<HandoffFieldKey, string> } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new DomainError('invalid_input', 'must be an object of handoff field values', 'data');
  }
  const unknown: Issue[] = Object.keys(data)
    .filter((k) => !isHandoffFieldKey(k))
    .map((k) => ({ path: `data.${k}`, message: unknownFieldMessage(k) }));
  const [first] = unknown;
  if (first) {
    const more =
      unknown.length > 1 ? ` (and ${unknown.length - 1} more unknown field${unknown.length > 2 ? 's' : ''})` : '';
    throw new DomainError('invalid_input', `${first.message}${more}`, first.path, unknown);
  }
  const values: Record<string, unknown> = {};
  const invalid = new Map<HandoffFieldKey, string>();
  for (const [key, raw] of Object.entries(data)) {
    const result = validateField(key, raw);
    if (!result.ok) invalid.set(key as HandoffFieldKey, result.message);
    else if (result.value !== undefined) values[key] = result.value;
  }
  return { values: values as HandoffData, invalid };
}

function truthy(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'boolean') return value;
  return isPresent(value);
}

/**
 * Whether a template condition holds for these values (an invalid or absent value never satisfies a condition).
 * @example conditionHolds({ field: 'poRequired', equals: true }, { poRequired: true }) // true
 */
export function conditionHolds(condition: Condition, values: HandoffDataInput): boolean {
  const c = parseInput(ConditionSchema, condition, 'condition');
  return holds(c, parseInput(HandoffDataSchema, values, 'data'));
}

function holds(condition: Condition, values: HandoffData): boolean {
  const v = (values as Record<string, unknown>)[condition.field];
  if (condition.truthy) return truthy(v);
  if (condition.in) return condition.in.some((x) => x === v);
  return v === condition.equals;
}

function requirementApplies(r: RequiredField, values: HandoffData): boolean {
  return r.required === 'always' || holds(r.required.when, values);
}

function describeValue(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return typeof v === 'string' ? `"${v}"` : String(v);
}

function describeCondition(c: Condition): string {
  const label = fieldDefinition(c.field).label;
  if (c.truthy) return `${label} is filled in`;
  if (c.in) return `${label} is one of ${c.in.map(describeValue).join(', ')}`;
  return `${label} is ${describeValue(c.equals as string | number | boolean)}`;
}

function presence(r: RequiredField, values: HandoffData, invalid: Map<HandoffFieldKey, string>): Judgement {
  const base = { severity: r.severity, source: 'template' as const, required: true };
  const bad = invalid.get(r.field);
  if (bad) return { ...base, status: 'invalid', reason: bad };
  if (isPresent((values as Record<string, unknown>)[r.field])) return { ...base, status: 'ok' };
  const label = fieldDefinition(r.field).label;
  const why = r.required === 'always' ? '' : ` because ${describeCondition(r.required.when)}`;
  return { ...base, status: 'missing', reason: `${label} is required${why}.` };
}

function ruleContext(
  t: HandoffTemplate,
  ctx: z.output<typeof EvaluationContextSchema>,
  values: HandoffData,
  planInvalid: (field: HandoffFieldKey, reason: string) => void,
): RuleContextInput {
  const enabled = new Set(t.rules.map((r) => r.rule));
  const plan = values.billingPlan;
  let planTotal: Money | undefined;
  let feasibility: FeasibilityResult | undefined;
  if (plan && enabled.has('plan_total_matches_contract_value')) {
    try {
      planTotal = contractValue(plan);
    } catch (e) {
      // A plan the schedule cannot price is a problem with the plan, not a crash of the checklist.
      if (!isDomainError(e)) throw e;
      planInvalid('billingPlan', `The billing plan cannot be totalled: ${e.message}`);
    }
  }
  if (plan && ctx.capabilities && enabled.has('plan_feasible_in_finance_system')) {
    try {
      feasibility = checkFeasibility(plan, ctx.capabilities);
    } catch (e) {
      // The plan is already valid here, so a refusal is about the descriptor: point at it where the caller put it.
      if (!isDomainError(e) || e.code !== 'invalid_input') throw e;
      const issues = e.issues.map((i) => ({ ...i, path: i.path.replace(/^capabilities/, 'context.capabilities') }));
      const first = issues[0] ?? { path: 'context.capabilities', message: 'is invalid' };
      throw new DomainError('invalid_input', first.message, first.path, issues);
    }
  }
  return {
    policy: t.policy,
    today: todayIn(ctx.timeZone, ctx.now),
    approvals: ctx.approvals,
    ...(ctx.credit ? { credit: ctx.credit } : {}),
    ...(ctx.capabilities ? { capabilities: ctx.capabilities } : {}),
    ...(planTotal ? { planTotal } : {}),
    ...(feasibility ? { feasibility } : {}),
  };
}

function merge(key: HandoffFieldKey, list: Judgement[]): FieldEvaluation {
  const def = fieldDefinition(key);
  const bad = list.filter((j) => j.status !== 'ok');
  const required = list.some((j) => j.required);
  if (bad.length === 0) {
    const severity = list.some((j) => j.severity === 'blocking') ? 'blocking' : 'warning';
    return { key, label: def.label, section: def.section, status: 'ok', severity, required, problems: [] };
  }
  const status = bad.reduce<FieldStatus>((worst, j) => (RANK[j.status] > RANK[worst] ? j.status : worst), 'ok');
  // A rule's reason says more than the bare "is required", so it wins when both speak about the same field.
  const fromRules = bad.filter((j) => j.source !== 'template');
  const speaking = fromRules.length > 0 ? fromRules : bad;
  const reasons = [...new Set(speaking.map((j) => j.reason ?? `${def.label} is not ok.`))];
  const problems: FieldProblem[] = bad.map((j) => ({
    status: j.status as FieldProblem['status'],
    reason: j.reason ?? `${def.label} is not ok.`,
    source: j.source,
  }));
  return {
    key,
    label: def.label,
    section: def.section,
    status,
    severity: bad.some((j) => j.severity === 'blocking') ? 'blocking' : 'warning',
    reason: reasons.join(' '),
    required,
    problems,
  };
}
