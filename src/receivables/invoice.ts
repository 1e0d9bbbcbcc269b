import { z } from 'zod';
import type { FinanceCapabilities } from '../billing/capabilities.js';
import { type CalendarDay, CalendarDaySchema } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { addMoney, CurrencyCodeSchema, formatMoney, type Money, MoneySchema } from '../core/money.js';
import { parseInput } from '../core/validate.js';

/**
 * An invoice as the finance system last reported it. Snapshots are replaced wholesale on every webhook or
 * reconciliation sweep, so nothing here is computed state: aging, DSO and risk are derived on demand.
 */

const STATUSES = ['scheduled', 'draft', 'open', 'paid', 'void', 'written_off'] as const;

/** `scheduled`: held by us until its trigger (QuickBooks has no drafts); `open`: posted and awaiting payment. */
export const InvoiceStatusSchema = z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` });
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>;

/** The finance system the snapshot came from. */
export const SourceSystemSchema = z.enum(['quickbooks', 'xero', 'stripe'], {
  error: 'must be quickbooks, xero or stripe',
});
export type SourceSystem = z.infer<typeof SourceSystemSchema>;

// Compile-time guard: a finance system added to the capability descriptor must be added here too.
const sameSystems: [SourceSystem, FinanceCapabilities['system']] extends [FinanceCapabilities['system'], SourceSystem]
  ? true
  : false = true;
void sameSystems;

const NonNegativeAmount = MoneySchema.refine((m) => m.amount >= 0, {
  message: 'must not be negative',
  path: ['amount'],
});
const PositiveAmount = MoneySchema.refine((m) => m.amount > 0, { message: 'must be more than zero', path: ['amount'] });

/** One payment received against an invoice. */
export const InvoicePaymentSchema = z.object({
  on: CalendarDaySchema,
  amount: PositiveAmount,
});
export type InvoicePayment = z.infer<typeof InvoicePaymentSchema>;

const required = z.string().trim().min(1, 'is required');

/** One invoice line as the finance system holds it (read so that edits made there can be reported). */
export const InvoiceLineSnapshotSchema = z.object({
  description: z.string({ error: 'must be text' }).max(4000, 'must be at most 4000 characters'),
  quantity: z.number({ error: 'must be a number' }).finite('must be a finite number'),
  unitAmount: MoneySchema,
  amount: MoneySchema,
  /** The line's tax code as the vendor names it (QuickBooks TaxCodeRef, Xero TaxType, Stripe tax rate id). */
  taxCode: z.string({ error: 'must be text' }).min(1, 'must not be empty').optional(),
});
export type InvoiceLineSnapshot = z.infer<typeof InvoiceLineSnapshotSchema>;

const InvoiceObjectSchema = z.object({
  id: required,
  number: required,
  customerId: required,
  issueDate: CalendarDaySchema,
  dueDate: CalendarDaySchema,
  currency: CurrencyCodeSchema,
  total: NonNegativeAmount,
  amountDue: NonNegativeAmount,
  status: InvoiceStatusSchema,
  url: z.url({ protocol: /^https?$/, error: 'must be a web address starting with https://' }).optional(),
  /** Day the invoice became fully paid. */
  paidOn: CalendarDaySchema.optional(),
  payments: z.array(InvoicePaymentSchema).max(1000).optional(),
  /** The PO number on the invoice; null when it has none; absent when the reading does not say. */
  poNumber: z.string({ error: 'must be text' }).trim().max(200, 'must be at most 200 characters').nullable().optional(),
  /** The invoice's lines in order; absent when the reading does not carry them all. */
  lines: z.array(InvoiceLineSnapshotSchema).max(1000).optional(),
  source: SourceSystemSchema,
});

/** The invoice snapshot, with cross-field checks: one currency, amount due within the total, due on/after issue. */
export const InvoiceSnapshotSchema = InvoiceObjectSchema.superRefine((inv, ctx) => {
  const currencyIssue = (path: PropertyKey[], got: string) =>
    ctx.addIssue({
      code: 'custom',
      path,
      message: `must be ${inv.currency}, the invoice's currency (got ${got})`,
    });
  if (inv.total.currency !== inv.currency) currencyIssue(['total', 'currency'], inv.total.currency);
  if (inv.amountDue.currency !== inv.currency) currencyIssue(['amountDue', 'currency'], inv.amountDue.currency);
  for (const [i, p] of (inv.payments ?? []).entries()) {
    if (p.amount.currency !== inv.currency) currencyIssue(['payments', i, 'amount', 'currency'], p.amount.currency);
  }
  for (const [i, l] of (inv.lines ?? []).entries()) {
    for (const k of ['unitAmount', 'amount'] as const) {
      if (l[k].currency !== inv.currency) currencyIssue(['lines', i, k, 'currency'], l[k].currency);
    }
  }
  if (inv.total.currency === inv.amountDue.currency && inv.amountDue.amount > inv.total.amount) {
    ctx.addIssue({
      code: 'custom',
      path: ['amountDue'],
      message: `cannot be more than the invoice total (${formatMoney(inv.amountDue)} due on a total of ${formatMoney(inv.total)})`,
    });
  }
  if (inv.status === 'paid' && inv.amountDue.amount !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['amountDue'],
      message: `must be zero on a paid invoice (got ${formatMoney(inv.amountDue)})`,
    });
  }
  if (inv.dueDate < inv.issueDate) {
    ctx.addIssue({
      code: 'custom',
      path: ['dueDate'],
      message: `must be on or after the issue date ${inv.issueDate}`,
    });
  }
});
export type InvoiceSnapshot = z.infer<typeof InvoiceSnapshotSchema>;
export type InvoiceSnapshotInput = z.input<typeof InvoiceSnapshotSchema>;

