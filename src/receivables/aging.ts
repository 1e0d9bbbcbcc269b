import { z } from 'zod';
import { type CalendarDay, CalendarDaySchema } from '../core/dates.js';
import { type Money, zero } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { type AsOf, asOfShape, refineAsOf, resolveToday } from './as-of.js';
import { dayCount } from './day-count.js';
import {
  addExact,
  byCurrency,
  InvoiceListSchema,
  type InvoiceSnapshot,
  type InvoiceSnapshotInput,
  isOutstanding,
} from './invoice.js';

/**
 * Aging: how long the money a customer owes has been past due. Only open invoices with an amount due, already
 * issued as of today, count. Results are per currency and never add two currencies together.
 */

/** Buckets by whole days past due: ≤ 0 is current, then 1–30, 31–60, 61–90 and more than 90 ("90+"). */
export const AGING_BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** How each bucket is labelled for people, in the card and in reports. */
export const AGING_BUCKET_LABELS: Readonly<Record<AgingBucket, string>> = {
  current: 'Current',
  days_1_30: '1–30 days',
  days_31_60: '31–60 days',
  days_61_90: '61–90 days',
  days_over_90: '90+ days',
};

/** Aging of one currency's receivables. */
export interface CurrencyAging {
  currency: string;
  /** Sum of amount due over outstanding invoices; equals the sum of the buckets exactly. */
  outstanding: Money;
  /** The part of `outstanding` that is at least one day past due. */
  overdue: Money;
  buckets: Record<AgingBucket, Money>;
  openInvoiceCount: number;
  overdueInvoiceCount: number;
  /** Days past due of the oldest unpaid invoice (0 when none is past due). */
  daysPastDue: number;
  /** Earliest due date among outstanding invoices. */
  oldestDueDate: CalendarDay;
}

/** Aging of all of a customer's (or a portfolio's) receivables, one entry per currency. */
export interface AgingReport {
  today: CalendarDay;
  /** Alphabetical by currency code; only currencies with something outstanding. */
  currencies: CurrencyAging[];
  /** Counts and days are currency-free, so they are totalled across currencies. */
  openInvoiceCount: number;
  overdueInvoiceCount: number;
  daysPastDue: number;
  oldestDueDate: CalendarDay | null;
}

const DaysSchema = z.number().refine(Number.isInteger, 'must be a whole number of days');

/**
 * The bucket for a number of days past due (0 or less is current).
 * @example agingBucketOf(31) // 'days_31_60'
 */
export function agingBucketOf(daysPastDue: number): AgingBucket {
  const d = parseInput(z.object({ daysPastDue: DaysSchema }), { daysPastDue }).daysPastDue;
  return bucketOf(d);
}

function bucketOf(d: number): AgingBucket {
  if (d <= 0) return 'current';
  if (d <= 30) return 'days_1_30';
  if (d <= 60) return 'days_31_60';
  if (d <= 90) return 'days_61_90';
  return 'days_over_90';
}

/**
 * Whole days an invoice due on `dueDate` is past due on `today`, never negative.
 * @example daysPastDue('2026-01-31', '2026-03-02') // 30
 */
export function daysPastDue(dueDate: CalendarDay, today: CalendarDay): number {
  const v = parseInput(z.object({ dueDate: CalendarDaySchema, today: CalendarDaySchema }), { dueDate, today });
  return Math.max(0, dayCount(v.dueDate, v.today));
}

const AgingInputSchema = z.strictObject({ invoices: InvoiceListSchema, ...asOfShape }).superRefine(refineAsOf);

/**
 * Ages a customer's invoices into buckets, per currency, as of today in the portal's zone.
 * @example ageReceivables(invoices, { now: new Date(), timeZone: 'America/New_York' }).currencies[0].buckets.days_1_30
 */
export function ageReceivables(invoices: ReadonlyArray<InvoiceSnapshotInput>, asOf: AsOf): AgingReport {
  const v = parseInput(AgingInputSchema, { ...asOf, invoices });
  return agingOf(v.invoices, resolveToday(v));
}

/**
 * Aging of invoices already validated (for other modules of the core, which validate once at their edge).
 * @example agingOf(parseInvoices(raw), '2026-03-01')
 */
export function agingOf(invoices: ReadonlyArray<InvoiceSnapshot>, today: CalendarDay): AgingReport {
  const currencies: CurrencyAging[] = [];
  const outstanding = invoices.filter((inv) => isOutstanding(inv, today));
  for (const [currency, list] of byCurrency(outstanding)) currencies.push(ageCurrency(currency, list, today));
  let oldestDueDate: CalendarDay | null = null;
  for (const c of currencies)
    if (oldestDueDate === null || c.oldestDueDate < oldestDueDate) oldestDueDate = c.oldestDueDate;
  return {
    today,
    currencies,
    openInvoiceCount: currencies.reduce((n, c) => n + c.openInvoiceCount, 0),
    overdueInvoiceCount: currencies.reduce((n, c) => n + c.overdueInvoiceCount, 0),
    daysPastDue: currencies.reduce((d, c) => Math.max(d, c.daysPastDue), 0),
    oldestDueDate,
  };
}

function ageCurrency(currency: string, invoices: InvoiceSnapshot[], today: CalendarDay): CurrencyAging {
  const buckets = Object.fromEntries(AGING_BUCKETS.map((b) => [b, zero(currency)])) as Record<AgingBucket, Money>;
  let total = zero(currency);
  let overdue = zero(currency);
  let overdueInvoiceCount = 0;
  let maxDays = 0;
  let oldestDueDate = invoices[0]?.dueDate ?? today;
  for (const inv of invoices) {
    const days = dayCount(inv.dueDate, today);
    const bucket = bucketOf(days);
    buckets[bucket] = addExact(buckets[bucket], inv.amountDue);
    total = addExact(total, inv.amountDue);
    if (days > 0) {
      overdue = addExact(overdue, inv.amountDue);
      overdueInvoiceCount += 1;
      maxDays = Math.max(maxDays, days);
    }
    if (inv.dueDate < oldestDueDate) oldestDueDate = inv.dueDate;
  }
  return {
    currency,
    outstanding: total,
    overdue,
    buckets,
    openInvoiceCount: invoices.length,
    overdueInvoiceCount,
    daysPastDue: maxDays,
    oldestDueDate,
  };
}
