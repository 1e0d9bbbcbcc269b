import { z } from 'zod';
import { type CalendarDay, CalendarDaySchema } from '../core/dates.js';
import { fractionOf, type Money, subtractMoney, toDecimalString, zero } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { addDays, dayNumber } from './calendar.js';
import { dueDate } from './payment-terms.js';
import { computePeriods, type ServicePeriod } from './periods.js';
import {
  type BillingPlan,
  BillingPlanSchema,
  type Discount,
  type HourlyComponent,
  type MilestoneComponent,
  type OneTimeComponent,
  type RecurringComponent,
  type UsageComponent,
} from './plan.js';
import { amountForDays } from './proration.js';
import type {
  BillingSchedule,
  InvoiceLine,
  ScheduleChange,
  ScheduledInvoice,
  UpgradeChange,
} from './schedule-model.js';

/**
 * Billing plan → schedule of invoices.
 *
 * Policies (each one a decision a finance person may ask about):
 * - Recurring in advance: invoiced on the first day of each period. In arrears: on the last day of service in the
 *   period — the period's end, or the term's end / the day before a cancellation when that comes first — so never
 *   after the term ends.
 * - Partial periods (calendar alignment, a term ending mid-period, a cancellation) are prorated by actual days; see
 *   proration.ts for the formula. Ramps set the whole-period price from period N on (N counted in this component's
 *   periods, the partial first period of a calendar-aligned plan being period 1).
 * - Discounts apply to recurring lines only, as a separate negative line on the same invoice. Percent: the discount
 *   is fractionOf(line total, basis points, 10 000) — allocation rounding, so discount + discounted rest = line
 *   total exactly. Fixed amount per period: applies to the plan's first recurring component (one subscription, one
 *   discount), prorated by actual days like the price in a partial period, and never more than the line it
 *   discounts, so no invoice total is negative.
 * - Hourly with a cap: one invoice per period in arrears for rate × cap hours — the most the customer can be billed.
 *   When actual hours are reported, `hourlyInvoiceLine` replaces that line (hours up to the cap). The cap is per
 *   period and is not prorated for a short last period: it is a ceiling, not a commitment.
 * - Usage: the minimum commitment per period, in arrears, prorated by actual days in a short period. Overage is
 *   invoiced when usage is reported (`usageInvoiceLine`).
 * - One-time: on the start date, on a given date, or on acceptance (issue date = the acceptance date when known).
 * - Milestones: one invoice each, issued when accepted (`acceptedOn`); until then the issue date is null and
 *   `expectedDate` carries `expectedOn`.
 * - Invoices whose every line is zero (a free ramp period, a zero minimum) are left out: there is nothing to bill.
 * - Due date: the plan's payment terms applied to the issue date.
 * - One invoice per component and period; the finance sync may combine same-day invoices for one customer.
 */

/** When a schedule is generated: the handoff's acceptance date, if it has happened. */
export interface ScheduleOptions {
  acceptanceDate?: CalendarDay;
}

const OptionsSchema = z.object({ acceptanceDate: CalendarDaySchema.optional() }).optional();

const dueCache = new Map<string, CalendarDay>();
function dueOn(issueDate: CalendarDay, terms: string): CalendarDay {
  const key = `${issueDate}|${terms}`;
  let due = dueCache.get(key);
  if (due === undefined) {
    if (dueCache.size > 200_000) dueCache.clear();
    due = dueDate(issueDate, terms);
    dueCache.set(key, due);
  }
  return due;
}

function neg(m: Money): Money {
  return subtractMoney(zero(m.currency), m);
}

function sumAmounts(items: ReadonlyArray<{ amount: Money }>, currency: string): Money {
  let total = 0;
  for (const item of items) total += item.amount.amount;
  return { amount: total, currency };
}

function minMoney(a: Money, b: Money): Money {
  return a.amount <= b.amount ? a : b;
}

function price(m: Money): string {
  return `${toDecimalString(m)} ${m.currency}`;
}

function range(from: CalendarDay, to: CalendarDay): string {
  return from === to ? from : `${from} to ${to}`;
}

function percentLabel(basisPoints: number): string {
  return `${basisPoints / 100}%`;
}

/** The description of a discount line. @example discountLabel({ kind: 'percent', basisPoints: 1000 }) // 'Discount 10%' */
export function discountLabel(d: Discount): string {
  const what =
    d.kind === 'percent' ? `Discount ${percentLabel(d.basisPoints)}` : `Discount ${price(d.amount)} per period`;
  return d.reason ? `${what} (${d.reason})` : what;
}

