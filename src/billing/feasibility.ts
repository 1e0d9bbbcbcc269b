import { z } from 'zod';
import { DomainError } from '../core/errors.js';
import { CurrencyCodeSchema, fractionOf, type Money, toDecimalString } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { addDays, dayNumber } from './calendar.js';
import type { FinanceCapabilities } from './capabilities.js';
import { dueDate, parsePaymentTerms, paymentTermsLabel } from './payment-terms.js';
import { computePeriods } from './periods.js';
import { BillingIntervalSchema, type BillingPlan, BillingPlanSchema, BillingTimingSchema } from './plan.js';
import { checkTax, TaxSetupSchema } from './tax-feasibility.js';

/**
 * Can the connected finance system carry this plan as agreed? Checked before signature, so that terms the books
 * cannot represent are caught while they can still be changed.
 *
 * A problem is `blocking` when the finance system would show something other than the contract (a different due
 * date, an unavailable currency): the plan is then not feasible until someone changes the plan or the books. A
 * non-blocking problem is a note: the plan is feasible because Revenue Handoff creates the invoices from its own
 * schedule instead of using the system's recurring feature; the note says so in words a finance person checks.
 * Alternatives come with a JSON Patch (RFC 6902) against the plan, which `applyPlanPatch` applies.
 */

/** One JSON Patch operation on a billing plan (paths like `/components/0/timing`). */
export interface PlanPatchOperation {
  op: 'replace' | 'add' | 'remove';
  path: string;
  value?: unknown;
}

export interface FeasibilityProblem {
  /** Stable machine code, e.g. `payment_terms_day_of_month_unsupported`. */
  code: string;
  /** The plan field at fault, e.g. `billingPlan.components[1].timing`. */
  path: string;
  /** Blocking problems make the plan infeasible; the others are notes on how it will be represented. */
  blocking: boolean;
  message: string;
  alternative?: { description: string; patch: PlanPatchOperation[] };
}

export interface FeasibilityResult {
  feasible: boolean;
  problems: FeasibilityProblem[];
}

/** zod schema of a finance capability descriptor (see capabilities.ts). */
export const FinanceCapabilitiesSchema = z.object({
  system: z.enum(['quickbooks', 'xero', 'stripe']),
  displayName: z.string().trim().min(1, 'is required'),
  draftInvoices: z.boolean(),
  recurring: z
    .object({
      intervals: z.array(BillingIntervalSchema),
      timings: z.array(BillingTimingSchema),
      proratedFirstPeriod: z.boolean(),
      priceSteps: z.boolean(),
    })
    .nullable(),
  paymentTerms: z.object({
    maxNetDays: z.number().int().min(0).nullable(),
    dayOfFollowingMonth: z.boolean(),
  }),
  currencies: z.union([z.literal('any'), z.array(CurrencyCodeSchema)]),
  usageOverage: z.boolean(),
  percentDiscounts: z.boolean(),
  poField: z.string().nullable(),
  tax: TaxSetupSchema.optional(),
  estimates: z.boolean().optional(),
});

const PatchSchema = z.array(
  z.object({
    op: z.enum(['replace', 'add', 'remove']),
    path: z.string().regex(/^(\/[^/]*)+$/, 'must be a JSON Pointer such as /components/0/timing'),
    value: z.unknown().optional(),
  }),
);

function amountLabel(m: Money): string {
  return `${toDecimalString(m)} ${m.currency}`;
}

const averageCache = new Map<string, number>();

/**
 * Average days from invoice to due date under a terms code, over every issue day of a common year — how a
 * "day D of the following month" term compares with net days.
 * @example averageDaysToPay('eofm_20') // 35
 */
export function averageDaysToPay(code: string): number {
  const known = averageCache.get(code);
  if (known !== undefined) return known;
  parseInput(
    z.string().refine((c) => tryTerms(c), 'is not a payment terms code'),
    code,
    'paymentTerms',
  );
  let total = 0;
  for (let d = 0; d < 365; d++) {
    const issue = addDays('2025-01-01', d);
    total += dayNumber(dueDate(issue, code)) - dayNumber(issue);
  }
  const avg = Math.round(total / 365);
  averageCache.set(code, avg);
  return avg;
}

function tryTerms(code: string): boolean {
  try {
    parsePaymentTerms(code);
    return true;
  } catch {
    return false;
  }
}

function generatedHow(caps: FinanceCapabilities): string {
  return caps.draftInvoices
    ? `as a draft invoice in ${caps.displayName}, ready for review before it is sent`
    : `in ${caps.displayName} on its issue date (${caps.displayName} has no draft invoices, so scheduled invoices wait in Revenue Handoff until then)`;
}

