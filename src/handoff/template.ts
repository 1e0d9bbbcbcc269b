import { z } from 'zod';
import { ScheduledInvoicesAsSchema } from '../billing/feasibility.js';
import { PaymentTermsCodeSchema } from '../billing/payment-terms.js';
import { TaxTreatmentSchema } from '../billing/tax.js';
import { parseInput } from '../core/validate.js';
import { type HandoffFieldKey, isHandoffFieldKey, unknownFieldMessage, validateField } from './fields.js';
import { RULE_IDS, type RuleId } from './rule-ids.js';

/**
 * The handoff contract (seed 003) as data: who hands what to whom, when, within which SLA, and what happens when
 * it is incomplete. Admins edit templates; every edit is a new version, and each handoff records the version it
 * was judged against.
 */

const fieldKey = z
  .string({ error: 'must be a handoff field key such as poNumber' })
  .superRefine((key, ctx) => {
    if (!isHandoffFieldKey(key)) ctx.addIssue({ code: 'custom', message: unknownFieldMessage(key) });
  })
  .transform((key) => key as HandoffFieldKey);

const slug = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, 'is required')
    .max(100, 'must be at most 100 characters')
    .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'may contain only letters, digits, "_", "-" and "."');

const label = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters');

const ConditionValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be text, a number or yes/no',
});
export type ConditionValue = z.infer<typeof ConditionValueSchema>;

/** "Required when <field> equals / is one of / is filled in". Exactly one test per condition keeps them readable. */
export const ConditionSchema = z
  .strictObject({
    field: fieldKey,
    equals: ConditionValueSchema.optional(),
    in: z.array(ConditionValueSchema).min(1, 'must list at least one value').optional(),
    truthy: z.literal(true, { error: 'must be true when given' }).optional(),
  })
  .superRefine((c, ctx) => {
    const tests = [c.equals !== undefined, c.in !== undefined, c.truthy !== undefined].filter(Boolean).length;
    if (tests !== 1) {
      ctx.addIssue({ code: 'custom', message: 'must have exactly one of equals, in or truthy' });
    }
  });
export type Condition = z.infer<typeof ConditionSchema>;

export const SeveritySchema = z.enum(['blocking', 'warning'], { error: 'must be blocking or warning' });
export type Severity = z.infer<typeof SeveritySchema>;

export const RequiredFieldSchema = z.strictObject({
  field: fieldKey,
  required: z.union([z.literal('always'), z.strictObject({ when: ConditionSchema })], {
    error: "must be 'always' or { when: { field, equals | in | truthy } }",
  }),
  severity: SeveritySchema.default('blocking'),
});
export type RequiredField = z.infer<typeof RequiredFieldSchema>;

export const EntryCriteriaSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('always') }),
    z.strictObject({
      kind: z.literal('deal_stage'),
      stages: z.array(slug('a deal stage id')).min(1, 'must list at least one deal stage'),
    }),
    z.strictObject({ kind: z.literal('handoff_accepted'), templateId: slug('a template id') }),
    // Created by the renewal sweep when a contract's renewal date comes within the portal's lead days, never on sight.
    z.strictObject({ kind: z.literal('renewal_due') }),
  ],
  { error: 'must be { kind: always | deal_stage | handoff_accepted | renewal_due }' },
);
export type EntryCriteria = z.infer<typeof EntryCriteriaSchema>;

export const ReceivingOwnerRuleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('user'), userId: slug('a user id') }),
    z.strictObject({ kind: z.literal('team'), teamId: slug('a team id') }),
    z.strictObject({ kind: z.literal('deal_owner') }),
    z.strictObject({ kind: z.literal('property'), property: slug('a deal property name') }),
  ],
  { error: 'must be { kind: user | team | deal_owner | property }' },
);
export type ReceivingOwnerRule = z.infer<typeof ReceivingOwnerRuleSchema>;

const clock = z
  .string({ error: 'must be a time written HH:MM' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time written HH:MM (24-hour)');

export const BusinessHoursSchema = z
  .strictObject({
    start: clock,
    end: clock,
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: z
      .array(
        z
          .number()
          .int('must be a whole number')
          .min(1, 'must be 1 (Monday) to 7 (Sunday)')
          .max(7, 'must be 1 (Monday) to 7 (Sunday)'),
      )
      .min(1, 'must list at least one working day'),
  })
  .superRefine((h, ctx) => {
    if (h.start >= h.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be later than the start time' });
    if (new Set(h.days).size !== h.days.length) {
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'lists a day twice' });
    }
  });
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };

