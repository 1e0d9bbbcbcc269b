import { z } from 'zod';
import { correctionFieldLabel } from '../core/correction-fields.js';
import {
  type CalendarDay,
  endOfMonthDay,
  minDay,
  plusMonths,
  startOfDayIn,
  TimeZoneSchema,
  todayIn,
} from '../core/dates.js';
import { financeSystemName } from '../core/finance-systems.js';
import type { Money } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { invoiceAsOf } from '../receivables/history.js';
import { InvoiceListSchema } from '../receivables/invoice.js';
import { wholeNumber } from '../receivables/whole-number.js';
import { HandoffEventFactListSchema, InstantSchema, InvoiceTimingFactListSchema } from './facts.js';
import { handoffMetricsOf, type SlaBreach } from './handoffs.js';
import { receivablesOverviewOf } from './overdue.js';
import { compareText, HOUR_MS, roundTo } from './stats.js';

/**
 * The monthly audit (issue #10 item 5): what happened in one calendar month of the portal's time zone — handoffs
 * submitted, accepted, rejected (by reason) and SLA breaches; invoices created more than 48 h after their trigger;
 * manual corrections made in the finance system, by field and by system; bad-debt post-mortems; and the share of
 * receivables overdue and DSO at the end of this month and of the months before it, for the trend. Pure: the facts
 * come in, the figures go out.
 */

export { invoiceAsOf };

const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** A calendar month `YYYY-MM`; errors repeat the value and say what is accepted. */
export const MonthSchema = z
  .string({ error: 'must be a month written YYYY-MM, e.g. 2026-03' })
  .superRefine((m, ctx) => {
    const match = MONTH_RE.exec(m);
    const month = match ? Number(match[2]) : 0;
    if (!match || month < 1 || month > 12 || Number(match[1]) < 1970) {
      ctx.addIssue({
        code: 'custom',
        message: `"${m}" is not a month: write it YYYY-MM with a year from 1970 and a month from 01 to 12, e.g. 2026-03`,
      });
    }
  });
export type Month = string;

const required = z.string().trim().min(1, 'is required');

/** A change made by hand in the finance system after our sync (recorded by the change detection). */
export const ManualCorrectionFactSchema = z.object({
  /** The finance system it was made in: quickbooks, xero or stripe. */
  system: required,
  /** Which synced field changed, e.g. `paymentTerms`. */
  field: required,
  at: InstantSchema,
});
export type ManualCorrectionFactInput = z.input<typeof ManualCorrectionFactSchema>;

export const POST_MORTEM_TRIGGERS = ['voided', 'written_off', 'over_90_days'] as const;
export type PostMortemTrigger = (typeof POST_MORTEM_TRIGGERS)[number];

/** A bad-debt post-mortem recorded for one invoice (see src/receivables/post-mortem.ts). */
export const PostMortemFactSchema = z.object({
  invoiceId: required,
  trigger: z.enum(POST_MORTEM_TRIGGERS, { error: `must be one of ${POST_MORTEM_TRIGGERS.join(', ')}` }),
  at: InstantSchema,
});
export type PostMortemFactInput = z.input<typeof PostMortemFactSchema>;

/** Everything the audit reads. Every list may be omitted (empty). */
export const AuditFactsSchema = z.strictObject({
  handoffEvents: HandoffEventFactListSchema.default([]),
  invoiceTimings: InvoiceTimingFactListSchema.default([]),
  manualCorrections: z.array(ManualCorrectionFactSchema).max(100_000).default([]),
  postMortems: z.array(PostMortemFactSchema).max(100_000).default([]),
  invoices: InvoiceListSchema.default([]),
});
export type AuditFactsInput = z.input<typeof AuditFactsSchema>;

const OptionsSchema = z
  .strictObject({
    month: MonthSchema,
    now: z.date(),
    timeZone: TimeZoneSchema,
    lateAfterHours: z
      .number()
      .refine((h) => h > 0 && h <= 24 * 365, 'must be a number of hours above 0 and at most 8760 (a year)')
      .default(48),
    /** How many months the receivables trend shows, the audited month included. */
    trendMonths: wholeNumber(1, 24, 'months').default(6),
    dsoPeriodDays: wholeNumber(1, 3660, 'days').default(90),
  })
  .superRefine((o, ctx) => {
    if (!MONTH_RE.test(o.month)) return;
    const current = todayIn(o.timeZone, o.now).slice(0, 7);
    if (o.month > current) {
      ctx.addIssue({
        code: 'custom',
        path: ['month'],
        message: `"${o.month}" has not begun yet in ${o.timeZone}: give ${current} or an earlier month`,
      });
    }
  });
