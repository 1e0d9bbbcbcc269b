import { z } from 'zod';
import type { CalendarDay } from '../core/dates.js';
import type { Money } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { agingOf } from '../receivables/aging.js';
import { type AsOf, asOfShape, refineAsOf, resolveToday } from '../receivables/as-of.js';
import {
  byCurrency,
  InvoiceListSchema,
  type InvoiceSnapshot,
  type InvoiceSnapshotInput,
} from '../receivables/invoice.js';
import {
  type BannerSeverity,
  type BannerThresholds,
  type BannerThresholdsInput,
  BannerThresholdsSchema,
  type RiskLevel,
  riskOf,
} from '../receivables/risk.js';
import { wholeNumber } from '../receivables/whole-number.js';
import { type CustomerFact, type CustomerFactInput, CustomerFactListSchema } from './facts.js';
import { compareText } from './stats.js';

/** One customer's standing in one currency. */
export interface AtRiskAccount {
  customerId: string;
  /** From the customer facts; null when the customer is not among them. */
  name: string | null;
  severity: BannerSeverity;
  risk: RiskLevel;
  creditHold: boolean;
  daysPastDue: number;
  overdue: Money;
  outstanding: Money;
  overdueInvoiceCount: number;
  oldestDueDate: CalendarDay;
}

/** The at-risk accounts of one currency, most at risk first. */
export interface AtRiskList {
  currency: string;
  accounts: AtRiskAccount[];
}

const SEVERITY_RANK: Readonly<Record<BannerSeverity, number>> = { danger: 3, warning: 2, info: 1, success: 0 };

const InputSchema = z
  .strictObject({
    invoices: InvoiceListSchema,
    customers: CustomerFactListSchema,
    ...asOfShape,
    thresholds: BannerThresholdsSchema.prefault({}),
    limit: wholeNumber(1, 1000, 'accounts').default(10),
  })
  .superRefine(refineAsOf);

export type AtRiskOptions = AsOf & { thresholds?: BannerThresholdsInput; limit?: number };

/**
 * The top at-risk accounts (default 10), one list per currency because amounts in different currencies cannot be
 * compared. Order: banner severity (danger, warning, info), then days past due (most first), then overdue amount
 * (largest first), then customer id so that the order is stable. An account is listed in a currency when its risk
 * there is not 'none': something past due (even below the minimum amount) or on credit hold with money outstanding.
 * @example topAtRiskAccounts(invoices, customers, { today: '2026-03-31' })[0].accounts[0].customerId
 */
export function topAtRiskAccounts(
  invoices: ReadonlyArray<InvoiceSnapshotInput>,
  customers: ReadonlyArray<CustomerFactInput>,
  options: AtRiskOptions,
): AtRiskList[] {
  const v = parseInput(InputSchema, { ...options, invoices, customers });
  return atRiskOf(v.invoices, v.customers, resolveToday(v), v.thresholds, v.limit);
}

/**
 * At-risk lists from facts already validated.
 * @example atRiskOf(facts.invoices, facts.customers, '2026-03-31', DEFAULT_BANNER_THRESHOLDS, 10)
 */
export function atRiskOf(
  invoices: ReadonlyArray<InvoiceSnapshot>,
  customers: ReadonlyArray<CustomerFact>,
  today: CalendarDay,
  thresholds: BannerThresholds,
  limit: number,
): AtRiskList[] {
  const byId = new Map(customers.map((c) => [c.customerId, c]));
  const lists: AtRiskList[] = [];
  for (const [currency, list] of byCurrency(invoices)) {
    const perCustomer = new Map<string, InvoiceSnapshot[]>();
    for (const inv of list) {
      const own = perCustomer.get(inv.customerId);
      if (own) own.push(inv);
      else perCustomer.set(inv.customerId, [inv]);
    }
    const accounts: AtRiskAccount[] = [];
    for (const [customerId, own] of perCustomer) {
      const customer = byId.get(customerId);
      const creditHold = customer?.creditHold ?? false;
      const aging = agingOf(own, today);
      const c = aging.currencies[0];
      if (!c) continue;
      const risk = riskOf(aging, thresholds, creditHold);
      if (risk.level === 'none') continue;
      accounts.push({
        customerId,
        name: customer?.name ?? null,
        severity: risk.severity,
        risk: risk.level,
        creditHold,
        daysPastDue: c.daysPastDue,
        overdue: c.overdue,
        outstanding: c.outstanding,
        overdueInvoiceCount: c.overdueInvoiceCount,
        oldestDueDate: c.oldestDueDate,
      });
    }
    if (accounts.length === 0) continue;
    accounts.sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        b.daysPastDue - a.daysPastDue ||
        b.overdue.amount - a.overdue.amount ||
        compareText(a.customerId, b.customerId),
    );
    lists.push({ currency, accounts: accounts.slice(0, limit) });
  }
  return lists;
}
