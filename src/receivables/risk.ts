import type { AlertProps } from '@hubspot/ui-extensions';
import { z } from 'zod';
import type { CalendarDay } from '../core/dates.js';
import { formatMoney, type Money, NonNegativeMoneySchema } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { type AgingReport, agingOf, type CurrencyAging } from './aging.js';
import { type AsOf, asOfShape, refineAsOf, resolveToday } from './as-of.js';
import { InvoiceListSchema, type InvoiceSnapshot, type InvoiceSnapshotInput } from './invoice.js';
import { joinList, plural } from './text.js';
import { wholeNumber } from './whole-number.js';

/** The `variant` strings HubSpot's UI Extensions `Alert` accepts (0.17: info, warning, success, error, danger, tip). */
export type AlertVariant = NonNullable<AlertProps['variant']>;

/** Banner severities, mildest first. Each is also an Alert variant, which the `satisfies` proves at compile time. */
export const BANNER_SEVERITIES = [
  'success',
  'info',
  'warning',
  'danger',
] as const satisfies ReadonlyArray<AlertVariant>;
export type BannerSeverity = (typeof BANNER_SEVERITIES)[number];

// The one place where a severity becomes an Alert variant; identity today, kept so a rename in HubSpot's union
// (e.g. danger → error) is a one-line change.
const ALERT_VARIANT: Readonly<Record<BannerSeverity, AlertVariant>> = {
  success: 'success',
  info: 'info',
  warning: 'warning',
  danger: 'danger',
};

/**
 * The `Alert` variant for a banner severity.
 * @example <Alert variant={alertVariant(model.severity)} title={model.title}>{model.message}</Alert>
 */
export function alertVariant(severity: BannerSeverity): AlertVariant {
  return ALERT_VARIANT[parseInput(z.enum(BANNER_SEVERITIES), severity, 'severity')];
}

/**
 * Risk level, one-to-one with the banner: high ⇔ danger, medium ⇔ warning, low ⇔ something is past due but below
 * the thresholds (too few days, or less than the minimum amount), none ⇔ nothing past due and no credit hold.
 */
export type RiskLevel = 'none' | 'low' | 'medium' | 'high';

/**
 * When the banner warns. Days are "from" (inclusive): with the defaults, 1 day past due is a warning and 30 days is
 * danger; a customer on credit hold is always danger. `minimumOverdue` holds at most one amount per currency; an
 * overdue amount below its currency's minimum is not shown (currencies without a minimum have none).
 */
export const BannerThresholdsSchema = z
  .strictObject({
    warningFromDaysPastDue: wholeNumber(1, 3650, 'days').default(1),
    dangerFromDaysPastDue: wholeNumber(1, 3650, 'days').default(30),
    minimumOverdue: z.array(NonNegativeMoneySchema).max(200).default([]),
  })
  .superRefine((t, ctx) => {
    if (t.dangerFromDaysPastDue < t.warningFromDaysPastDue) {
      ctx.addIssue({
        code: 'custom',
        path: ['dangerFromDaysPastDue'],
        message: `must be at least warningFromDaysPastDue (${t.warningFromDaysPastDue})`,
      });
    }
    const seen = new Set<string>();
    for (const [i, m] of t.minimumOverdue.entries()) {
      if (seen.has(m.currency)) {
        ctx.addIssue({
          code: 'custom',
          path: ['minimumOverdue', i, 'currency'],
          message: `repeats ${m.currency}; give one minimum per currency`,
        });
      }
      seen.add(m.currency);
    }
  });
export type BannerThresholds = z.output<typeof BannerThresholdsSchema>;
export type BannerThresholdsInput = z.input<typeof BannerThresholdsSchema>;

/** The thresholds an admin has not changed: warning from 1 day, danger from 30 days, no minimum amount. */
export const DEFAULT_BANNER_THRESHOLDS: BannerThresholds = BannerThresholdsSchema.parse({});

