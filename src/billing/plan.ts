import { z } from 'zod';
import { CurrencyCodeSchema, MoneySchema } from '../core/money.js';
// core's CalendarDaySchema and month clamp, with answers remembered: plans are validated on every schedule.
import { addMonths, ScheduleDaySchema as CalendarDaySchema } from './calendar.js';
import { PaymentTermsCodeSchema } from './payment-terms.js';
import { TaxTreatmentSchema } from './tax.js';

/**
 * A billing plan: what the customer agreed to pay, as structured data. A plan has one currency, a service
 * term [startDate, endDate] (both days inclusive), payment terms, and one or more components. Every Money in
 * the plan must be in the plan's currency (checked by `BillingPlanSchema`).
 */

export const BillingIntervalSchema = z.enum(['monthly', 'quarterly', 'annual'], {
  error: 'must be monthly, quarterly or annual',
});
export type BillingInterval = z.infer<typeof BillingIntervalSchema>;

/** Invoice at the start of each period (advance) or at its end (arrears). */
export const BillingTimingSchema = z.enum(['advance', 'arrears'], {
  error: 'must be advance (start of each period) or arrears (end of each period)',
});
export type BillingTiming = z.infer<typeof BillingTimingSchema>;

const positiveMoney = MoneySchema.refine((m) => m.amount > 0, { message: 'must be more than zero', path: ['amount'] });
const nonNegativeMoney = MoneySchema.refine((m) => m.amount >= 0, {
  message: 'must not be negative',
  path: ['amount'],
});

/** Tax on a component's lines (its own, else the plan's `tax`), and the HubSpot line item it came from, if any. */
const componentTax = {
  tax: TaxTreatmentSchema.optional(),
  lineItemId: z.string().trim().min(1).max(64).optional(),
};

/** A price step: from period number `fromPeriod` (1-based) on, the period price is `price`. */
export const RampStepSchema = z.object({
  fromPeriod: z.number().int().min(2, 'ramps start from period 2 (period 1 uses the base price)'),
  price: nonNegativeMoney,
});

/** Subscription or retainer: a price per full period. */
export const RecurringComponentSchema = z.object({
  kind: z.literal('recurring'),
  ...componentTax,
  description: z.string().trim().min(1, 'is required').max(200),
  interval: BillingIntervalSchema,
  timing: BillingTimingSchema,
  price: nonNegativeMoney,
  /** `term`: periods run from the start date. `calendar`: periods align to calendar months/quarters/years, so the
   * first and last periods are prorated by actual days. */
  alignment: z
    .enum(['term', 'calendar'], {
      error: 'must be term (from the start date) or calendar (calendar months/quarters/years)',
    })
    .default('term'),
  ramps: z.array(RampStepSchema).max(60).default([]),
});

/** One deliverable billed when the customer accepts it. */
export const MilestoneSchema = z.object({
  id: z.string().trim().min(1, 'is required').max(64),
  name: z.string().trim().min(1, 'is required').max(200),
  amount: positiveMoney,
  /** Expected acceptance date, used for the preview and forecasting. */
  expectedOn: CalendarDaySchema.optional(),
  acceptedOn: CalendarDaySchema.optional(),
});

export const MilestoneComponentSchema = z.object({
  kind: z.literal('milestone'),
  ...componentTax,
  description: z.string().trim().min(1).max(200).default('Milestones'),
  milestones: z.array(MilestoneSchema).min(1, 'needs at least one milestone').max(100),
});

/** Time and materials with a cap: hours up to `capHoursPerPeriod` are invoiced each period, in arrears. */
export const HourlyComponentSchema = z.object({
  kind: z.literal('hourly'),
  ...componentTax,
  description: z.string().trim().min(1).max(200).default('Professional services'),
  rate: positiveMoney,
  capHoursPerPeriod: z.number().int().positive('must be a positive whole number of hours').max(10_000),
  interval: BillingIntervalSchema.default('monthly'),
});

/** A single charge: implementation or set-up fee, or any other one-off. */
export const OneTimeComponentSchema = z.object({
  kind: z.literal('one_time'),
  ...componentTax,
  category: z
    .enum(['implementation', 'setup', 'other'], { error: 'must be implementation, setup or other' })
    .default('other'),
  description: z.string().trim().min(1, 'is required').max(200),
  amount: positiveMoney,
  /** When it is invoiced: on the start date, on acceptance of the handoff, or on a given date. */
  on: z.enum(['start', 'acceptance', 'date'], { error: 'must be start, acceptance or date' }).default('start'),
  date: CalendarDaySchema.optional(),
});

