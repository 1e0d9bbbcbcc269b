import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { paymentTermsLabel } from '../billing/payment-terms.js';
import type { CalendarDay } from '../core/dates.js';
import { formatMoney, type Money } from '../core/money.js';

/**
 * Manual corrections: a difference between what we synced to the finance system (the baseline) and what it holds
 * now, made there by a person after our sync. Pure: the baseline and the vendor reading come in normalised, the
 * differences go out with before/after values a person can read. Our own writes move the baseline, so they never
 * show up here.
 */

export type FinanceSystemName = 'quickbooks' | 'xero' | 'stripe';

/** The postal address as we compare it (empty parts dropped). */
export interface BaselineAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

/** The customer fields we set in the finance system. */
export interface BaselineCustomer {
  legalName: string;
  email: string | null;
  address: BaselineAddress | null;
  /** Our payment-terms code; null when unset or not expressible in our codes. */
  paymentTerms: string | null;
}

/** One invoice we created, as the finance system holds it. */
export interface BaselineInvoice {
  number: string;
  issueDate: CalendarDay;
  dueDate: CalendarDay;
  total: Money;
}

/** What we synced for one billing setup: its customer and the invoices we created, by finance invoice id. */
export interface SyncedBaseline {
  customer: BaselineCustomer | null;
  invoices: Record<string, BaselineInvoice>;
  /** Counts the corrections taken into the baseline, so a value that comes back later is a new correction. */
  revision?: number;
}

/** The finance system's current state of the same things, with who/when where the vendor says. */
export interface VendorReading {
  customer: (BaselineCustomer & { updatedAt?: Date | null; updatedBy?: string | null }) | null;
  invoices: Record<string, BaselineInvoice & { updatedAt?: Date | null; updatedBy?: string | null }>;
}

export const CORRECTION_FIELDS = [
  'legalName',
  'billingEmail',
  'billingAddress',
  'paymentTerms',
  'invoiceTotal',
  'invoiceIssueDate',
  'invoiceDueDate',
] as const;
export type CorrectionField = (typeof CORRECTION_FIELDS)[number];

export type CorrectionValue = string | BaselineAddress | Money | null;

/** One difference found: `subject` is `customer` or the finance invoice id. */
export interface DetectedCorrection {
  subject: string;
  /** The invoice number for invoice fields; null for the customer. */
  subjectLabel: string | null;
  field: CorrectionField;
  before: CorrectionValue;
  after: CorrectionValue;
  /** When the finance system last changed the record, where it says. */
  vendorUpdatedAt: Date | null;
  /** Who changed it, where the finance system says. */
  by: string | null;
}

/** Canonical text of a value, for equality and idempotency keys. */
export function valueKey(v: CorrectionValue): string {
  if (v === null) return '∅';
  if (typeof v === 'string') return v;
  if ('amount' in v) return `${v.amount} ${v.currency}`;
  return [v.line1, v.line2 ?? '', v.city, v.region ?? '', v.postalCode, v.country].join('|');
}

function sameText(a: string | null, b: string | null, caseless: boolean): boolean {
  const norm = (s: string | null) => {
    const t = s?.trim().replace(/\s+/g, ' ') ?? '';
    return caseless ? t.toLowerCase() : t;
  };
  return norm(a) === norm(b);
}

function sameAddress(a: BaselineAddress | null, b: BaselineAddress | null): boolean {
  const k = (x: BaselineAddress | null) =>
    x === null
      ? ''
      : valueKey(x)
          .split('|')
          .map((part) => part.trim().replace(/\s+/g, ' ').toLowerCase())
          .join('|');
  return k(a) === k(b);
}

/**
 * The differences between what we synced and what the finance system holds now, customer fields first, then each
 * invoice we created (an invoice no longer listed is not a correction: deleting and voiding are reported elsewhere).
 * @example diffBaseline({ customer: { legalName: 'Acme', email: null, address: null, paymentTerms: 'net_30' }, invoices: {} },
 *   { customer: { legalName: 'Acme', email: null, address: null, paymentTerms: 'net_45' }, invoices: {} })
 *   // [{ field: 'paymentTerms', before: 'net_30', after: 'net_45', … }]
 */
