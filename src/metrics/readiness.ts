import { z } from 'zod';
import { parseInput } from '../core/validate.js';
import { type DealReadinessFact, type DealReadinessFactInput, DealReadinessFactListSchema } from './facts.js';
import { HOUR_MS, median, percentile, roundTo } from './stats.js';

/** One duration distribution. Hours and days are rounded to two decimals from the exact milliseconds. */
export interface DurationStats {
  /** How many deals have both ends of this step. */
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
  medianDays: number | null;
  p90Days: number | null;
}

/** Revenue readiness: how long won deals take to become billable, step by step. */
export interface ReadinessMetrics {
  dealCount: number;
  closeToBillingLive: DurationStats;
  billingLiveToFirstInvoice: DurationStats;
  closeToFirstInvoice: DurationStats;
  /** Won deals whose billing is not set up yet. */
  awaitingBillingSetup: number;
  /** Won deals with no invoice yet. */
  awaitingFirstInvoice: number;
}

/**
 * Median and p90 (nearest rank) of a list of durations in milliseconds.
 * @example durationStats([3_600_000, 7_200_000]) // { count: 2, medianHours: 1.5, p90Hours: 2, … }
 */
export function durationStats(durationsMs: ReadonlyArray<number>): DurationStats {
  const ms = parseInput(z.object({ durationsMs: z.array(z.number().min(0, 'must not be negative')) }), {
    durationsMs,
  }).durationsMs;
  return statsOf(ms);
}

function statsOf(durationsMs: ReadonlyArray<number>): DurationStats {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const med = median(sorted);
  const p90 = percentile(sorted, 90);
  const hours = (x: number | null) => (x === null ? null : roundTo(x / HOUR_MS, 2));
  const days = (x: number | null) => (x === null ? null : roundTo(x / (24 * HOUR_MS), 2));
  return {
    count: sorted.length,
    medianHours: hours(med),
    p90Hours: hours(p90),
    medianDays: days(med),
    p90Days: days(p90),
  };
}

/**
 * Time from close to billing set up to first invoice, over won deals (median, p90, count).
 * @example readinessDurations([{ dealId: 'd1', closedAt: '2026-03-02T09:00:00Z', billingLiveAt: '2026-03-03T09:00:00Z' }]).closeToBillingLive.medianHours // 24
 */
export function readinessDurations(deals: ReadonlyArray<DealReadinessFactInput>): ReadinessMetrics {
  return readinessOf(parseInput(z.object({ deals: DealReadinessFactListSchema }), { deals }).deals);
}

/**
 * Readiness of facts already validated.
 * @example readinessOf(RevenueFactsSchema.parse(raw).deals)
 */
export function readinessOf(deals: ReadonlyArray<DealReadinessFact>): ReadinessMetrics {
  const toBilling: number[] = [];
  const billingToInvoice: number[] = [];
  const toInvoice: number[] = [];
  for (const d of deals) {
    const closed = d.closedAt.getTime();
    if (d.billingLiveAt) toBilling.push(d.billingLiveAt.getTime() - closed);
    if (d.firstInvoiceAt) toInvoice.push(d.firstInvoiceAt.getTime() - closed);
    if (d.billingLiveAt && d.firstInvoiceAt)
      billingToInvoice.push(d.firstInvoiceAt.getTime() - d.billingLiveAt.getTime());
  }
  return {
    dealCount: deals.length,
    closeToBillingLive: statsOf(toBilling),
    billingLiveToFirstInvoice: statsOf(billingToInvoice),
    closeToFirstInvoice: statsOf(toInvoice),
    awaitingBillingSetup: deals.length - toBilling.length,
    awaitingFirstInvoice: deals.length - toInvoice.length,
  };
}