export const SlaSchema = z.strictObject({
  hours: z
    .number({ error: 'must be a number of hours' })
    .positive('must be more than 0 hours')
    .max(24 * 366, 'must be at most a year'),
  calendar: z.enum(['business', 'calendar'], { error: 'must be business or calendar' }),
  businessHours: BusinessHoursSchema.default(DEFAULT_BUSINESS_HOURS),
});
export type Sla = z.infer<typeof SlaSchema>;

export const RejectionReasonSchema = z.strictObject({ code: slug('a reason code'), label });
export type RejectionReason = z.infer<typeof RejectionReasonSchema>;

export const PolicySchema = z.strictObject({
  allowedPaymentTerms: z.array(PaymentTermsCodeSchema).min(1, 'must allow at least one payment term'),
  discountApprovalThresholdBasisPoints: z
    .number({ error: 'must be a number of basis points' })
    .int('must be a whole number of basis points (1000 = 10%)')
    .min(0, 'must not be negative')
    .max(10_000, 'cannot exceed 100% (10000 basis points)'),
  autoStartBillingOnAcceptance: z.boolean({ error: 'must be yes or no' }),
});
export type Policy = z.infer<typeof PolicySchema>;

const ruleId = z
  .string({ error: 'must be a rule id' })
  .superRefine((id, ctx) => {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      ctx.addIssue({ code: 'custom', message: `"${id}" is not a rule we know (known: ${RULE_IDS.join(', ')})` });
    }
  })
  .transform((id) => id as RuleId);

/** A built-in cross-field rule switched on for this template; severity overrides the rule's own default. */
export const RuleSettingSchema = z.strictObject({ rule: ruleId, severity: SeveritySchema.optional() });
export type RuleSetting = z.infer<typeof RuleSettingSchema>;

export const HandoffTemplateSchema = z
  .strictObject({
    id: slug('a template id'),
    name: label,
    version: z.number({ error: 'must be a version number' }).int('must be a whole number').min(1, 'must be 1 or more'),
    fromTeam: slug('a team id'),
    toTeam: slug('a team id'),
    object: z.literal('deal', { error: "must be 'deal' (only deals have handoffs today)" }),
    entryCriteria: EntryCriteriaSchema,
    requiredFields: z.array(RequiredFieldSchema).min(1, 'must require at least one field'),
    rules: z.array(RuleSettingSchema).default([]),
    receivingOwner: ReceivingOwnerRuleSchema,
    sla: SlaSchema,
    rejectionReasons: z.array(RejectionReasonSchema).min(1, 'must offer at least one rejection reason'),
    feedbackMetric: slug('a metric name'),
    exceptionOwnerRole: slug('a role name'),
    policy: PolicySchema,
    /** Tax on billing lines whose plan, component and HubSpot line item name none (e.g. the company's standard VAT). */
    defaultTax: TaxTreatmentSchema.optional(),
    /**
     * QuickBooks has no draft invoices, so invoices not yet due are held in Revenue Handoff and created on their
     * date or trigger. `held` (the default): only there. `estimate`: each is also created in QuickBooks at billing
     * setup as an Estimate (non-posting: accounts receivable untouched; upcoming billing visible in QuickBooks),
     * which the invoice converts (and closes) on its date. Only QuickBooks Online has estimates: with Xero or
     * Stripe connected, `estimate` stops billing setup with an error naming this field.
     */
    quickbooksScheduledAs: ScheduledInvoicesAsSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.fromTeam === t.toTeam) {
      ctx.addIssue({
        code: 'custom',
        path: ['toTeam'],
        message: 'must differ from fromTeam: a team cannot hand off to itself',
      });
    }
    const seen = new Set<string>();
    for (const [i, r] of t.requiredFields.entries()) {
      if (seen.has(r.field)) {
        ctx.addIssue({ code: 'custom', path: ['requiredFields', i, 'field'], message: `lists ${r.field} twice` });
      }
      seen.add(r.field);
      if (r.required === 'always') continue;
      const cond = r.required.when;
      const at = ['requiredFields', i, 'required', 'when'];
      if (cond.field === r.field) {
        ctx.addIssue({ code: 'custom', path: [...at, 'field'], message: `${r.field} cannot be required on itself` });
      }
      const values = cond.equals !== undefined ? [cond.equals] : (cond.in ?? []);
      for (const v of values) {
        if (!validateField(cond.field, v).ok) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, cond.equals !== undefined ? 'equals' : 'in'],
            message: `${JSON.stringify(v)} is not a possible value of ${cond.field}, so the condition could never hold`,
          });
        }
      }
    }
    const codes = new Set<string>();
    for (const [i, r] of t.rejectionReasons.entries()) {
      if (codes.has(r.code)) {
        ctx.addIssue({ code: 'custom', path: ['rejectionReasons', i, 'code'], message: `repeats "${r.code}"` });
      }
      codes.add(r.code);
    }
    const rules = new Set<string>();
    for (const [i, r] of t.rules.entries()) {
      if (rules.has(r.rule))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'rule'], message: `repeats "${r.rule}"` });
      rules.add(r.rule);
    }
  });
