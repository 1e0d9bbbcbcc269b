import { z } from 'zod';
import type { CalendarDay } from '../core/dates.js';
import type { Money } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { agingOf } from '../receivables/aging.js';
import { type AsOf, asOfShape, refineAsOf, resolveToday } from '../receivables/as-of.js';
import { type DsoResult, dsoOf } from '../receivables/dso.js';
import {
  byCurrency,
  InvoiceListSchema,
  type InvoiceSnapshot,
  type InvoiceSnapshotInput,
  isOutstanding,
} from '../receivables/invoice.js';
import { wholeNumber } from '../receivables/whole-number.js';
import { share } from './stats.js';

/** Receivables health of one currency across all customers. */
export interface CurrencyReceivables {
  currency: string;
  outstanding: Money;
  overdue: Money;
  /** overdue ÷ outstanding by amount (not by invoice count), fraction 0–1 with four decimals; null with nothing outstanding. */
  overdueShare: number | null;
  openInvoiceCount: number;
  overdueInvoiceCount: number;
  /** Customers with at least one invoice past due in this currency. */
  customersOverdue: number;
  /** Portfolio DSO (see `daysSalesOutstanding` for the formula); null when this currency had no receivables or sales. */
  dso: DsoResult | null;
}

export interface ReceivablesOverview {
  today: CalendarDay;
  periodDays: number;
  /** Alphabetical by currency; currencies are never added together. */
  currencies: CurrencyReceivables[];
}

const InputSchema = z
  .strictObject({
    invoices: InvoiceListSchema,
    ...asOfShape,
    periodDays: wholeNumber(1, 3660, 'days').default(90),
  })
  .superRefine(refineAsOf);

export type ReceivablesOverviewOptions = AsOf & { periodDays?: number };

/**
 * Share of receivables overdue (amount-weighted) and DSO across all customers, per currency.
 * @example receivablesOverview(invoices, { now, timeZone: 'Europe/Berlin' }).currencies[0].overdueShare // 0.25
 */
export function receivablesOverview(
  invoices: ReadonlyArray<InvoiceSnapshotInput>,
  options: ReceivablesOverviewOptions,
): ReceivablesOverview {
  const v = parseInput(InputSchema, { ...options, invoices });
  return receivablesOverviewOf(v.invoices, resolveToday(v), v.periodDays);
}

/**
 * Receivables overview of invoices already validated.
 * @example receivablesOverviewOf(RevenueFactsSchema.parse(raw).invoices, '2026-03-31', 90)
 */
export function receivablesOverviewOf(
  invoices: ReadonlyArray<InvoiceSnapshot>,
  today: CalendarDay,
  periodDays: number,
): ReceivablesOverview {
  const aging = agingOf(invoices, today);
  const dso = dsoOf(invoices, today, periodDays);
  const currencies: CurrencyReceivables[] = [];
  for (const [currency, list] of byCurrency(invoices)) {
    const a = aging.currencies.find((c) => c.currency === currency);
    const d = dso.find((r) => r.currency === currency) ?? null;
    if (!a && !d) continue;
    const overdueCustomers = new Set(
      list.filter((inv) => isOutstanding(inv, today) && inv.dueDate < today).map((inv) => inv.customerId),
    );
    const outstanding = a?.outstanding ?? { amount: 0, currency };
    const overdue = a?.overdue ?? { amount: 0, currency };
    currencies.push({
      currency,
      outstanding,
      overdue,
      overdueShare: share(overdue.amount, outstanding.amount),
      openInvoiceCount: a?.openInvoiceCount ?? 0,
      overdueInvoiceCount: a?.overdueInvoiceCount ?? 0,
      customersOverdue: overdueCustomers.size,
      dso: d,
    });
  }
  return { today, periodDays, currencies };
}
