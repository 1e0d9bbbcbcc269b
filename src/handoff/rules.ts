import { z } from 'zod';
import type { FinanceCapabilities } from '../billing/capabilities.js';
import { nominalDays, PaymentTermsCodeSchema, paymentTermsLabel } from '../billing/payment-terms.js';
import type { BillingPlan } from '../billing/plan.js';
import { CalendarDaySchema } from '../core/dates.js';
import {
  compareMoney,
  formatMoney,
  fractionOf,
  type Money,
  MoneySchema,
  subtractMoney,
  sumMoney,
} from '../core/money.js';
import { parseInput } from '../core/validate.js';
import type { CreditAssessment } from '../receivables/credit.js';
import {
  type HandoffData,
  type HandoffDataInput,
  HandoffDataSchema,
  type HandoffFieldKey,
  isPresent,
} from './fields.js';
import { RULE_IDS, type RuleId } from './rule-ids.js';
import { type Policy, PolicySchema, type Severity } from './template.js';

export { RULE_IDS, type RuleId };

/**
 * The conditional rules of a handoff, one named pure function each. A rule looks at the (already valid) handoff
 * values and says, for the fields it judges, whether they are fine and if not why — in words a rep can act on.
 * A rule that does not apply returns nothing, so that a field is only listed when something actually asks for it.
 */

export type FieldStatus = 'ok' | 'missing' | 'invalid' | 'needs_approval';

export interface Suggestion {
  rule: RuleId;
  kind: 'deposit' | 'shorter_terms' | 'alternative';
  field: HandoffFieldKey;
  message: string;
  /** What to change, as a partial value; for `alternative` the finance system's own patch of the billing plan. */
  patch?: unknown;
}

export interface RuleOutcome {
  field: HandoffFieldKey;
  status: FieldStatus;
  /** Set whenever status is not ok. */
  reason?: string;
  suggestion?: Suggestion;
}

/** What the feasibility check (src/billing/feasibility.ts) reports; repeated here as a schema to check it at the seam. */
export const FeasibilityResultSchema = z.object({
  feasible: z.boolean(),
  problems: z.array(
    z.object({
      code: z.string(),
      path: z.string(),
      /** Absent on older results: then every problem of an infeasible plan counts as blocking. */
      blocking: z.boolean().optional(),
      message: z.string(),
      alternative: z.object({ description: z.string(), patch: z.unknown() }).optional(),
    }),
  ),
});
export type FeasibilityResult = z.infer<typeof FeasibilityResultSchema>;

export const CreditAssessmentSchema = z.object({
  level: z.enum(['ok', 'watch', 'high_risk'], { error: 'must be ok, watch or high_risk' }),
  suggestion: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('shorter_terms'), maxTerms: PaymentTermsCodeSchema }),
      z.object({
        kind: z.literal('deposit'),
        basisPoints: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(10_000, 'cannot exceed 100%'),
      }),
    ],
    { error: 'must be { kind: none | shorter_terms | deposit }' },
  ),
  reasons: z.array(z.string()),
}) satisfies z.ZodType<CreditAssessment>;

export const FinanceCapabilitiesSchema = z.custom<FinanceCapabilities>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { system?: unknown }).system === 'string' &&
    typeof (v as { displayName?: unknown }).displayName === 'string',
  { error: 'must be a finance capabilities descriptor (system, displayName, …)' },
);

/** Approvals recorded outside the handoff values (e.g. by the approval workflow), which satisfy the same rules. */
export const RecordedApprovalSchema = z.strictObject({
  subject: z.enum(['discount', 'non_standard_clauses', 'payment_terms', 'credit'], {
    error: 'must be discount, non_standard_clauses, payment_terms or credit',
  }),
  approvedBy: z.string().trim().min(1, 'is required'),
  approvedAt: z.coerce.date({ error: 'must be a date and time' }),
});
export type RecordedApproval = z.infer<typeof RecordedApprovalSchema>;

export const RuleContextSchema = z.strictObject({
  policy: PolicySchema,
  /** Today in the portal's time zone: approvals dated later than this are not believed. */
  today: CalendarDaySchema,
  approvals: z.array(RecordedApprovalSchema).default([]),
  credit: CreditAssessmentSchema.optional(),
  capabilities: FinanceCapabilitiesSchema.optional(),
  /** contractValue(billingPlan), computed by the caller so that rules stay independent of schedule generation. */
  planTotal: MoneySchema.optional(),
  feasibility: FeasibilityResultSchema.optional(),
});
export type RuleContext = z.infer<typeof RuleContextSchema>;
export type RuleContextInput = z.input<typeof RuleContextSchema>;