export type MonthlyAuditOptions = z.input<typeof OptionsSchema>;

export interface CountBy {
  key: string;
  count: number;
}

/** Receivables of one currency at one month's end (or today, for the month under way). */
export interface TrendCurrency {
  currency: string;
  outstanding: Money;
  overdue: Money;
  /** overdue ÷ outstanding by amount, four decimals; null with nothing outstanding. */
  overdueShare: number | null;
  /** null when the currency had no credit sales in the DSO period. */
  dsoDays: number | null;
}

export interface TrendPoint {
  month: Month;
  /** The day the figures are taken at: the month's last day, or today for the month under way. */
  asOf: CalendarDay;
  currencies: TrendCurrency[];
}

export interface AuditLateInvoice {
  invoiceId: string;
  dealId: string | null;
  trigger: string | null;
  triggerAt: string;
  createdAt: string;
  delayHours: number;
}

/** The monthly audit as plain JSON (instants as ISO strings, money in minor units). */
export interface MonthlyAudit {
  month: Month;
  timeZone: string;
  /** The month's first instant in the portal's zone (inclusive) and the next month's first (exclusive). */
  from: string;
  to: string;
  /** False while the month is still under way: its figures can still grow. */
  complete: boolean;
  generatedAt: string;
  handoffs: {
    /** Submissions and re-submissions made in the month. */
    submitted: number;
    accepted: number;
    rejected: number;
    /** Most frequent first, then alphabetical. */
    rejectionsByReason: CountBy[];
    /** Review rounds whose SLA deadline fell in the month and were decided after it (or are still undecided). */
    slaBreaches: number;
    breaches: SlaBreach[];
  };
  invoices: {
    lateAfterHours: number;
    /** Invoices created in the month. */
    created: number;
    /** Of those, created more than `lateAfterHours` after their trigger. */
    late: number;
    lateInvoices: AuditLateInvoice[];
    /** Not created by the month's end (or now) although their trigger was more than `lateAfterHours` before it. */
    missingPastLimit: number;
  };
  manualCorrections: { total: number; byField: CountBy[]; bySystem: CountBy[] };
  postMortems: { total: number; byTrigger: CountBy[] };
  /** Oldest month first; the audited month last. */
  receivablesTrend: TrendPoint[];
}

function countBy(keys: Iterable<string>): CountBy[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || compareText(a.key, b.key));
}

function nextMonth(month: Month): Month {
  return plusMonths(`${month}-01`, 1).slice(0, 7);
}

/**
 * The monthly audit of one portal. Errors name the option or fact at fault, e.g. `month` for `2026-13`.
 * @example monthlyAudit(facts, { month: '2026-03', now: new Date(), timeZone: 'Europe/Berlin' }).handoffs.rejected
 */
