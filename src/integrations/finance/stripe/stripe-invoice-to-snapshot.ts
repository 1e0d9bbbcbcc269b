/**
 * A Stripe invoice → our InvoiceSnapshot / CreatedInvoice. Status: draft → draft, open → open, paid → paid,
 * void → void, uncollectible → written_off. Amounts are already integer minor units. Days are the UTC calendar
 * days of Stripe's timestamps: issue = `effective_at` (the date printed on the invoice), else finalisation, else
 * creation; due = `due_date`. A draft has no number yet; its snapshot is numbered by our reference.
 */
import type Stripe from 'stripe';
import { type CalendarDay, formatDay, maxDay } from '../../../core/dates.js';
import { money } from '../../../core/money.js';
import type { InvoiceSnapshot, InvoiceStatus } from '../../../receivables/invoice.js';
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

/**
 * The snapshot of one Stripe invoice.
 * @example stripeInvoiceToSnapshot(invoice).status // 'open' for a finalised, unpaid invoice
 */
export function stripeInvoiceToSnapshot(invoice: Stripe.Invoice): InvoiceSnapshot {
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