/** The risk of one customer's receivables (or of one currency of them). */
export interface RiskAssessment {
  level: RiskLevel;
  severity: BannerSeverity;
  creditHold: boolean;
  /** Overdue amounts that reach their currency's minimum — the ones the thresholds and the banner count. */
  countedOverdue: Money[];
  /** Days past due of the oldest unpaid invoice in the counted currencies (0 when none). */
  countedDaysPastDue: number;
  countedOverdueInvoiceCount: number;
  /** Oldest due date among the counted currencies' overdue invoices. */
  countedOldestDueDate: CalendarDay | null;
  /** True when something is past due but every overdue amount is below its currency's minimum. */
  belowMinimum: boolean;
  aging: AgingReport;
}

const riskOptionsShape = {
  ...asOfShape,
  thresholds: BannerThresholdsSchema.prefault({}),
  creditHold: z.boolean().default(false),
};

const RiskInputSchema = z.strictObject({ invoices: InvoiceListSchema, ...riskOptionsShape }).superRefine(refineAsOf);

export type RiskOptions = AsOf & { thresholds?: BannerThresholdsInput; creditHold?: boolean };

/**
 * Risk level and banner severity of a customer's invoices as of today.
 * @example assessRisk(invoices, { today: '2026-03-01', creditHold: false }).level // 'medium'
 */
export function assessRisk(invoices: ReadonlyArray<InvoiceSnapshotInput>, options: RiskOptions): RiskAssessment {
  const v = parseInput(RiskInputSchema, { ...options, invoices });
  return riskOf(agingOf(v.invoices, resolveToday(v)), v.thresholds, v.creditHold);
}

/**
 * Risk from an aging report already computed (for other modules of the core).
 * @example riskOf(agingOf(invoices, today), DEFAULT_BANNER_THRESHOLDS, false)
 */
export function riskOf(aging: AgingReport, thresholds: BannerThresholds, creditHold: boolean): RiskAssessment {
  const counted: CurrencyAging[] = [];
  let anyOverdue = false;
  for (const c of aging.currencies) {
    if (c.overdue.amount === 0) continue;
    anyOverdue = true;
    const minimum = thresholds.minimumOverdue.find((m) => m.currency === c.currency);
    if (minimum === undefined || c.overdue.amount >= minimum.amount) counted.push(c);
  }
  const days = counted.reduce((d, c) => Math.max(d, c.daysPastDue), 0);
  let oldest: CalendarDay | null = null;
  for (const c of counted) if (oldest === null || c.oldestDueDate < oldest) oldest = c.oldestDueDate;

  let severity: BannerSeverity;
  if (creditHold || (counted.length > 0 && days >= thresholds.dangerFromDaysPastDue)) severity = 'danger';
  else if (counted.length > 0 && days >= thresholds.warningFromDaysPastDue) severity = 'warning';
  else if (aging.currencies.length > 0) severity = 'info';
  else severity = 'success';

  const level: RiskLevel =
    severity === 'danger' ? 'high' : severity === 'warning' ? 'medium' : anyOverdue ? 'low' : 'none';
  return {
    level,
    severity,
    creditHold,
    countedOverdue: counted.map((c) => c.overdue),
    countedDaysPastDue: days,
    countedOverdueInvoiceCount: counted.reduce((n, c) => n + c.overdueInvoiceCount, 0),
    countedOldestDueDate: oldest,
    belowMinimum: anyOverdue && counted.length === 0,
    aging,
  };
}

/** Where the banner is shown: on the company record, or on a deal (where overdue means "do not upsell yet"). */
export type BannerContext = 'company' | 'deal';

/** Everything the PaymentStatus card needs to render the banner; plain JSON. */
export interface BannerModel {
  severity: BannerSeverity;
  risk: RiskLevel;
  context: BannerContext;
  title: string;
  message: string;
  creditHold: boolean;
  /** One entry per currency with something outstanding (alphabetical); an overdue amount may be zero. */
  overdue: Money[];
  outstanding: Money[];
  /** Days past due of the oldest unpaid invoice, in any currency. */
  daysPastDue: number;
  openInvoiceCount: number;
  oldestDueDate: CalendarDay | null;
  aging: AgingReport;
  lastPayment?: { on: CalendarDay; amount: Money; invoiceId: string; invoiceNumber: string };
}

const BannerInputSchema = z
  .strictObject({
    invoices: InvoiceListSchema,
    ...riskOptionsShape,
    context: z.enum(['company', 'deal'], { error: 'must be company or deal' }),
  })
  .superRefine(refineAsOf);