/** Usage commitment: a minimum per period (invoiced in arrears) plus overage per unit beyond the included units. */
export const UsageComponentSchema = z.object({
  kind: z.literal('usage'),
  ...componentTax,
  description: z.string().trim().min(1).max(200).default('Usage'),
  interval: BillingIntervalSchema.default('monthly'),
  minimumPerPeriod: nonNegativeMoney,
  includedUnits: z.number().int().min(0),
  overageUnitPrice: nonNegativeMoney,
  unitName: z.string().trim().min(1).max(40).default('unit'),
});

export const BillingComponentSchema = z.discriminatedUnion(
  'kind',
  [
    RecurringComponentSchema,
    MilestoneComponentSchema,
    HourlyComponentSchema,
    OneTimeComponentSchema,
    UsageComponentSchema,
  ],
  { error: 'must be one of recurring, milestone, hourly, one_time, usage' },
);
export type BillingComponent = z.infer<typeof BillingComponentSchema>;

/** A discount on recurring components: percent in basis points (1000 = 10%) or a fixed amount per period. */
export const DiscountSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('percent'),
      basisPoints: z.number().int().min(1, 'must be at least 1 basis point').max(10_000, 'cannot exceed 100%'),
      reason: z.string().trim().max(200).optional(),
    }),
    z.object({
      kind: z.literal('amount_per_period'),
      amount: positiveMoney,
      reason: z.string().trim().max(200).optional(),
    }),
  ],
  { error: 'must be percent or amount_per_period' },
);
export type Discount = z.infer<typeof DiscountSchema>;

/** Billing model as a person names it; derived from the components, also stored on the deal. */
export const BillingModelSchema = z.enum(['subscription', 'retainer', 'milestone', 'hourly', 'one_time', 'usage']);
export type BillingModel = z.infer<typeof BillingModelSchema>;

const PlanObjectSchema = z.object({
  currency: CurrencyCodeSchema,
  startDate: CalendarDaySchema,
  /** Last day of service, inclusive. */
  endDate: CalendarDaySchema,
  paymentTerms: PaymentTermsCodeSchema,
  components: z.array(BillingComponentSchema).min(1, 'needs at least one billing component').max(20),
  discount: DiscountSchema.optional(),
  /** Default tax treatment of every line whose component names none (from the template's default when unset). */
  tax: TaxTreatmentSchema.optional(),
});

function* moneyPaths(plan: z.infer<typeof PlanObjectSchema>): Generator<[Array<string | number>, string]> {
  if (plan.discount?.kind === 'amount_per_period') yield [['discount', 'amount'], plan.discount.amount.currency];
  for (const [i, c] of plan.components.entries()) {
    const at = (...rest: Array<string | number>) => ['components', i, ...rest];
    switch (c.kind) {
      case 'recurring':
        yield [at('price'), c.price.currency];
        for (const [j, r] of c.ramps.entries()) yield [at('ramps', j, 'price'), r.price.currency];
        break;
      case 'milestone':
        for (const [j, m] of c.milestones.entries()) yield [at('milestones', j, 'amount'), m.amount.currency];
        break;
      case 'hourly':
        yield [at('rate'), c.rate.currency];
        break;
      case 'one_time':
        yield [at('amount'), c.amount.currency];
        break;
      case 'usage':
        yield [at('minimumPerPeriod'), c.minimumPerPeriod.currency];
        yield [at('overageUnitPrice'), c.overageUnitPrice.currency];
        break;
    }
  }
}

/**
 * Largest amount in a plan, in minor units (10^11: a billion dollars, a hundred billion yen). Schedules multiply
 * prices by up to 366 days during proration and add up to 1,200 periods for up to 20 components; this bound keeps
 * every intermediate exactly representable (below 2^53) so that sums stay exact.
 */
export const MAX_PLAN_AMOUNT = 100_000_000_000;

/** Longest contract term, in years (monthly billing then has at most 1,200 periods). */
export const MAX_TERM_YEARS = 100;