/** A rule: the function plus what admins see about it. Inputs are validated, so bad input throws a DomainError. */
export interface Rule {
  (data: HandoffDataInput, ctx: RuleContextInput): RuleOutcome[];
  readonly id: RuleId;
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** The fields this rule may judge; the card shows them as "may be asked for". */
  readonly fields: ReadonlyArray<HandoffFieldKey>;
  /** The rule on input its caller has already parsed with HandoffDataSchema and RuleContextSchema (evaluateHandoff
   * runs every rule on one parse instead of one parse per rule). */
  readonly parsed: (data: HandoffData, ctx: RuleContext) => RuleOutcome[];
}

function defineRule(
  id: RuleId,
  meta: { description: string; defaultSeverity: Severity; fields: HandoffFieldKey[] },
  body: (data: HandoffData, ctx: RuleContext) => RuleOutcome[],
): Rule {
  const run = (data: HandoffDataInput, ctx: RuleContextInput) =>
    body(parseInput(HandoffDataSchema, data, 'data'), parseInput(RuleContextSchema, ctx, 'context'));
  return Object.assign(run, { id, ...meta, parsed: body });
}

const ok = (field: HandoffFieldKey): RuleOutcome => ({ field, status: 'ok' });

function hasApproval(ctx: RuleContext, subject: RecordedApproval['subject']): boolean {
  return ctx.approvals.some((a) => a.subject === subject);
}

function approvalOutcome(
  field: HandoffFieldKey,
  approval: HandoffData['discountApproval'],
  ctx: RuleContext,
  subject: RecordedApproval['subject'],
  why: string,
): RuleOutcome {
  if (approval && approval.approvedOn > ctx.today) {
    return {
      field,
      status: 'invalid',
      reason: `The approval is dated ${approval.approvedOn}, which is in the future.`,
    };
  }
  if (approval || hasApproval(ctx, subject)) return ok(field);
  return { field, status: 'needs_approval', reason: why };
}

function milestoneTotal(plan: BillingPlan): Money {
  const amounts = plan.components.flatMap((c) => (c.kind === 'milestone' ? c.milestones.map((m) => m.amount) : []));
  return sumMoney(amounts, plan.currency);
}

function difference(actual: Money, expected: Money): string {
  const cmp = compareMoney(actual, expected);
  if (cmp === 0) return '';
  const diff = cmp > 0 ? subtractMoney(actual, expected) : subtractMoney(expected, actual);
  return `${formatMoney(diff)} ${cmp > 0 ? 'too much' : 'short'}`;
}

const NONE_WRITTEN = /^(none|no|n\/?a|nil|-+)\.?$/i;

/** "None" typed in a free-text box means there are no such clauses, not a clause called "None". */
function hasText(value: string | undefined): value is string {
  return isPresent(value) && !NONE_WRITTEN.test((value ?? '').trim());
}

/**
 * "No-PO, No-Go": a customer who requires purchase orders gets no invoice without the PO number.
 * @example noPoNoGo({ poRequired: true }, ctx) // [{ field: 'poNumber', status: 'missing', … }]
 */
export const noPoNoGo = defineRule(
  'no_po_no_go',
  {
    description: 'When the customer requires a PO, the PO number must be captured before handoff.',
    defaultSeverity: 'blocking',
    fields: ['poNumber'],
  },
  (data, ctx) => {
    if (data.poRequired !== true) return [];
    if (!isPresent(data.poNumber)) {
      return [
        {
          field: 'poNumber',
          status: 'missing',
          reason: 'The customer requires a PO on every invoice ("No-PO, No-Go"): add the PO number.',
        },
      ];
    }
    if (ctx.capabilities && ctx.capabilities.poField === null) {
      return [
        {
          field: 'poNumber',
          status: 'invalid',
          reason: `${ctx.capabilities.displayName} has nowhere to carry a PO number on invoices, but this customer requires one.`,
        },
      ];
    }
    return [ok('poNumber')];
  },
);