export type BannerOptions = RiskOptions & { context: BannerContext };

/**
 * The payment-status banner for a company or deal record.
 * @example bannerModel(invoices, { today: '2026-03-01', context: 'deal' }).message // 'Customer is 45 days past due on $12,400.00 — resolve before expanding.'
 */
export function bannerModel(invoices: ReadonlyArray<InvoiceSnapshotInput>, options: BannerOptions): BannerModel {
  const v = parseInput(BannerInputSchema, { ...options, invoices });
  const today = resolveToday(v);
  const aging = agingOf(v.invoices, today);
  const risk = riskOf(aging, v.thresholds, v.creditHold);
  const { title, message } = wording(risk, v.context);
  const model: BannerModel = {
    severity: risk.severity,
    risk: risk.level,
    context: v.context,
    title,
    message,
    creditHold: v.creditHold,
    overdue: aging.currencies.map((c) => c.overdue),
    outstanding: aging.currencies.map((c) => c.outstanding),
    daysPastDue: aging.daysPastDue,
    openInvoiceCount: aging.openInvoiceCount,
    oldestDueDate: aging.oldestDueDate,
    aging,
  };
  const last = lastPaymentOf(v.invoices, today);
  if (last) model.lastPayment = last;
  return model;
}

function wording(risk: RiskAssessment, context: BannerContext): { title: string; message: string } {
  const { aging } = risk;
  const overdue = joinList(risk.countedOverdue.map((m) => formatMoney(m)));
  const pastDue = `${plural(risk.countedDaysPastDue, 'day')} past due on ${overdue}`;
  const outstanding = `${joinList(aging.currencies.map((c) => formatMoney(c.outstanding)))} outstanding on ${plural(aging.openInvoiceCount, 'open invoice')}`;
  const counted = risk.countedOverdue.length > 0;
  const escalated = risk.severity === 'danger' || risk.severity === 'warning';

  if (context === 'deal' && escalated) {
    if (risk.creditHold) {
      return {
        title: 'Customer on credit hold',
        message: counted
          ? `Customer is on credit hold and ${pastDue} — resolve before expanding.`
          : 'Customer is on credit hold — resolve before expanding.',
      };
    }
    return { title: 'Overdue customer', message: `Customer is ${pastDue} — resolve before expanding.` };
  }

  const details = `(${plural(risk.countedOverdueInvoiceCount, 'overdue invoice')}, oldest due ${risk.countedOldestDueDate})`;
  if (risk.creditHold) {
    return {
      title: 'On credit hold',
      message: counted
        ? `This customer is on credit hold and ${pastDue} ${details}.`
        : aging.openInvoiceCount > 0
          ? `This customer is on credit hold. ${capitalize(outstanding)}.`
          : 'This customer is on credit hold.',
    };
  }
  if (escalated) {
    return {
      title: risk.severity === 'danger' ? 'Seriously overdue' : 'Payment overdue',
      message: `This customer is ${pastDue} ${details}.`,
    };
  }
  if (risk.severity === 'info') {
    let message = `${capitalize(outstanding)}, none past due.`;
    if (counted)
      message = `${capitalize(outstanding)}; ${overdue} of it is past due (oldest ${plural(risk.countedDaysPastDue, 'day')}).`;
    else if (risk.belowMinimum) message = `${capitalize(outstanding)}.`;
    return { title: 'Open invoices', message };
  }
  return { title: 'Paid up', message: 'No open invoices.' };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lastPaymentOf(invoices: ReadonlyArray<InvoiceSnapshot>, today: CalendarDay): BannerModel['lastPayment'] {
  let last: BannerModel['lastPayment'];
  const consider = (on: CalendarDay, amount: Money, inv: InvoiceSnapshot) => {
    if (on > today || (last && on <= last.on)) return;
    last = { on, amount, invoiceId: inv.id, invoiceNumber: inv.number };
  };
  for (const inv of invoices) {
    if (inv.status === 'void') continue;
    if (inv.payments && inv.payments.length > 0) for (const p of inv.payments) consider(p.on, p.amount, inv);
    else if (inv.status === 'paid' && inv.paidOn) consider(inv.paidOn, inv.total, inv);
  }
  return last;
}
