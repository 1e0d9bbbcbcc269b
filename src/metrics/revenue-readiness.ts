import { z } from 'zod';
import { type CalendarDay, TimeZoneSchema, todayIn } from '../core/dates.js';
import { parseInput } from '../core/validate.js';
import { type BannerThresholdsInput, BannerThresholdsSchema } from '../receivables/risk.js';
import { wholeNumber } from '../receivables/whole-number.js';
import { type AtRiskList, atRiskOf } from './at-risk.js';
import { type RevenueFactsInput, RevenueFactsSchema } from './facts.js';
import { type HandoffMetrics, handoffMetricsOf } from './handoffs.js';
import { type LateInvoiceMetrics, lateInvoicesOf } from './late-invoices.js';
import { type ReceivablesOverview, receivablesOverviewOf } from './overdue.js';
import { type ReadinessMetrics, readinessOf } from './readiness.js';

/** Every figure of the app's home page, as plain JSON (instants as ISO strings, money as minor units). */
export interface RevenueReadinessReport {
  generatedAt: string;
  /** The portal's calendar day at `now`, which aging and DSO are computed for. */
  today: CalendarDay;
  timeZone: string;
  readiness: ReadinessMetrics;
  lateInvoices: LateInvoiceMetrics;
  receivables: ReceivablesOverview;
  /** Top at-risk accounts, one list per currency. */
  atRisk: AtRiskList[];
  handoffs: HandoffMetrics;
}

const OptionsSchema = z.strictObject({
  now: z.date(),
  timeZone: TimeZoneSchema,
  lateAfterHours: z
    .number()
    .refine((h) => h > 0 && h <= 24 * 365, 'must be a number of hours above 0 and at most 8760 (a year)')
    .default(48),
  dsoPeriodDays: wholeNumber(1, 3660, 'days').default(90),
  bannerThresholds: BannerThresholdsSchema.prefault({}),
  atRiskLimit: wholeNumber(1, 1000, 'accounts').default(10),
});

export type RevenueReadinessOptions = {
  now: Date;
  timeZone: string;
  lateAfterHours?: number;
  dsoPeriodDays?: number;
  bannerThresholds?: BannerThresholdsInput;
  atRiskLimit?: number;
};

/**
 * The whole metrics object for the app home page: readiness durations, late invoices, % overdue and DSO, top
 * at-risk accounts, handoff acceptance and SLA breaches. Errors name the fact at fault, e.g. `deals[2].closedAt`.
 * @example revenueReadiness(facts, { now: new Date(), timeZone: 'America/Chicago' }).receivables.currencies
 */
export function revenueReadiness(facts: RevenueFactsInput, options: RevenueReadinessOptions): RevenueReadinessReport {
  const f = parseInput(RevenueFactsSchema, facts);
  const o = parseInput(OptionsSchema, options);
  const today = todayIn(o.timeZone, o.now);
  return {
    generatedAt: o.now.toISOString(),
    today,
    timeZone: o.timeZone,
    readiness: readinessOf(f.deals),
    lateInvoices: lateInvoicesOf(f.invoiceTimings, o.now, o.lateAfterHours),
    receivables: receivablesOverviewOf(f.invoices, today, o.dsoPeriodDays),
    atRisk: atRiskOf(f.invoices, f.customers, today, o.bannerThresholds, o.atRiskLimit),
    handoffs: handoffMetricsOf(f.handoffEvents, o.now),
  };
}