/**
 * Milestone billing: the milestones must add up exactly to the contract value, or money is left unbilled.
 * @example milestonesSumToContractValue({ billingModel: 'milestone', billingPlan, contractValue }, ctx)
 */
export const milestonesSumToContractValue = defineRule(
  'milestones_sum_to_contract_value',
  {
    description: 'With milestone billing, the milestones add up exactly to the contract value.',
    defaultSeverity: 'blocking',
    fields: ['billingPlan'],
  },
  (data) => {
    const plan = data.billingPlan;
    if (data.billingModel !== 'milestone' || !plan) return [];
    if (!plan.components.some((c) => c.kind === 'milestone')) {
      return [
        {
          field: 'billingPlan',
          status: 'invalid',
          reason: 'The billing model is milestones, but the plan has no milestones.',
        },
      ];
    }
    const value = data.contractValue;
    if (!value || value.currency !== plan.currency) return [];
    const total = milestoneTotal(plan);
    if (compareMoney(total, value) === 0) return [ok('billingPlan')];
    return [
      {
        field: 'billingPlan',
        status: 'invalid',
        reason: `The milestones add up to ${formatMoney(total)}, but the contract value is ${formatMoney(value)} (${difference(total, value)}).`,
      },
    ];
  },
);

/**
 * Hourly billing needs a rate and a cap on hours, or the customer has signed up to an unbounded bill.
 * @example hourlyHasRateAndCap({ billingModel: 'hourly', billingPlan }, ctx)
 */
export const hourlyHasRateAndCap = defineRule(
  'hourly_has_rate_and_cap',
  {
    description: 'With hourly billing, the plan states an hourly rate and a cap on hours per period.',
    defaultSeverity: 'blocking',
    fields: ['billingPlan'],
  },
  (data) => {
    const plan = data.billingPlan;
    if (!plan) return [];
    const hasHourly = plan.components.some((c) => c.kind === 'hourly');
    if (data.billingModel !== 'hourly' && !hasHourly) return [];
    // A missing rate or cap never gets this far: the plan schema refuses it with the component's path.
    if (hasHourly) return [ok('billingPlan')];
    return [
      {
        field: 'billingPlan',
        status: 'invalid',
        reason: 'The billing model is hourly, but the plan has no hourly component with a rate and a cap on hours.',
      },
    ];
  },
);

/**
 * A discount above the template's threshold needs a recorded approval (who and when).
 * @example discountAboveThresholdApproved({ discountBasisPoints: 2500 }, ctx) // needs_approval when the threshold is 2000
 */
export const discountAboveThresholdApproved = defineRule(
  'discount_above_threshold_approved',
  {
    description: 'A discount above the approval threshold has a recorded approval.',
    defaultSeverity: 'blocking',
    fields: ['discountApproval'],
  },
  (data, ctx) => {
    const planDiscount =
      data.billingPlan?.discount?.kind === 'percent' ? data.billingPlan.discount.basisPoints : undefined;
    const candidates = [data.discountBasisPoints, planDiscount].filter((d): d is number => d !== undefined);
    if (candidates.length === 0) return [];
    const discount = Math.max(...candidates);
    const threshold = ctx.policy.discountApprovalThresholdBasisPoints;
    if (discount <= threshold) return [];
    return [
      approvalOutcome(
        'discountApproval',
        data.discountApproval,
        ctx,
        'discount',
        `A ${percent(discount)} discount is above the ${percent(threshold)} approval threshold: record who approved it and when.`,
      ),
    ];
  },
);

function percent(basisPoints: number): string {
  return `${basisPoints / 100}%`;
}

/**
 * Non-standard clauses need finance approval before finance is asked to bill them.
 * @example nonStandardClausesFinanceApproved({ nonStandardClauses: 'Net 90 for year one' }, ctx)
 */
export const nonStandardClausesFinanceApproved = defineRule(
  'non_standard_clauses_finance_approved',
  {
    description: 'Non-standard clauses have a recorded finance approval.',
    defaultSeverity: 'blocking',
    fields: ['financeApproval'],
  },
  (data, ctx) => {
    if (!hasText(data.nonStandardClauses)) return [];
    return [
      approvalOutcome(
        'financeApproval',
        data.financeApproval,
        ctx,
        'non_standard_clauses',
        'The contract has non-standard clauses: finance must approve them before billing is set up.',
      ),
    ];
  },
);