/** A list of snapshots in which no invoice id appears twice (a repeat would be counted twice in every total). */
export const InvoiceListSchema = z
  .array(InvoiceSnapshotSchema)
  .max(100_000)
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    for (const [i, inv] of list.entries()) {
      const first = seen.get(inv.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `repeats invoice id "${inv.id}" already given at position ${first}`,
        });
      } else seen.set(inv.id, i);
    }
  });

/**
 * Validates a list of invoice snapshots; errors name the field, e.g. `invoices[3].amountDue`.
 * @example const invoices = parseInvoices(body.invoices);
 */
export function parseInvoices(input: unknown, field = 'invoices'): InvoiceSnapshot[] {
  // Wrapped in an object so that the error path reads `invoices[3].amountDue`.
  return parseInput(z.object({ [field]: InvoiceListSchema }), { [field]: input })[field] as InvoiceSnapshot[];
}

/**
 * True when the invoice is money the customer owes as of `today`: posted (open), not fully paid, already issued.
 * @example isOutstanding(invoice, '2026-03-01') // true for an open invoice with amount due
 */
export function isOutstanding(inv: InvoiceSnapshot, today: CalendarDay): boolean {
  return inv.status === 'open' && inv.amountDue.amount > 0 && inv.issueDate <= today;
}

/**
 * The day a paid invoice was settled: `paidOn`, else the last payment's day; null when unknown or not paid.
 * @example paidDate({ ...invoice, status: 'paid', paidOn: '2026-02-10' }) // '2026-02-10'
 */
export function paidDate(inv: InvoiceSnapshot): CalendarDay | null {
  if (inv.status !== 'paid') return null;
  if (inv.paidOn) return inv.paidOn;
  let last: CalendarDay | null = null;
  for (const p of inv.payments ?? []) if (last === null || p.on > last) last = p.on;
  return last;
}

/**
 * a + b, refusing a sum too large to hold exactly (sums of many invoices could pass 2^53 minor units).
 * @example addExact(money(1, 'USD'), money(2, 'USD')) // 3 cents
 */
export function addExact(a: Money, b: Money): Money {
  if (!Number.isSafeInteger(a.amount + b.amount)) {
    throw new DomainError('invalid_input', `amounts in ${a.currency} add up to more than can be counted exactly`);
  }
  return addMoney(a, b);
}

/**
 * Groups invoices by currency, currencies in alphabetical order, so that no code path can add two currencies.
 * @example byCurrency(invoices).get('USD') // the USD invoices
 */
export function byCurrency<T extends { currency: string }>(items: ReadonlyArray<T>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.currency);
    if (list) list.push(item);
    else groups.set(item.currency, [item]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