/** Whole-period price of period `n` of a recurring component, ramps applied. */
function rampPrice(c: RecurringComponent, n: number): Money {
  let p = c.price;
  for (const r of c.ramps) if (r.fromPeriod <= n) p = r.price;
  return p;
}

function months(interval: RecurringComponent['interval']): number {
  return interval === 'monthly' ? 1 : interval === 'quarterly' ? 3 : 12;
}

/** Last day of service in period p, or null when a cancellation ends service before the period starts. */
function serviceEnd(p: ServicePeriod, changes: ReadonlyArray<ScheduleChange>): CalendarDay | null {
  let end = p.end;
  for (const ch of changes) {
    if (ch.kind !== 'cancellation') continue;
    if (ch.effectiveDate <= p.start) return null;
    if (ch.effectiveDate <= end) end = addDays(ch.effectiveDate, -1);
  }
  return end;
}

interface Segment {
  from: CalendarDay;
  to: CalendarDay;
  price: Money;
}

/** What a period of a recurring component comes to, given the changes known so far. */
interface PeriodState {
  end: CalendarDay;
  segments: Segment[];
  base: Money;
  discount: Money;
}

interface Engine {
  plan: BillingPlan;
  changes: ReadonlyArray<ScheduleChange>;
  firstRecurring: number;
}

function periodState(
  e: Engine,
  i: number,
  c: RecurringComponent,
  p: ServicePeriod,
  known: ReadonlyArray<ScheduleChange>,
): PeriodState | null {
  const end = serviceEnd(p, known);
  if (end === null) return null;
  const ups = known.filter((ch): ch is UpgradeChange => ch.kind === 'upgrade' && ch.componentIndex === i);
  const priceOn = (day: CalendarDay): Money => {
    let at = rampPrice(c, p.number);
    for (const u of ups) if (u.effectiveDate <= day) at = u.newPrice;
    return at;
  };
  const segments: Segment[] = [];
  let from = p.start;
  for (const u of ups) {
    if (u.effectiveDate <= from || u.effectiveDate > end) continue;
    segments.push({ from, to: addDays(u.effectiveDate, -1), price: priceOn(from) });
    from = u.effectiveDate;
  }
  segments.push({ from, to: end, price: priceOn(from) });
  const full = { start: p.fullStart, end: p.fullEnd };
  let base = 0;
  for (const s of segments) base += amountForDays(s.price, full, s.from, s.to).amount;
  const baseMoney: Money = { amount: base, currency: e.plan.currency };
  return { end, segments, base: baseMoney, discount: discountOn(e, i, p, end, baseMoney) };
}

function discountOn(e: Engine, i: number, p: ServicePeriod, end: CalendarDay, base: Money): Money {
  const d = e.plan.discount;
  if (!d || base.amount === 0) return zero(base.currency);
  if (d.kind === 'percent') return fractionOf(base, d.basisPoints, 10_000);
  if (i !== e.firstRecurring) return zero(base.currency);
  return minMoney(amountForDays(d.amount, { start: p.fullStart, end: p.fullEnd }, p.start, end), base);
}

function segmentLine(i: number, c: RecurringComponent, p: ServicePeriod, s: Segment): InvoiceLine {
  const amount = amountForDays(s.price, { start: p.fullStart, end: p.fullEnd }, s.from, s.to);
  if (s.from === p.fullStart && s.to === p.fullEnd) {
    return {
      componentIndex: i,
      kind: 'recurring',
      description: `${c.description}, ${range(s.from, s.to)}`,
      quantity: 1,
      unitPrice: s.price,
      amount,
      periodStart: s.from,
      periodEnd: s.to,
    };
  }
  const days = dayNumber(s.to) - dayNumber(s.from) + 1;
  const periodDays = dayNumber(p.fullEnd) - dayNumber(p.fullStart) + 1;
  return {
    componentIndex: i,
    kind: 'recurring',
    description: `${c.description}, ${range(s.from, s.to)} (${days} of ${periodDays} days at ${price(s.price)} per period)`,
    amount,
    periodStart: s.from,
    periodEnd: s.to,
    proration: { days, periodDays },
  };
}