/**
 * Payment terms outside the template's allowed list are an exception that someone must approve.
 * @example paymentTermsWithinPolicy({ paymentTerms: 'net_90' }, ctx) // needs_approval
 */
export const paymentTermsWithinPolicy = defineRule(
  'payment_terms_within_policy',
  {
    description: "Payment terms are on the template's allowed list, or approved as an exception.",
    defaultSeverity: 'blocking',
    fields: ['paymentTerms'],
  },
  (data, ctx) => {
    const terms = data.paymentTerms;
    if (!terms) return [];
    if (ctx.policy.allowedPaymentTerms.includes(terms) || hasApproval(ctx, 'payment_terms'))
      return [ok('paymentTerms')];
    const allowed = ctx.policy.allowedPaymentTerms.map(paymentTermsLabel).join(', ');
    return [
      {
        field: 'paymentTerms',
        status: 'needs_approval',
        reason: `${paymentTermsLabel(terms)} is outside the payment-terms policy (${allowed}): it needs an approved exception.`,
      },
    ];
  },
);

/**
 * The billing (AP) contact must not be the champion: champions rarely pay invoices, so invoices sent to them sit.
 * @example apContactDistinctFromChampion({ billingContact: { name: 'Ana', email: 'ana@x.com' }, championEmail: 'ana@x.com' }, ctx)
 */
export const apContactDistinctFromChampion = defineRule(
  'ap_contact_distinct_from_champion',
  {
    description: 'The billing (AP) contact is someone other than the champion.',
    defaultSeverity: 'blocking',
    fields: ['billingContact'],
  },
  (data) => {
    const contact = data.billingContact;
    if (!contact) return [];
    const champions = new Set<string>();
    if (data.championEmail) champions.add(data.championEmail.toLowerCase());
    for (const s of data.stakeholders ?? []) if (s.role === 'champion' && s.email) champions.add(s.email.toLowerCase());
    if (champions.size === 0) return [];
    if (!champions.has(contact.email.toLowerCase())) return [ok('billingContact')];
    return [
      {
        field: 'billingContact',
        status: 'invalid',
        reason: `The billing contact ${contact.email} is the champion. Invoices go to accounts payable: add the AP contact.`,
      },
    ];
  },
);

/**
 * The renewal date comes after the start date.
 * @example renewalAfterStart({ startDate: '2026-03-01', renewalDate: '2026-02-01' }, ctx) // invalid
 */
export const renewalAfterStart = defineRule(
  'renewal_after_start',
  { description: 'The renewal date is after the start date.', defaultSeverity: 'blocking', fields: ['renewalDate'] },
  (data) => {
    if (!data.startDate || !data.renewalDate) return [];
    if (data.renewalDate > data.startDate) return [ok('renewalDate')];
    return [
      {
        field: 'renewalDate',
        status: 'invalid',
        reason: `The renewal date ${data.renewalDate} must be after the start date ${data.startDate}.`,
      },
    ];
  },
);

/**
 * The billing plan and every amount are in the handoff's currency.
 * @example currenciesMatch({ currency: 'USD', contractValue: { amount: 100, currency: 'EUR' } }, ctx) // invalid
 */
export const currenciesMatch = defineRule(
  'currencies_match',
  {
    description: "The billing plan and every amount are in the handoff's currency.",
    defaultSeverity: 'blocking',
    fields: ['billingPlan', 'contractValue', 'implementationFee', 'depositAmount'],
  },
  (data) => {
    const currency = data.currency;
    if (!currency) return [];
    const found: Array<[HandoffFieldKey, string | undefined]> = [
      ['billingPlan', data.billingPlan?.currency],
      ['contractValue', data.contractValue?.currency],
      ['implementationFee', data.implementationFee?.currency],
      ['depositAmount', data.depositAmount?.currency],
    ];
    return found.flatMap(([field, c]): RuleOutcome[] => {
      if (c === undefined) return [];
      if (c === currency) return [ok(field)];
      return [{ field, status: 'invalid', reason: `Is in ${c}, but the handoff currency is ${currency}.` }];
    });
  },
);