export type HandoffTemplate = z.infer<typeof HandoffTemplateSchema>;
export type HandoffTemplateInput = z.input<typeof HandoffTemplateSchema>;

/**
 * Parses an admin-edited template, or throws one DomainError('invalid_input') naming every problem and its path.
 * @example validateTemplate({ ...DEFAULT_SALES_TO_CS, sla: { hours: 0, calendar: 'business' } }) // throws "sla.hours: must be more than 0 hours"
 */
export function validateTemplate(input: unknown): HandoffTemplate {
  // A template this function returned is frozen, so it is still valid: evaluating many handoffs against one
  // template validates it once, not once per handoff.
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as HandoffTemplate;
  const template = deepFreeze(parseInput(HandoffTemplateSchema, input, 'template'));
  validated.add(template);
  return template;
}

const validated = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Whether a deal has reached the point where this handoff starts.
 * @example meetsEntryCriteria(template, { stage: 'closedwon' }) // true for a template entered at closedwon
 */
export function meetsEntryCriteria(
  template: HandoffTemplate,
  deal: { stage: string; acceptedTemplateIds?: ReadonlyArray<string> },
): boolean {
  const t = validateTemplate(template);
  const d = parseInput(DealEntrySchema, deal, 'deal');
  switch (t.entryCriteria.kind) {
    case 'always':
      return true;
    case 'deal_stage':
      return t.entryCriteria.stages.includes(d.stage);
    case 'handoff_accepted':
      return d.acceptedTemplateIds.includes(t.entryCriteria.templateId);
    case 'renewal_due':
      // Such a handoff exists only once the sweep found its renewal due.
      return true;
  }
}

const DealEntrySchema = z.strictObject({
  stage: z.string({ error: 'must be a deal stage id' }),
  acceptedTemplateIds: z.array(z.string()).default([]),
});

export type ResolvedOwner = { kind: 'user'; userId: string } | { kind: 'team'; teamId: string };

const DealOwnerSchema = z.strictObject({
  ownerId: z.string().min(1).nullish(),
  properties: z.record(z.string(), z.string().nullish()).default({}),
});

/**
 * Who receives a handoff on this deal; falls back to the receiving team when the rule names nobody, so that a
 * handoff is never owned by no one.
 * @example resolveReceivingOwner(template, { ownerId: '42' }) // { kind: 'user', userId: '42' } for a deal_owner rule
 */
export function resolveReceivingOwner(
  template: HandoffTemplate,
  deal: { ownerId?: string | null; properties?: Record<string, string | null | undefined> },
): ResolvedOwner {
  const t = validateTemplate(template);
  const d = parseInput(DealOwnerSchema, deal, 'deal');
  const fallback: ResolvedOwner = { kind: 'team', teamId: t.toTeam };
  const rule = t.receivingOwner;
  switch (rule.kind) {
    case 'user':
      return { kind: 'user', userId: rule.userId };
    case 'team':
      return { kind: 'team', teamId: rule.teamId };
    case 'deal_owner':
      return d.ownerId ? { kind: 'user', userId: d.ownerId } : fallback;
    case 'property': {
      const v = d.properties[rule.property];
      return v?.trim() ? { kind: 'user', userId: v.trim() } : fallback;
    }
  }
}