function stateLines(e: Engine, i: number, c: RecurringComponent, p: ServicePeriod, st: PeriodState): InvoiceLine[] {
  const lines = st.segments.map((s) => segmentLine(i, c, p, s));
  if (st.discount.amount > 0 && e.plan.discount) {
    lines.push({
      componentIndex: i,
      kind: 'discount',
      description: `${discountLabel(e.plan.discount)}, ${c.description}`,
      amount: neg(st.discount),
      periodStart: p.start,
      periodEnd: st.end,
    });
  }
  return lines;
}

/** Lines that turn period state `before` into `after` from day `from` on (one change, in advance billing). */
function adjustmentLines(
  i: number,
  c: RecurringComponent,
  p: ServicePeriod,
  from: CalendarDay,
  before: PeriodState,
  after: PeriodState | null,
  change: ScheduleChange,
  currency: string,
): InvoiceLine[] {
  const full = { start: p.fullStart, end: p.fullEnd };
  const old = before.segments.find((s) => s.from <= from && from <= s.to) as Segment;
  const periodDays = dayNumber(p.fullEnd) - dayNumber(p.fullStart) + 1;
  const unusedDays = dayNumber(before.end) - dayNumber(from) + 1;
  const lines: InvoiceLine[] = [
    {
      componentIndex: i,
      kind: 'proration_credit',
      description:
        change.kind === 'cancellation'
          ? `Credit for ${c.description}, ${range(from, before.end)} (cancelled; ${unusedDays} of ${periodDays} days)`
          : `Credit for ${c.description} at ${price(old.price)} per period, ${range(from, before.end)} (${unusedDays} of ${periodDays} days)`,
      amount: neg(amountForDays(old.price, full, from, before.end)),
      periodStart: from,
      periodEnd: before.end,
      proration: { days: unusedDays, periodDays },
    },
  ];
  if (change.kind === 'upgrade' && after) {
    const days = dayNumber(after.end) - dayNumber(from) + 1;
    lines.push({
      componentIndex: i,
      kind: 'proration_charge',
      description: `${c.description} at ${price(change.newPrice)} per period, ${range(from, after.end)} (${days} of ${periodDays} days)`,
      amount: amountForDays(change.newPrice, full, from, after.end),
      periodStart: from,
      periodEnd: after.end,
      proration: { days, periodDays },
    });
  }
  const afterDiscount = after ? after.discount : zero(currency);
  const discountChange = subtractMoney(before.discount, afterDiscount);
  if (discountChange.amount !== 0) {
    lines.push({
      componentIndex: i,
      kind: 'discount_adjustment',
      description: `Discount adjustment, ${c.description}`,
      amount: discountChange,
      periodStart: from,
      periodEnd: before.end,
    });
  }
  return lines;
}

type Draft = Omit<ScheduledInvoice, 'dueDate' | 'total' | 'document'>;

function recurringInvoices(
  e: Engine,
  i: number,
  c: RecurringComponent,
  adjustments: Map<number, InvoiceLine[]>,
): Draft[] {
  const out: Draft[] = [];
  const periods = computePeriods(months(c.interval), e.plan.startDate, e.plan.endDate, c.alignment);
  for (const p of periods) {
    if (c.timing === 'arrears') {
      const st = periodState(e, i, c, p, e.changes);
      if (!st) break;
      out.push(periodDraft(i, p, st.end, st.end, stateLines(e, i, c, p, st)));
      continue;
    }
    const knownAtStart = e.changes.filter((ch) => ch.effectiveDate <= p.start);
    const st = periodState(e, i, c, p, knownAtStart);
    if (!st) break;
    out.push(periodDraft(i, p, p.start, st.end, stateLines(e, i, c, p, st)));
    // Changes inside an advance period settle what was already invoiced, on their effective date.
    for (const [m, ch] of e.changes.entries()) {
      if (ch.effectiveDate <= p.start || ch.effectiveDate > p.end) continue;
      if (ch.kind === 'upgrade' && ch.componentIndex !== i) continue;
      const before = periodState(e, i, c, p, e.changes.slice(0, m));
      const after = periodState(e, i, c, p, e.changes.slice(0, m + 1));
      if (!before || ch.effectiveDate > before.end) continue;
      const lines = adjustmentLines(i, c, p, ch.effectiveDate, before, after, ch, e.plan.currency);
      adjustments.set(m, [...(adjustments.get(m) ?? []), ...lines]);
    }
  }
  return out;
}