/**
 * The billing plan's total equals the contract value, so that what is billed is what was sold.
 * @example planTotalMatchesContractValue({ billingPlan, contractValue }, { ...ctx, planTotal })
 */
export const planTotalMatchesContractValue = defineRule(
  'plan_total_matches_contract_value',
  {
    description: 'The billing plan adds up to the contract value.',
    defaultSeverity: 'blocking',
    fields: ['billingPlan'],
  },
  (data, ctx) => {
    const value = data.contractValue;
    const total = ctx.planTotal;
    if (!data.billingPlan || !value || !total || total.currency !== value.currency) return [];
    if (compareMoney(total, value) === 0) return [ok('billingPlan')];
    return [
      {
        field: 'billingPlan',
        status: 'invalid',
        reason: `The billing plan adds up to ${formatMoney(total)}, but the contract value is ${formatMoney(value)} (${difference(total, value)}).`,
      },
    ];
  },
);

/**
 * The plan carries the same payment terms and start date as the handoff, so that the invoices say what was agreed.
 * @example planMatchesHandoffTerms({ paymentTerms: 'net_30', billingPlan: { …, paymentTerms: 'net_45' } }, ctx) // invalid
 */
export const planMatchesHandoffTerms = defineRule(
  'plan_matches_handoff_terms',
  {
    description: "The billing plan's payment terms and start date match the handoff's.",
    defaultSeverity: 'blocking',
    fields: ['billingPlan'],
  },
  (data) => {
    const plan = data.billingPlan;
    if (!plan || (!data.paymentTerms && !data.startDate)) return [];
    const problems: string[] = [];
    if (data.paymentTerms && plan.paymentTerms !== data.paymentTerms) {
      problems.push(
        `its payment terms are ${paymentTermsLabel(plan.paymentTerms)} but the handoff says ${paymentTermsLabel(data.paymentTerms)}`,
      );
    }
    if (data.startDate && plan.startDate !== data.startDate) {
      problems.push(`it starts on ${plan.startDate} but the contract starts on ${data.startDate}`);
    }
    if (problems.length === 0) return [ok('billingPlan')];
    return [
      {
        field: 'billingPlan',
        status: 'invalid',
        reason: `The billing plan disagrees with the handoff: ${problems.join('; ')}.`,
      },
    ];
  },
);

/**
 * A customer with a late-payment history gets a suggestion — a deposit or shorter terms — as advice, not a block.
 * @example creditSuggestion({ paymentTerms: 'net_45' }, { ...ctx, credit: { level: 'watch', suggestion: { kind: 'shorter_terms', maxTerms: 'net_15' }, reasons: [] } })
 */
export const creditSuggestion = defineRule(
  'credit_suggestion',
  {
    description: 'A customer who paid late before is offered a deposit or shorter terms.',
    defaultSeverity: 'warning',
    fields: ['paymentTerms', 'depositAmount'],
  },
  (data, ctx) => {
    const credit = ctx.credit;
    if (!credit || credit.suggestion.kind === 'none') return [];
    const history = credit.reasons.length > 0 ? credit.reasons.join('; ') : `credit level ${credit.level}`;
    const approved = hasApproval(ctx, 'credit');
    if (credit.suggestion.kind === 'shorter_terms') {
      const max = credit.suggestion.maxTerms;
      const terms = data.paymentTerms;
      if (approved || (terms && nominalDays(terms) <= nominalDays(max))) return terms ? [ok('paymentTerms')] : [];
      const message = `Late-payment history (${history}): offer no longer than ${paymentTermsLabel(max)}${terms ? ` instead of ${paymentTermsLabel(terms)}` : ''}.`;
      return [
        {
          field: 'paymentTerms',
          status: 'needs_approval',
          reason: message,
          suggestion: {
            rule: 'credit_suggestion',
            kind: 'shorter_terms',
            field: 'paymentTerms',
            message,
            patch: { paymentTerms: max },
          },
        },
      ];
    }
    const bp = credit.suggestion.basisPoints;
    const value = data.contractValue;
    const needed = value ? fractionOf(value, bp, 10_000) : undefined;
    const deposit = data.depositAmount;
    const enough =
      deposit !== undefined &&
      (needed ? deposit.currency === needed.currency && compareMoney(deposit, needed) >= 0 : deposit.amount > 0);
    if (approved || enough) return deposit ? [ok('depositAmount')] : [];
    const message = `Late-payment history (${history}): ask for a ${percent(bp)} deposit${needed ? ` (${formatMoney(needed)})` : ''}.`;
    return [
      {
        field: 'depositAmount',
        status: 'needs_approval',
        reason: message,
        suggestion: {
          rule: 'credit_suggestion',
          kind: 'deposit',
          field: 'depositAmount',
          message,
          ...(needed ? { patch: { depositAmount: needed } } : {}),
        },
      },
    ];
  },
);