function checkCurrency(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  if (caps.currencies === 'any' || caps.currencies.includes(plan.currency)) return;
  const enabled = caps.currencies.length ? caps.currencies.join(', ') : 'no currency yet';
  out.push({
    code: 'currency_not_enabled',
    path: 'billingPlan.currency',
    blocking: true,
    message: `${caps.displayName} is set up to invoice in ${enabled}; this plan is in ${plan.currency}. Switch on ${plan.currency} in ${caps.displayName} (multicurrency) or agree the contract in ${caps.currencies.length === 1 ? 'that currency' : 'one of those currencies'}.`,
  });
}

function checkTerms(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  const terms = parsePaymentTerms(plan.paymentTerms);
  const label = paymentTermsLabel(plan.paymentTerms);
  const max = caps.paymentTerms.maxNetDays;
  const replaceTerms = (code: string) => [{ op: 'replace' as const, path: '/paymentTerms', value: code }];
  const netCode = (days: number) => (days === 0 ? 'due_on_receipt' : `net_${days}`);
  if (terms.kind === 'day_of_following_month') {
    if (caps.paymentTerms.dayOfFollowingMonth) return;
    const avg = averageDaysToPay(plan.paymentTerms);
    const days = max === null ? null : Math.min(avg, max);
    out.push({
      code: 'payment_terms_day_of_month_unsupported',
      path: 'billingPlan.paymentTerms',
      blocking: true,
      message: `${caps.displayName} cannot make an invoice due on a day of the following month ("${label}"); it only counts days from the invoice date.${days === null ? '' : ` ${paymentTermsLabel(netCode(days))} ${days === avg ? `gives the customer the same ${avg} days to pay on average` : `is the longest ${caps.displayName} allows (the agreed terms average ${avg} days)`}.`}`,
      ...(days === null
        ? {}
        : {
            alternative: {
              description: `Use ${paymentTermsLabel(netCode(days))} instead of "${label}"`,
              patch: replaceTerms(netCode(days)),
            },
          }),
    });
    return;
  }
  if (terms.days === 0) return;
  if (max === null) {
    out.push({
      code: 'net_terms_unsupported',
      path: 'billingPlan.paymentTerms',
      blocking: true,
      message: `${caps.displayName} cannot set "${label}": it has no terms counted in days from the invoice date.`,
      ...(caps.paymentTerms.dayOfFollowingMonth
        ? {
            alternative: {
              description: `Use the ${Math.min(31, Math.max(1, terms.days - 15))}th of the following month, about the same time to pay on average`,
              patch: replaceTerms(`eofm_${Math.min(31, Math.max(1, terms.days - 15))}`),
            },
          }
        : {}),
    });
    return;
  }
  if (terms.days > max) {
    out.push({
      code: 'payment_terms_too_long',
      path: 'billingPlan.paymentTerms',
      blocking: true,
      message: `${caps.displayName} allows at most ${max} days to pay; this plan gives ${terms.days} ("${label}").`,
      alternative: {
        description: `Use ${paymentTermsLabel(netCode(max))}, the longest ${caps.displayName} allows`,
        patch: replaceTerms(netCode(max)),
      },
    });
  }
}

const INTERVAL_WORD = { monthly: 'monthly', quarterly: 'quarterly', annual: 'yearly' } as const;

