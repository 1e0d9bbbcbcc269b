/**
 * A Stripe invoice → our InvoiceSnapshot / CreatedInvoice. Status: draft → draft, open → open, paid → paid,
 * void → void, uncollectible → written_off. Amounts are already integer minor units. Days are the UTC calendar
 * days of Stripe's timestamps: issue = `effective_at` (the date printed on the invoice), else finalisation, else
 * creation; due = `due_date`. A draft has no number yet; its snapshot is numbered by our reference. The PO number is
 * the invoice custom field we write it to; the lines are `lines.data` when Stripe sent them all (`has_more` false).
 */
import type Stripe from 'stripe';
import { type CalendarDay, formatDay, maxDay } from '../../../core/dates.js';
import { money } from '../../../core/money.js';
import type { InvoiceLineSnapshot, InvoiceSnapshot, InvoiceStatus } from '../../../receivables/invoice.js';
import type { CreatedInvoice } from '../port.js';
import { FinanceError } from '../port.js';
import { STRIPE_METADATA } from './customer-draft-to-stripe.js';
import { stripeInvoiceUrl } from './links.js';

const STATUS: Record<string, InvoiceStatus> = {
  draft: 'draft',
  open: 'open',
  paid: 'paid',
  void: 'void',
  uncollectible: 'written_off',
};

/**
 * Stripe invoice status → snapshot status.
 * @example stripeStatusToSnapshot('uncollectible') // 'written_off'
 */
export function stripeStatusToSnapshot(status: Stripe.Invoice['status']): InvoiceStatus {
  const mapped = status ? STATUS[status] : undefined;
  if (!mapped) throw new FinanceError('stripe', 'unknown', `Stripe returned an invoice with status "${status}"`);
  return mapped;
}

const day = (seconds: number): CalendarDay => formatDay(new Date(seconds * 1000));

function customerIdOf(invoice: Stripe.Invoice): string {
  const c = invoice.customer;
  const id = typeof c === 'string' ? c : c?.id;
  if (!id) throw new FinanceError('stripe', 'unknown', `Stripe invoice ${invoice.id} has no customer`);
  return id;
}

/** The name of the invoice custom field we write the PO number to, unless the connection names another. */
export const DEFAULT_STRIPE_PO_FIELD = 'PO number';

/** A decimal Stripe sends as a string (the SDK may hand it over as a Decimal object): its value, or null. */
function decimal(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(String(v));
  return Number.isFinite(n) ? n : null;
}

/** The invoice's lines, or undefined when Stripe did not send them all (a list holds the first 10). */
function linesOf(invoice: Stripe.Invoice, currency: string): InvoiceLineSnapshot[] | undefined {
  const lines = invoice.lines as Stripe.ApiList<Stripe.InvoiceLineItem> | undefined;
  if (!lines?.data || lines.has_more) return undefined;
  return lines.data.map((l) => {
    const quantity = decimal(l.quantity_decimal) ?? l.quantity ?? 1;
    const unit = decimal(l.pricing?.unit_amount_decimal);
    const taxes = (l.taxes ?? []).flatMap((t) => (t.tax_rate_details?.tax_rate ? [t.tax_rate_details.tax_rate] : []));
    return {
      description: l.description ?? '',
      quantity,
      // Unit amounts are decimal minor units in Stripe; rounded to whole ones (the line amount is exact).
      unitAmount: money(unit === null ? l.amount : Math.round(unit), currency),
      amount: money(l.amount, currency),
      ...(taxes.length > 0 ? { taxCode: taxes.join(', ') } : {}),
    };
  });
}

/**
 * The snapshot of one Stripe invoice; `poFieldName` names the custom field holding the PO number.
 * @example stripeInvoiceToSnapshot(invoice).status // 'open' for a finalised, unpaid invoice
 */
export function stripeInvoiceToSnapshot(
  invoice: Stripe.Invoice,
  options: { poFieldName?: string } = {},
): InvoiceSnapshot {
  const currency = invoice.currency.toUpperCase();
  const issueDate = day(invoice.effective_at ?? invoice.status_transitions?.finalized_at ?? invoice.created);
  const status = stripeStatusToSnapshot(invoice.status);
  const snapshot: InvoiceSnapshot = {
    id: invoice.id,
    number: invoice.number || invoice.metadata?.[STRIPE_METADATA.reference] || invoice.id,
    customerId: customerIdOf(invoice),
    issueDate,
    // Stripe counts days_until_due from creation; a draft created before its issue date could otherwise fall due first.
    dueDate: maxDay(invoice.due_date ? day(invoice.due_date) : issueDate, issueDate),
    currency,
    total: money(invoice.total, currency),
    amountDue: money(Math.max(0, invoice.amount_remaining), currency),
    status,
    url: stripeInvoiceUrl(invoice.id, invoice.livemode),
    source: 'stripe',
  };
  const poField = options.poFieldName ?? DEFAULT_STRIPE_PO_FIELD;
  snapshot.poNumber = invoice.custom_fields?.find((f) => f.name === poField)?.value.trim() || null;
  const lines = status === 'void' ? undefined : linesOf(invoice, currency);
  if (lines) snapshot.lines = lines;
  const paidAt = invoice.status_transitions?.paid_at;
  if (status === 'paid' && paidAt) snapshot.paidOn = day(paidAt);
  return snapshot;
}

/**
 * What createInvoice / findInvoiceByReference return for a Stripe invoice.
 * @example stripeInvoiceToCreated(invoice) // { id: 'in_…', url, status: 'draft', total }
 */
export function stripeInvoiceToCreated(invoice: Stripe.Invoice): CreatedInvoice {
  const created: CreatedInvoice = {
    id: invoice.id,
    url: stripeInvoiceUrl(invoice.id, invoice.livemode),
    status: stripeStatusToSnapshot(invoice.status),
    total: money(invoice.total, invoice.currency.toUpperCase()),
  };
  if (invoice.number) created.number = invoice.number;
  return created;
}