function periodDraft(
  i: number,
  p: ServicePeriod,
  issueDate: CalendarDay,
  end: CalendarDay,
  lines: InvoiceLine[],
): Draft {
  return { key: `c${i}-p${p.number}`, issueDate, trigger: 'date', periodStart: p.start, periodEnd: end, lines };
}

function hourlyInvoices(e: Engine, i: number, c: HourlyComponent): Draft[] {
  const out: Draft[] = [];
  const amount: Money = { amount: c.rate.amount * c.capHoursPerPeriod, currency: c.rate.currency };
  for (const p of computePeriods(months(c.interval), e.plan.startDate, e.plan.endDate, 'term')) {
    const end = serviceEnd(p, e.changes);
    if (end === null) break;
    const line: InvoiceLine = {
      componentIndex: i,
      kind: 'hourly',
      description: `${c.description}, ${range(p.start, end)}: up to ${c.capHoursPerPeriod} h at ${price(c.rate)} per hour (maximum billable; replaced by the hours reported)`,
      quantity: c.capHoursPerPeriod,
      unitPrice: c.rate,
      amount,
      periodStart: p.start,
      periodEnd: end,
    };
    out.push(periodDraft(i, p, end, end, [line]));
  }
  return out;
}

function usageInvoices(e: Engine, i: number, c: UsageComponent): Draft[] {
  const out: Draft[] = [];
  for (const p of computePeriods(months(c.interval), e.plan.startDate, e.plan.endDate, 'term')) {
    const end = serviceEnd(p, e.changes);
    if (end === null) break;
    const whole = p.start === p.fullStart && end === p.fullEnd;
    const days = dayNumber(end) - dayNumber(p.start) + 1;
    const periodDays = dayNumber(p.fullEnd) - dayNumber(p.fullStart) + 1;
    const included = `${c.includedUnits} ${c.unitName}${c.includedUnits === 1 ? '' : 's'} included`;
    const line: InvoiceLine = {
      componentIndex: i,
      kind: 'usage_minimum',
      description: whole
        ? `${c.description}, ${range(p.start, end)}: minimum commitment (${included})`
        : `${c.description}, ${range(p.start, end)}: minimum commitment (${included}; ${days} of ${periodDays} days)`,
      amount: amountForDays(c.minimumPerPeriod, { start: p.fullStart, end: p.fullEnd }, p.start, end),
      periodStart: p.start,
      periodEnd: end,
      ...(whole ? { quantity: 1, unitPrice: c.minimumPerPeriod } : { proration: { days, periodDays } }),
    };
    out.push(periodDraft(i, p, end, end, [line]));
  }
  return out;
}

function oneTimeInvoice(e: Engine, i: number, c: OneTimeComponent, acceptanceDate?: CalendarDay): Draft {
  const issueDate =
    c.on === 'start' ? e.plan.startDate : c.on === 'date' ? (c.date as CalendarDay) : (acceptanceDate ?? null);
  return {
    key: `c${i}-once`,
    issueDate,
    trigger: c.on === 'acceptance' ? 'acceptance' : 'date',
    lines: [
      {
        componentIndex: i,
        kind: 'one_time',
        description: c.description,
        quantity: 1,
        unitPrice: c.amount,
        amount: c.amount,
      },
    ],
  };
}

function milestoneInvoices(i: number, c: MilestoneComponent): Draft[] {
  return c.milestones.map((m) => ({
    key: `c${i}-m:${m.id}`,
    issueDate: m.acceptedOn ?? null,
    trigger: 'milestone' as const,
    milestoneId: m.id,
    ...(m.expectedOn ? { expectedDate: m.expectedOn } : {}),
    lines: [
      {
        componentIndex: i,
        kind: 'milestone' as const,
        description: `${c.description}: ${m.name}`,
        quantity: 1,
        unitPrice: m.amount,
        amount: m.amount,
      },
    ],
  }));
}

function finish(d: Draft, plan: BillingPlan): ScheduledInvoice | null {
  const lines = d.lines.filter((l) => l.amount.amount !== 0);
  if (lines.length === 0) return null;
  const total = sumAmounts(lines, plan.currency);
  return {
    ...d,
    document: total.amount < 0 ? 'credit_note' : 'invoice',
    dueDate: d.issueDate === null ? null : dueOn(d.issueDate, plan.paymentTerms),
    lines,
    total,
  };
}