function checkRecurring(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  for (const [i, c] of plan.components.entries()) {
    if (c.kind !== 'recurring') continue;
    const at = `billingPlan.components[${i}]`;
    const name = `"${c.description}"`;
    const rec = caps.recurring;
    if (rec === null) {
      out.push({
        code: 'recurring_not_supported',
        path: at,
        blocking: false,
        message: `${caps.displayName} has no repeating invoices we can use, so each invoice of ${name} is created from this schedule, ${generatedHow(caps)}.`,
      });
      continue;
    }
    if (!rec.intervals.includes(c.interval)) {
      out.push({
        code: 'interval_unsupported',
        path: `${at}.interval`,
        blocking: false,
        message: `${caps.displayName} cannot repeat an invoice ${INTERVAL_WORD[c.interval]}, so each invoice of ${name} is created from this schedule, ${generatedHow(caps)}.`,
      });
    }
    if (!rec.timings.includes(c.timing)) {
      const other = c.timing === 'arrears' ? 'advance' : 'arrears';
      out.push({
        code: c.timing === 'arrears' ? 'arrears_unsupported' : 'advance_unsupported',
        path: `${at}.timing`,
        blocking: false,
        message:
          c.timing === 'arrears'
            ? `${caps.displayName}'s repeating invoices go out at the start of each period (in advance). ${name} is billed in arrears, so each invoice is created from this schedule on the last day of its period, ${generatedHow(caps)}.`
            : `${caps.displayName}'s repeating invoices go out at the end of each period (in arrears). ${name} is billed in advance, so each invoice is created from this schedule on the first day of its period, ${generatedHow(caps)}.`,
        alternative: {
          description: `Bill ${name} in ${other} instead, so that ${caps.displayName} repeats the invoice itself`,
          patch: [{ op: 'replace', path: `/components/${i}/timing`, value: other }],
        },
      });
    }
    if (c.alignment === 'calendar' && !rec.proratedFirstPeriod) {
      const months = c.interval === 'monthly' ? 1 : c.interval === 'quarterly' ? 3 : 12;
      const periods = computePeriods(months, plan.startDate, plan.endDate, 'calendar');
      const partial = periods.filter((p) => p.start !== p.fullStart || p.end !== p.fullEnd);
      if (partial.length > 0) {
        out.push({
          code: 'proration_unsupported',
          path: `${at}.alignment`,
          blocking: false,
          message: `${caps.displayName} cannot prorate a partial period of a repeating invoice. ${name} follows calendar ${c.interval === 'annual' ? 'years' : c.interval === 'quarterly' ? 'quarters' : 'months'}, so its ${partial.length === 1 ? 'partial period is' : 'partial first and last periods are'} invoiced from this schedule (prorated by actual days), ${generatedHow(caps)}.`,
          alternative: {
            description: `Run ${name}'s periods from the start date instead (every period whole)`,
            patch: [{ op: 'replace', path: `/components/${i}/alignment`, value: 'term' }],
          },
        });
      }
    }
    if (c.ramps.length > 0 && !rec.priceSteps) {
      const first = c.ramps[0] as { fromPeriod: number };
      out.push({
        code: 'price_steps_unsupported',
        path: `${at}.ramps`,
        blocking: false,
        message: `${caps.displayName} cannot change the price of a repeating invoice part-way. ${name} changes price from period ${first.fromPeriod}, so its invoices are created from this schedule at each period's price, ${generatedHow(caps)}.`,
      });
    }
  }
}

function checkUsage(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  if (caps.usageOverage) return;
  for (const [i, c] of plan.components.entries()) {
    if (c.kind !== 'usage') continue;
    out.push({
      code: 'usage_overage_unsupported',
      path: `billingPlan.components[${i}].overageUnitPrice`,
      blocking: false,
      message: `${caps.displayName} cannot bill metered usage. The minimum commitment for "${c.description}" is invoiced each period; usage beyond ${c.includedUnits} ${c.unitName}s is added as a one-off line (${c.unitName}s over × ${amountLabel(c.overageUnitPrice)}) when the period's usage is reported.`,
      alternative: {
        description: 'Invoice overage as a one-off line when usage is reported (no change to the plan)',
        patch: [],
      },
    });
  }
}

function checkDiscount(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  const d = plan.discount;
  if (d?.kind !== 'percent' || caps.percentDiscounts) return;
  const first = plan.components.find((c) => c.kind === 'recurring');
  if (first?.kind !== 'recurring') return;
  const fixed = fractionOf(first.price, d.basisPoints, 10_000);
  const pct = `${d.basisPoints / 100}%`;
  const steady = first.ramps.length === 0 && plan.components.filter((c) => c.kind === 'recurring').length === 1;
  out.push({
    code: 'percent_discount_unsupported',
    path: 'billingPlan.discount',
    blocking: false,
    message: `${caps.displayName} cannot apply a percentage discount. Each invoice carries the ${pct} discount as an amount instead (${amountLabel(fixed)} on a full period of "${first.description}").`,
    alternative: {
      description: `Agree a fixed discount of ${amountLabel(fixed)} per period${steady ? ', the same as ' : ' (equal to '}${pct} of ${amountLabel(first.price)}${steady ? '' : ' at the starting price only)'}`,
      patch: [
        {
          op: 'replace',
          path: '/discount',
          value: { kind: 'amount_per_period', amount: fixed, ...(d.reason ? { reason: d.reason } : {}) },
        },
      ],
    },
  });
}

function checkDrafts(plan: BillingPlan, caps: FinanceCapabilities, out: FeasibilityProblem[]): void {
  if (caps.draftInvoices) return;
  const triggered = plan.components.some(
    (c) => c.kind === 'milestone' || (c.kind === 'one_time' && c.on === 'acceptance'),
  );
  out.push({
    code: 'no_draft_invoices',
    path: 'billingPlan',
    blocking: false,
    message: `${caps.displayName} has no draft invoices: an invoice is posted to the books as soon as it is created. Scheduled invoices therefore wait in Revenue Handoff and are created in ${caps.displayName} on their issue date${triggered ? ' (milestone and acceptance invoices when they are accepted)' : ''}.`,
  });
}