export function diffBaseline(synced: SyncedBaseline, current: VendorReading): DetectedCorrection[] {
  const out: DetectedCorrection[] = [];
  const s = synced.customer;
  const c = current.customer;
  if (s && c) {
    const meta = {
      subject: 'customer',
      subjectLabel: null,
      vendorUpdatedAt: c.updatedAt ?? null,
      by: c.updatedBy ?? null,
    };
    if (!sameText(s.legalName, c.legalName, false)) {
      out.push({ ...meta, field: 'legalName', before: s.legalName, after: c.legalName });
    }
    if (!sameText(s.email, c.email, true))
      out.push({ ...meta, field: 'billingEmail', before: s.email, after: c.email });
    if (!sameAddress(s.address, c.address)) {
      out.push({ ...meta, field: 'billingAddress', before: s.address, after: c.address });
    }
    // Terms we cannot express read as null: a change to such terms is still a change a person made.
    if (s.paymentTerms !== c.paymentTerms && (s.paymentTerms !== null || c.paymentTerms !== null)) {
      out.push({ ...meta, field: 'paymentTerms', before: s.paymentTerms, after: c.paymentTerms ?? 'other' });
    }
  }
  for (const [id, was] of Object.entries(synced.invoices).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const now = current.invoices[id];
    if (!now) continue;
    const meta = {
      subject: id,
      subjectLabel: now.number || was.number,
      vendorUpdatedAt: now.updatedAt ?? null,
      by: now.updatedBy ?? null,
    };
    if (was.total.amount !== now.total.amount || was.total.currency !== now.total.currency) {
      out.push({ ...meta, field: 'invoiceTotal', before: was.total, after: now.total });
    }
    if (was.issueDate !== now.issueDate) {
      out.push({ ...meta, field: 'invoiceIssueDate', before: was.issueDate, after: now.issueDate });
    }
    if (was.dueDate !== now.dueDate) {
      out.push({ ...meta, field: 'invoiceDueDate', before: was.dueDate, after: now.dueDate });
    }
  }
  return out;
}

/**
 * The baseline with one correction taken as the new truth (adopted or acknowledged).
 * @example acceptIntoBaseline(baseline, { field: 'paymentTerms', after: 'net_45', subject: 'customer', … }).customer?.paymentTerms // 'net_45'
 */
export function acceptIntoBaseline(
  baseline: SyncedBaseline,
  c: Pick<DetectedCorrection, 'subject' | 'field' | 'after'>,
): SyncedBaseline {
  const next: SyncedBaseline = structuredClone(baseline);
  next.revision = (baseline.revision ?? 0) + 1;
  if (c.subject === 'customer' && next.customer) {
    const cust = next.customer;
    if (c.field === 'legalName') cust.legalName = (c.after as string | null) ?? '';
    if (c.field === 'billingEmail') cust.email = c.after as string | null;
    if (c.field === 'billingAddress') cust.address = c.after as BaselineAddress | null;
    if (c.field === 'paymentTerms') cust.paymentTerms = c.after === 'other' ? null : (c.after as string | null);
    return next;
  }
  const inv = next.invoices[c.subject];
  if (inv) {
    if (c.field === 'invoiceTotal') inv.total = c.after as Money;
    if (c.field === 'invoiceIssueDate') inv.issueDate = c.after as string;
    if (c.field === 'invoiceDueDate') inv.dueDate = c.after as string;
  }
  return next;
}

/**
 * Adds to the baseline what it does not hold yet (first sight of the customer or of an invoice we created), leaving
 * everything it already holds untouched: the first reading after our own write is what we synced.
 * @example withFirstSight({ customer: null, invoices: {} }, reading).customer // reading.customer without who/when
 */