function numericChunks(key: string): Array<string | number> {
  return key.split(/(\d+)/).map((part, j) => (j % 2 === 1 ? Number(part) : part));
}

function compareKeys(a: string, b: string): number {
  const x = numericChunks(a);
  const y = numericChunks(b);
  for (let j = 0; j < Math.min(x.length, y.length); j++) {
    const p = x[j] as string | number;
    const q = y[j] as string | number;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

function compareNullableDays(a: CalendarDay | null | undefined, b: CalendarDay | null | undefined): number {
  if (a === b) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  return a < b ? -1 : 1;
}

/**
 * Schedule order: by issue date, then (for invoices waiting on a trigger) by expected date, then by key.
 * @example invoices.sort(compareInvoices)
 */
export function compareInvoices(a: ScheduledInvoice, b: ScheduledInvoice): number {
  return (
    compareNullableDays(a.issueDate, b.issueDate) ||
    compareNullableDays(a.expectedDate, b.expectedDate) ||
    compareKeys(a.key, b.key)
  );
}

/**
 * Sorts invoices and totals them into a schedule (no validation; callers built the invoices).
 * @example assembleSchedule('USD', invoices, [])
 */
export function assembleSchedule(
  currency: string,
  invoices: ScheduledInvoice[],
  changes: ScheduleChange[],
): BillingSchedule {
  const sorted = [...invoices].sort(compareInvoices);
  return {
    currency,
    invoices: sorted,
    contractValue: sumAmounts(
      sorted.map((inv) => ({ amount: inv.total })),
      currency,
    ),
    changes,
  };
}

/**
 * Every invoice of a validated plan under a list of changes, unsorted (the engine behind generateSchedule and the
 * mid-cycle changes). Adjustment invoices are keyed `chg<m>`, m being the change's position in `changes`.
 * @example buildInvoices(plan, [], '2026-02-01').length
 */
export function buildInvoices(
  plan: BillingPlan,
  changes: ReadonlyArray<ScheduleChange>,
  acceptanceDate?: CalendarDay,
): ScheduledInvoice[] {
  const e: Engine = { plan, changes, firstRecurring: plan.components.findIndex((c) => c.kind === 'recurring') };
  const adjustments = new Map<number, InvoiceLine[]>();
  const drafts: Draft[] = [];
  for (const [i, c] of plan.components.entries()) {
    switch (c.kind) {
      case 'recurring':
        drafts.push(...recurringInvoices(e, i, c, adjustments));
        break;
      case 'hourly':
        drafts.push(...hourlyInvoices(e, i, c));
        break;
      case 'usage':
        drafts.push(...usageInvoices(e, i, c));
        break;
      case 'one_time':
        drafts.push(oneTimeInvoice(e, i, c, acceptanceDate));
        break;
      case 'milestone':
        drafts.push(...milestoneInvoices(i, c));
        break;
    }
  }
  for (const [m, lines] of [...adjustments.entries()].sort((a, b) => a[0] - b[0])) {
    const ch = changes[m] as ScheduleChange;
    drafts.push({ key: `chg${m}`, issueDate: ch.effectiveDate, trigger: 'date', lines });
  }
  const out: ScheduledInvoice[] = [];
  for (const d of drafts) {
    const inv = finish(d, plan);
    if (inv) out.push(inv);
  }
  return out;
}

/**
 * The invoices a billing plan produces, sorted by issue date, with their exact sum as the contract value.
 * @example generateSchedule({ currency: 'USD', startDate: '2026-01-01', endDate: '2026-12-31', paymentTerms: 'net_30', components: [{ kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: { amount: 100_00, currency: 'USD' } }] }).invoices.length // 12
 */
export function generateSchedule(planInput: unknown, options?: ScheduleOptions): BillingSchedule {
  const plan = parseInput(BillingPlanSchema, planInput, 'billingPlan');
  const opts = parseInput(OptionsSchema, options, 'options');
  return assembleSchedule(plan.currency, buildInvoices(plan, [], opts?.acceptanceDate), []);
}

/**
 * The contract value of a plan: the exact sum of every invoice its schedule contains (milestones and acceptance
 * fees included, hourly work at its cap, usage at its minimum).
 * @example contractValue(plan) // { amount: 120000, currency: 'USD' }
 */
export function contractValue(planInput: unknown, options?: ScheduleOptions): Money {
  return generateSchedule(planInput, options).contractValue;
}
