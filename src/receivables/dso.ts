import { z } from 'zod';
import { type CalendarDay, plusDays } from '../core/dates.js';
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
  paidDate,
} from './invoice.js';
import { wholeNumber } from './whole-number.js';

/** DSO of one currency over one period. */
export interface DsoResult {
  currency: string;
  /** First day of the period (inclusive). */
  periodStart: CalendarDay;
  /** Last day of the period (inclusive): today. */
  periodEnd: CalendarDay;
  periodDays: number;
  /** Amount due on outstanding invoices at the end of the period. */
  receivables: Money;
  /** Totals of the invoices issued within the period that became receivables (open, paid or written off). */
  creditSales: Money;
  /** Days, one decimal; null when there were no credit sales in the period (the ratio is undefined). */
  days: number | null;
}

/** How a customer has paid its settled invoices. Days are currency-free, so every paid invoice counts once. */
export interface PaymentTimeliness {
  /** Paid invoices with a known paid day (the ones the averages are over). */
  paidInvoiceCount: number;
  /** Mean of (paid day − issue day), one decimal; null with no dated paid invoices. */
  averageDaysToPay: number | null;
  /** Mean of (paid day − due day), one decimal; negative means paid before the due date on average. */
  averageDaysLate: number | null;
  /** Paid invoices settled at least one day after their due date. */
  paidLateCount: number;
  /** Largest (paid day − due day); null with no dated paid invoices. */
  maxDaysLate: number | null;
  /** Invoices marked paid without a paid day or any payment — left out of the averages. */
  undatedPaidCount: number;
}

const SALE_STATUSES = new Set(['open', 'paid', 'written_off']);

const DsoInputSchema = z
  .strictObject({
    invoices: InvoiceListSchema,
    ...asOfShape,
    periodDays: wholeNumber(1, 3660, 'days').default(90),
  })
  .superRefine(refineAsOf);

export type DsoOptions = AsOf & { periodDays?: number };

/**
 * DSO per currency for the `periodDays` calendar days ending today (both ends inclusive; default 90):
 *
 *   DSO = receivables at period end ÷ credit sales in the period × periodDays
 *
 * Receivables at period end is the amount due on outstanding invoices today (snapshots are current, so the period
 * always ends today). Credit sales are the totals of invoices issued in the period that are open, paid or written
 * off — drafts, scheduled and void invoices were never sales. With no credit sales in the period the ratio is
 * undefined and `days` is null (a customer who owes money but bought nothing lately has no meaningful DSO; look at
 * days past due instead). Currencies are never combined: one result per currency with receivables or sales.
 * @example daysSalesOutstanding(invoices, { today: '2026-03-31', periodDays: 90 }) // $50,000 ÷ $150,000 × 90 → [{ days: 30, … }]
 */
export function daysSalesOutstanding(invoices: ReadonlyArray<InvoiceSnapshotInput>, options: DsoOptions): DsoResult[] {
  const v = parseInput(DsoInputSchema, { ...options, invoices });
  return dsoOf(v.invoices, resolveToday(v), v.periodDays);
}

/**
 * DSO of invoices already validated (for other modules of the core).
 * @example dsoOf(parseInvoices(raw), '2026-03-31', 90)
 */
export function dsoOf(invoices: ReadonlyArray<InvoiceSnapshot>, today: CalendarDay, periodDays: number): DsoResult[] {
  const periodStart = plusDays(today, -(periodDays - 1));
  const results: DsoResult[] = [];
  for (const [currency, list] of byCurrency(invoices)) {
    let receivables = zero(currency);
    let creditSales = zero(currency);
    for (const inv of list) {
      if (isOutstanding(inv, today)) receivables = addExact(receivables, inv.amountDue);
      if (SALE_STATUSES.has(inv.status) && inv.issueDate >= periodStart && inv.issueDate <= today) {
        creditSales = addExact(creditSales, inv.total);
      }
    }
    if (receivables.amount === 0 && creditSales.amount === 0) continue;
    const days = creditSales.amount === 0 ? null : round1((receivables.amount / creditSales.amount) * periodDays);
    results.push({ currency, periodStart, periodEnd: today, periodDays, receivables, creditSales, days });
  }
  return results;
}

const TimelinessInputSchema = z.strictObject({ invoices: InvoiceListSchema });

/**
 * Average days to pay (paid − issued) and days late (paid − due) over paid invoices; the paid day is `paidOn`,
 * else the last payment.
 * @example paymentTimeliness(invoices).averageDaysLate // 4.5
 */
export function paymentTimeliness(invoices: ReadonlyArray<InvoiceSnapshotInput>): PaymentTimeliness {
  return timelinessOf(parseInput(TimelinessInputSchema, { invoices }).invoices);
}

/**
 * Payment timeliness of invoices already validated.
 * @example timelinessOf(parseInvoices(raw)).paidLateCount
 */
export function timelinessOf(invoices: ReadonlyArray<InvoiceSnapshot>): PaymentTimeliness {
  let count = 0;
  let toPay = 0;
  let late = 0;
  let paidLateCount = 0;
  let maxDaysLate: number | null = null;
  let undatedPaidCount = 0;
  for (const inv of invoices) {
    if (inv.status !== 'paid') continue;
    const paid = paidDate(inv);
    if (paid === null) {
      undatedPaidCount += 1;
      continue;
    }
    const daysLate = dayCount(inv.dueDate, paid);
    count += 1;
    toPay += dayCount(inv.issueDate, paid);
    late += daysLate;
    if (daysLate > 0) paidLateCount += 1;
    maxDaysLate = maxDaysLate === null ? daysLate : Math.max(maxDaysLate, daysLate);
  }
  return {
    paidInvoiceCount: count,
    averageDaysToPay: count === 0 ? null : round1(toPay / count),
    averageDaysLate: count === 0 ? null : round1(late / count),
    paidLateCount,
    maxDaysLate,
    undatedPaidCount,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