export function withFirstSight(
  baseline: SyncedBaseline | null,
  current: VendorReading,
  ours: ReadonlySet<string>,
): SyncedBaseline {
  const strip = <T extends { updatedAt?: unknown; updatedBy?: unknown }>(x: T) => {
    const { updatedAt: _a, updatedBy: _b, ...rest } = x;
    return rest;
  };
  const next: SyncedBaseline = baseline ? structuredClone(baseline) : { customer: null, invoices: {} };
  if (!next.customer && current.customer) next.customer = strip(current.customer);
  for (const [id, inv] of Object.entries(current.invoices)) {
    if (ours.has(id) && !next.invoices[id]) next.invoices[id] = strip(inv);
  }
  return next;
}

/**
 * A stable key per correction: the same change seen by many sweeps and webhooks is recorded once.
 * @example correctionKey('setup-1', { subject: 'customer', field: 'paymentTerms', after: 'net_45', vendorUpdatedAt: null }) // 'setup-1|customer|paymentTerms|net_45|'
 */
export function correctionKey(
  setupId: string,
  c: Pick<DetectedCorrection, 'subject' | 'field' | 'after' | 'vendorUpdatedAt'>,
): string {
  return [setupId, c.subject, c.field, valueKey(c.after), c.vendorUpdatedAt?.toISOString() ?? ''].join('|');
}

const SYSTEM_NAMES: Record<FinanceSystemName, string> = { quickbooks: 'QuickBooks', xero: 'Xero', stripe: 'Stripe' };

const FIELD_LABELS: Record<CorrectionField, string> = {
  legalName: 'Legal name',
  billingEmail: 'Billing email',
  billingAddress: 'Billing address',
  paymentTerms: 'Payment terms',
  invoiceTotal: 'Invoice total',
  invoiceIssueDate: 'Invoice date',
  invoiceDueDate: 'Invoice due date',
};

/** A value as a person reads it. @example displayValue('paymentTerms', 'net_45') // 'Net 45' */
export function displayValue(field: CorrectionField, v: CorrectionValue): string {
  if (v === null || v === '') return '(none)';
  if (typeof v === 'string') {
    if (field === 'paymentTerms') return v === 'other' ? 'terms we cannot express' : safeTermsLabel(v);
    return v;
  }
  if ('amount' in v) return formatMoney(v);
  return [v.line1, v.line2, v.city, [v.region, v.postalCode].filter(Boolean).join(' '), v.country]
    .filter((p) => p?.trim())
    .join(', ');
}

function safeTermsLabel(code: string): string {
  try {
    return paymentTermsLabel(code);
  } catch {
    return code;
  }
}

/**
 * The sentence the deal card shows.
 * @example correctionText({ field: 'paymentTerms', before: 'net_30', after: 'net_45', subjectLabel: null }, 'xero', new Date('2026-11-03T09:00:00Z'), 'UTC')
 *   // 'Payment terms changed in Xero on 3 Nov: Net 30 → Net 45'
 */
export function correctionText(
  c: Pick<DetectedCorrection, 'field' | 'before' | 'after' | 'subjectLabel'> & { by?: string | null },
  system: FinanceSystemName,
  at: Date,
  timeZone: string,
): string {
  const what = c.subjectLabel ? `${FIELD_LABELS[c.field]} of ${c.subjectLabel}` : FIELD_LABELS[c.field];
  const by = c.by ? ` by ${c.by}` : '';
  return `${what} changed in ${SYSTEM_NAMES[system]}${by} on ${format(new TZDate(at.getTime(), timeZone), 'd MMM')}: ${displayValue(c.field, c.before)} → ${displayValue(c.field, c.after)}`;
}

/** The handoff fields a customer correction maps onto when a portal adopts it; invoices have none. */
export function handoffFieldOf(
  field: CorrectionField,
): 'billingEntityLegalName' | 'billingContact' | 'billingAddress' | 'paymentTerms' | null {
  switch (field) {
    case 'legalName':
      return 'billingEntityLegalName';
    case 'billingEmail':
      return 'billingContact';
    case 'billingAddress':
      return 'billingAddress';
    case 'paymentTerms':
      return 'paymentTerms';
    default:
      return null;
  }
}