/**
 * A plan the connected finance system cannot represent is invalid, with the vendor's reason and its alternative.
 * @example planFeasibleInFinanceSystem({ billingPlan }, { ...ctx, feasibility: checkFeasibility(plan, caps) })
 */
export const planFeasibleInFinanceSystem = defineRule(
  'plan_feasible_in_finance_system',
  {
    description: 'The connected finance system can represent the billing plan.',
    defaultSeverity: 'blocking',
    fields: ['billingPlan'],
  },
  (data, ctx) => {
    const result = ctx.feasibility;
    if (!data.billingPlan || !result) return [];
    // Non-blocking problems are notes on how the plan will be represented, not faults in it.
    const blocking = result.problems.filter((p) => p.blocking ?? !result.feasible);
    if (blocking.length === 0) return [ok('billingPlan')];
    return blocking.map((p): RuleOutcome => {
      const path = p.path.startsWith('billingPlan') ? p.path : `billingPlan.${p.path}`;
      const alt = p.alternative ? ` Alternative: ${p.alternative.description}.` : '';
      const outcome: RuleOutcome = {
        field: 'billingPlan',
        status: 'invalid',
        reason: `${p.message.replace(/\.\s*$/, '')} (${path}).${alt}`,
      };
      if (p.alternative) {
        outcome.suggestion = {
          rule: 'plan_feasible_in_finance_system',
          kind: 'alternative',
          field: 'billingPlan',
          message: p.alternative.description,
          patch: p.alternative.patch,
        };
      }
      return outcome;
    });
  },
);

/**
 * CS needs to know who signs (economic buyer) and who works with them every day.
 * @example stakeholdersNameBuyerAndDayToDay({ stakeholders: [{ name: 'Bo', role: 'economic_buyer' }] }, ctx) // invalid: no day-to-day contact
 */
export const stakeholdersNameBuyerAndDayToDay = defineRule(
  'stakeholders_name_buyer_and_day_to_day',
  {
    description: 'The stakeholders include the economic buyer and the day-to-day contact.',
    defaultSeverity: 'blocking',
    fields: ['stakeholders'],
  },
  (data) => {
    const people = data.stakeholders;
    if (!people || people.length === 0) return [];
    const lacking: string[] = [];
    if (!people.some((p) => p.role === 'economic_buyer')) lacking.push('the economic buyer');
    if (!people.some((p) => p.role === 'day_to_day')) lacking.push('the day-to-day contact');
    if (lacking.length === 0) return [ok('stakeholders')];
    return [
      { field: 'stakeholders', status: 'invalid', reason: `Name ${lacking.join(' and ')} among the stakeholders.` },
    ];
  },
);

/** Every built-in rule by id. */
export const HANDOFF_RULES: Readonly<Record<RuleId, Rule>> = {
  no_po_no_go: noPoNoGo,
  milestones_sum_to_contract_value: milestonesSumToContractValue,
  hourly_has_rate_and_cap: hourlyHasRateAndCap,
  discount_above_threshold_approved: discountAboveThresholdApproved,
  non_standard_clauses_finance_approved: nonStandardClausesFinanceApproved,
  payment_terms_within_policy: paymentTermsWithinPolicy,
  ap_contact_distinct_from_champion: apContactDistinctFromChampion,
  renewal_after_start: renewalAfterStart,
  currencies_match: currenciesMatch,
  plan_total_matches_contract_value: planTotalMatchesContractValue,
  plan_matches_handoff_terms: planMatchesHandoffTerms,
  credit_suggestion: creditSuggestion,
  plan_feasible_in_finance_system: planFeasibleInFinanceSystem,
  stakeholders_name_buyer_and_day_to_day: stakeholdersNameBuyerAndDayToDay,
};

/** Policy type re-exported for rule callers. */
export type { Policy };