/** How a template wants scheduled invoices shown in QuickBooks (handoff template `quickbooksScheduledAs`). */
export const ScheduledInvoicesAsSchema = z.enum(['held', 'estimate'], {
  error: "must be 'held' (kept in Revenue Handoff until due) or 'estimate' (also a QuickBooks Estimate ahead)",
});
export type ScheduledInvoicesAs = z.infer<typeof ScheduledInvoicesAsSchema>;

/**
 * Checks a template's `quickbooksScheduledAs` against the connected finance system. `estimate` needs a system with
 * estimates (QuickBooks Online); elsewhere it is refused — blocking, before anything is written — rather than
 * silently ignored, because the admin asked for something the books will not show. `held` (the default) fits
 * every system (Xero and Stripe make drafts ahead of time anyway). Pure.
 * @example checkScheduledInvoicesAs('estimate', XERO_CAPABILITIES)?.code // 'estimates_unsupported'
 */
export function checkScheduledInvoicesAs(
  setting: ScheduledInvoicesAs | undefined,
  caps: Pick<FinanceCapabilities, 'displayName' | 'estimates' | 'draftInvoices'>,
): FeasibilityProblem | null {
  if (setting !== 'estimate' || caps.estimates) return null;
  return {
    code: 'estimates_unsupported',
    path: 'template.quickbooksScheduledAs',
    blocking: true,
    message: `The handoff template sets quickbooksScheduledAs to 'estimate', which only QuickBooks Online supports; ${caps.displayName} has no estimates that an invoice converts${caps.draftInvoices ? ` (it takes draft invoices ahead of their date instead)` : ''}. Set quickbooksScheduledAs to 'held' (the default) or remove it from the template, then retry billing setup.`,
  };
}

/**
 * Checks a billing plan against a finance system's capabilities: problems, each with a message and a way out.
 * @example checkFeasibility({ ...plan, paymentTerms: 'eofm_20' }, STRIPE_CAPABILITIES).feasible // false
 */
export function checkFeasibility(planInput: BillingPlan | unknown, capsInput: FinanceCapabilities): FeasibilityResult {
  const plan = parseInput(BillingPlanSchema, planInput, 'billingPlan');
  const caps = parseInput(FinanceCapabilitiesSchema, capsInput, 'capabilities') as FinanceCapabilities;
  const problems: FeasibilityProblem[] = [];
  checkCurrency(plan, caps, problems);
  checkTerms(plan, caps, problems);
  checkRecurring(plan, caps, problems);
  checkUsage(plan, caps, problems);
  checkDiscount(plan, caps, problems);
  checkDrafts(plan, caps, problems);
  checkTax(plan, caps, problems);
  return { feasible: !problems.some((p) => p.blocking), problems };
}

function pointer(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * Applies an alternative's JSON Patch to a plan, returning a new plan input (validate it as usual).
 * @example applyPlanPatch(plan, [{ op: 'replace', path: '/paymentTerms', value: 'net_35' }]).paymentTerms // 'net_35'
 */
export function applyPlanPatch(planInput: unknown, patch: PlanPatchOperation[]): Record<string, unknown> {
  const ops = parseInput(PatchSchema, patch, 'patch');
  if (typeof planInput !== 'object' || planInput === null || Array.isArray(planInput)) {
    throw new DomainError('invalid_input', 'must be an object', 'billingPlan');
  }
  const doc = structuredClone(planInput) as Record<string, unknown>;
  for (const [j, op] of ops.entries()) {
    const keys = pointer(op.path);
    const last = keys.pop() as string;
    let target: unknown = doc;
    for (const key of keys) {
      target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined;
    }
    const exists = typeof target === 'object' && target !== null && last in target;
    if (typeof target !== 'object' || target === null || (op.op !== 'add' && !exists)) {
      throw new DomainError('invalid_input', `the plan has no field ${op.path}`, `patch[${j}].path`);
    }
    const container = target as Record<string, unknown>;
    if (Array.isArray(container)) {
      const index = last === '-' ? container.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > container.length) {
        throw new DomainError('invalid_input', `${last} is not a position in the list`, `patch[${j}].path`);
      }
      if (op.op === 'remove') container.splice(index, 1);
      else if (op.op === 'add') container.splice(index, 0, op.value);
      else container[index] = op.value;
    } else if (op.op === 'remove') {
      delete container[last];
    } else {
      container[last] = op.value;
    }
  }
  return doc;
}