export function monthlyAudit(facts: AuditFactsInput, options: MonthlyAuditOptions): MonthlyAudit {
  const o = parseInput(OptionsSchema, options);
  const f = parseInput(AuditFactsSchema, facts);
  const from = startOfDayIn(`${o.month}-01`, o.timeZone);
  const to = startOfDayIn(`${nextMonth(o.month)}-01`, o.timeZone);
  const inMonth = (d: Date) => d.getTime() >= from.getTime() && d.getTime() < to.getTime();
  const cutoff = Math.min(to.getTime(), o.now.getTime());
  const limitMs = o.lateAfterHours * HOUR_MS;

  const events = f.handoffEvents.filter((e) => inMonth(e.at));
  const rejections = events.filter((e) => e.kind === 'rejected');
  const breaches = handoffMetricsOf(f.handoffEvents, o.now)
    .slaBreaches.breaches.filter((b) => inMonth(new Date(b.slaDueAt)))
    .sort((a, b) => compareText(a.slaDueAt, b.slaDueAt) || compareText(a.handoffId, b.handoffId));

  const created = f.invoiceTimings.filter((t) => t.createdAt && inMonth(t.createdAt));
  const late: AuditLateInvoice[] = [];
  for (const t of created) {
    const delay = (t.createdAt as Date).getTime() - t.triggerAt.getTime();
    if (delay > limitMs) {
      late.push({
        invoiceId: t.invoiceId,
        dealId: t.dealId ?? null,
        trigger: t.trigger ?? null,
        triggerAt: t.triggerAt.toISOString(),
        createdAt: (t.createdAt as Date).toISOString(),
        delayHours: roundTo(delay / HOUR_MS, 2),
      });
    }
  }
  late.sort((a, b) => b.delayHours - a.delayHours || compareText(a.invoiceId, b.invoiceId));
  const missing = f.invoiceTimings.filter(
    (t) =>
      (!t.createdAt || t.createdAt.getTime() >= cutoff) &&
      t.triggerAt.getTime() < to.getTime() &&
      cutoff - t.triggerAt.getTime() > limitMs,
  ).length;

  const corrections = f.manualCorrections.filter((c) => inMonth(c.at));
  const postMortems = f.postMortems.filter((p) => inMonth(p.at));

  const today = todayIn(o.timeZone, o.now);
  const trend: TrendPoint[] = [];
  for (let back = o.trendMonths - 1; back >= 0; back--) {
    const month = plusMonths(`${o.month}-01`, -back).slice(0, 7);
    const end = endOfMonthDay(`${month}-01`);
    const asOf = minDay(end, today);
    const invoices = f.invoices.flatMap((inv) => invoiceAsOf(inv, asOf) ?? []);
    const overview = receivablesOverviewOf(invoices, asOf, o.dsoPeriodDays);
    trend.push({
      month,
      asOf,
      currencies: overview.currencies.map((c) => ({
        currency: c.currency,
        outstanding: c.outstanding,
        overdue: c.overdue,
        overdueShare: c.overdueShare,
        dsoDays: c.dso?.days ?? null,
      })),
    });
  }

  return {
    month: o.month,
    timeZone: o.timeZone,
    from: from.toISOString(),
    to: to.toISOString(),
    complete: o.now.getTime() >= to.getTime(),
    generatedAt: o.now.toISOString(),
    handoffs: {
      submitted: events.filter((e) => e.kind === 'submitted').length,
      accepted: events.filter((e) => e.kind === 'accepted').length,
      rejected: rejections.length,
      rejectionsByReason: countBy(rejections.map((e) => e.reason ?? 'no reason given')),
      slaBreaches: breaches.length,
      breaches,
    },
    invoices: {
      lateAfterHours: o.lateAfterHours,
      created: created.length,
      late: late.length,
      lateInvoices: late,
      missingPastLimit: missing,
    },
    manualCorrections: {
      total: corrections.length,
      byField: countBy(corrections.map((c) => c.field)),
      bySystem: countBy(corrections.map((c) => c.system)),
    },
    postMortems: { total: postMortems.length, byTrigger: countBy(postMortems.map((p) => p.trigger)) },
    receivablesTrend: trend,
  };
}

/**
 * The audit as rows of label and value, the way the CLI prints it and writes it as CSV (money in major units).
 * @example auditRows(audit)[0] // ['Month', '2026-03']
 */
export function auditRows(audit: MonthlyAudit): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Month', audit.month],
    ['Time zone', audit.timeZone],
    ['Complete', audit.complete ? 'yes' : 'no (month under way)'],
    ['Handoffs submitted', String(audit.handoffs.submitted)],
    ['Handoffs accepted', String(audit.handoffs.accepted)],
    ['Handoffs rejected', String(audit.handoffs.rejected)],
    ...audit.handoffs.rejectionsByReason.map((r): [string, string] => [`Rejected: ${r.key}`, String(r.count)]),
    ['SLA breaches', String(audit.handoffs.slaBreaches)],
    ['Invoices created', String(audit.invoices.created)],
    [`Invoices created > ${audit.invoices.lateAfterHours} h after trigger`, String(audit.invoices.late)],
    [
      `Invoices not created, > ${audit.invoices.lateAfterHours} h after trigger`,
      String(audit.invoices.missingPastLimit),
    ],
    ['Manual corrections', String(audit.manualCorrections.total)],
    ...audit.manualCorrections.byField.map((r): [string, string] => [
      `Corrected field: ${correctionFieldLabel(r.key)}`,
      String(r.count),
    ]),
    ...audit.manualCorrections.bySystem.map((r): [string, string] => [
      `Corrected in: ${financeSystemName(r.key)}`,
      String(r.count),
    ]),
    ['Bad-debt post-mortems', String(audit.postMortems.total)],
    ...audit.postMortems.byTrigger.map((r): [string, string] => [`Post-mortems: ${r.key}`, String(r.count)]),
  ];
  for (const point of audit.receivablesTrend) {
    if (point.currencies.length === 0) rows.push([`${point.month} receivables (as of ${point.asOf})`, 'none']);
    for (const c of point.currencies) {
      const pct = c.overdueShare === null ? '—' : `${roundTo(c.overdueShare * 100, 1)}%`;
      rows.push([`${point.month} ${c.currency} overdue (as of ${point.asOf})`, pct]);
      rows.push([`${point.month} ${c.currency} DSO (days)`, c.dsoDays === null ? '—' : String(c.dsoDays)]);
    }
  }
  return rows;
}