function* moneyAmounts(plan: z.infer<typeof PlanObjectSchema>): Generator<[Array<string | number>, number, string?]> {
  if (plan.discount?.kind === 'amount_per_period') yield [['discount', 'amount'], plan.discount.amount.amount];
  for (const [i, c] of plan.components.entries()) {
    const at = (...rest: Array<string | number>) => ['components', i, ...rest];
    switch (c.kind) {
      case 'recurring':
        yield [at('price'), c.price.amount];
        for (const [j, r] of c.ramps.entries()) yield [at('ramps', j, 'price'), r.price.amount];
        break;
      case 'milestone':
        for (const [j, m] of c.milestones.entries()) yield [at('milestones', j, 'amount'), m.amount.amount];
        break;
      case 'hourly':
        // The period's maximum billable (rate × cap) is what gets invoiced, so that is what must stay bounded.
        yield [at('rate'), c.rate.amount * c.capHoursPerPeriod, 'times the hour cap'];
        break;
      case 'one_time':
        yield [at('amount'), c.amount.amount];
        break;
      case 'usage':
        yield [at('minimumPerPeriod'), c.minimumPerPeriod.amount];
        yield [at('overageUnitPrice'), c.overageUnitPrice.amount];
        break;
    }
  }
}

/** The billing plan, with cross-field checks: dates in order, one currency, unique milestone ids, ramps ascending. */
export const BillingPlanSchema = PlanObjectSchema.superRefine((plan, ctx) => {
  // Comparing dates only makes sense once both parse; otherwise their own issues already say what is wrong.
  const datesValid =
    CalendarDaySchema.safeParse(plan.startDate).success && CalendarDaySchema.safeParse(plan.endDate).success;
  if (datesValid && plan.endDate < plan.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must be on or after the start date' });
  } else if (datesValid && plan.endDate >= addMonths(plan.startDate, MAX_TERM_YEARS * 12)) {
    ctx.addIssue({
      code: 'custom',
      path: ['endDate'],
      message: `the term cannot be longer than ${MAX_TERM_YEARS} years`,
    });
  }
  for (const [path, currency] of moneyPaths(plan)) {
    if (currency !== plan.currency) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'currency'],
        message: `must be ${plan.currency}, the plan's currency (got ${currency})`,
      });
    }
  }
  for (const [path, amount, what] of moneyAmounts(plan)) {
    if (Math.abs(amount) > MAX_PLAN_AMOUNT) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'amount'],
        message: `${what ? `${what} ` : ''}is too large (at most ${MAX_PLAN_AMOUNT.toLocaleString('en-US')} minor units)`,
      });
    }
  }
  if (plan.discount && !plan.components.some((c) => c.kind === 'recurring')) {
    ctx.addIssue({
      code: 'custom',
      path: ['discount'],
      message: 'applies to recurring components, and this plan has none',
    });
  }
  for (const [i, c] of plan.components.entries()) {
    if (c.kind === 'milestone') {
      const seen = new Set<string>();
      for (const [j, m] of c.milestones.entries()) {
        if (seen.has(m.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['components', i, 'milestones', j, 'id'],
            message: `repeats "${m.id}"`,
          });
        }
        seen.add(m.id);
      }
    }
    if (c.kind === 'recurring') {
      let last = 1;
      for (const [j, r] of c.ramps.entries()) {
        if (r.fromPeriod <= last) {
          ctx.addIssue({
            code: 'custom',
            path: ['components', i, 'ramps', j, 'fromPeriod'],
            message: 'ramp steps must be in increasing period order',
          });
        }
        last = r.fromPeriod;
      }
    }
    if (c.kind === 'one_time' && c.on === 'date' && !c.date) {
      ctx.addIssue({ code: 'custom', path: ['components', i, 'date'], message: 'is required when invoiced on a date' });
    }
    if (
      datesValid &&
      c.kind === 'one_time' &&
      c.on === 'date' &&
      c.date &&
      (c.date < plan.startDate || c.date > plan.endDate)
    ) {
      ctx.addIssue({ code: 'custom', path: ['components', i, 'date'], message: 'must fall within the contract term' });
    }
  }
});
export type BillingPlan = z.infer<typeof BillingPlanSchema>;
export type BillingPlanInput = z.input<typeof BillingPlanSchema>;
export type RecurringComponent = z.infer<typeof RecurringComponentSchema>;
export type MilestoneComponent = z.infer<typeof MilestoneComponentSchema>;
export type HourlyComponent = z.infer<typeof HourlyComponentSchema>;
export type OneTimeComponent = z.infer<typeof OneTimeComponentSchema>;
export type UsageComponent = z.infer<typeof UsageComponentSchema>;
export type Milestone = z.infer<typeof MilestoneSchema>;
