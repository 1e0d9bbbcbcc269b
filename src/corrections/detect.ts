import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { paymentTermsLabel } from '../billing/payment-terms.js';
import { type CorrectionField, correctionFieldLabel } from '../core/correction-fields.js';
import type { CalendarDay } from '../core/dates.js';
import { financeSystemName } from '../core/finance-systems.js';
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

/** One line of an invoice as we compare it: amounts in integer minor units, the tax code as the vendor names it. */
export interface BaselineLine {
  description: string;
  quantity: number;
  unitAmount: Money;
  amount: Money;
  taxCode: string | null;
}

/**
 * One invoice we created, as the finance system holds it. `poNumber` and `lines` are absent where the vendor reading
 * does not carry them (and in baselines stored before they were compared): absent is never compared.
 */
export interface BaselineInvoice {
  number: string;
  issueDate: CalendarDay;
  dueDate: CalendarDay;
  total: Money;
  /** The PO number printed on the invoice; null when it has none. */
  poNumber?: string | null;
  /** The invoice's lines in order. */
  lines?: BaselineLine[];
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

export { CORRECTION_FIELDS, type CorrectionField, correctionFieldLabel } from '../core/correction-fields.js';

export type CorrectionValue = string | BaselineAddress | Money | BaselineLine | null;

/**
 * The subject of one invoice line's corrections: the finance invoice id and the line's position (1-based), so a
 * change of line 2 never supersedes one of line 1.
 * @example lineSubject('inv-1', 2) // 'inv-1/line/2'
 */
export function lineSubject(invoiceId: string, position: number): string {
  return `${invoiceId}/line/${position}`;
}

/**
 * The invoice id and line position of a line subject; null for any other subject.
 * @example parseLineSubject('inv-1/line/2') // { invoiceId: 'inv-1', position: 2 }
 */
export function parseLineSubject(subject: string): { invoiceId: string; position: number } | null {
  const m = /^(.+)\/line\/([1-9]\d*)$/.exec(subject);
  return m ? { invoiceId: m[1] as string, position: Number(m[2]) } : null;
}

/**
 * One difference found: `subject` is `customer`, the finance invoice id, or an invoice line (`lineSubject`).
 */
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
  if ('quantity' in v) {
    return [v.description, v.quantity, valueKey(v.unitAmount), valueKey(v.amount), v.taxCode ?? ''].join('|');
  }
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

const sameMoney = (a: Money, b: Money) => a.amount === b.amount && a.currency === b.currency;

function sameLine(a: BaselineLine | null, b: BaselineLine | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    sameText(a.description, b.description, false) &&
    a.quantity === b.quantity &&
    sameMoney(a.unitAmount, b.unitAmount) &&
    sameMoney(a.amount, b.amount) &&
    (a.taxCode ?? null) === (b.taxCode ?? null)
  );
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
    if (!sameMoney(was.total, now.total)) {
      out.push({ ...meta, field: 'invoiceTotal', before: was.total, after: now.total });
    }
    if (was.issueDate !== now.issueDate) {
      out.push({ ...meta, field: 'invoiceIssueDate', before: was.issueDate, after: now.issueDate });
    }
    if (was.dueDate !== now.dueDate) {
      out.push({ ...meta, field: 'invoiceDueDate', before: was.dueDate, after: now.dueDate });
    }
    if (was.poNumber !== undefined && now.poNumber !== undefined && !sameText(was.poNumber, now.poNumber, false)) {
      out.push({ ...meta, field: 'invoicePoNumber', before: was.poNumber, after: now.poNumber?.trim() || null });
    }
    if (was.lines && now.lines) {
      // Lines are compared by position: an added line reads "(none) → …", a removed one "… → (none)".
      for (let i = 0; i < Math.max(was.lines.length, now.lines.length); i++) {
        const before = was.lines[i] ?? null;
        const after = now.lines[i] ?? null;
        if (sameLine(before, after)) continue;
        out.push({ ...meta, subject: lineSubject(id, i + 1), field: 'invoiceLine', before, after });
      }
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
  const line = c.field === 'invoiceLine' ? parseLineSubject(c.subject) : null;
  if (line) {
    const lines = next.invoices[line.invoiceId]?.lines;
    if (!lines) return next;
    if (c.after === null) lines.length = Math.min(lines.length, line.position - 1);
    else if (line.position <= lines.length + 1) lines[line.position - 1] = c.after as BaselineLine;
    return next;
  }
  const inv = next.invoices[c.subject];
  if (inv) {
    if (c.field === 'invoicePoNumber') inv.poNumber = c.after as string | null;
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
    if (!ours.has(id)) continue;
    const held = next.invoices[id];
    if (!held) {
      next.invoices[id] = strip(inv);
      continue;
    }
    // A baseline stored before PO numbers and lines were compared takes them at their first sight.
    if (held.poNumber === undefined && inv.poNumber !== undefined) held.poNumber = inv.poNumber;
    if (held.lines === undefined && inv.lines !== undefined) held.lines = structuredClone(inv.lines);
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

/** One line as a person reads it. @example lineText(line) // 'Support: 1 × $500.00' */
function lineText(l: BaselineLine): string {
  const exact = Math.round(l.quantity * l.unitAmount.amount) === l.amount.amount;
  const amount = exact ? '' : ` = ${formatMoney(l.amount)}`;
  const tax = l.taxCode ? `, tax ${l.taxCode}` : '';
  return `${l.description.trim() || '(no description)'}: ${l.quantity} × ${formatMoney(l.unitAmount)}${amount}${tax}`;
}

/** A value as a person reads it. @example displayValue('paymentTerms', 'net_45') // 'Net 45' */
export function displayValue(field: CorrectionField, v: CorrectionValue): string {
  if (v === null || v === '') return '(none)';
  if (typeof v === 'string') {
    if (field === 'paymentTerms') return v === 'other' ? 'terms we cannot express' : safeTermsLabel(v);
    return v;
  }
  if ('quantity' in v) return lineText(v);
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
 * The sentence the deal card shows; an invoice line is named by its position (from `subject`).
 * @example correctionText({ field: 'paymentTerms', before: 'net_30', after: 'net_45', subjectLabel: null }, 'xero', new Date('2026-11-03T09:00:00Z'), 'UTC')
 *   // 'Payment terms changed in Xero on 3 Nov: Net 30 → Net 45'
 * @example correctionText({ field: 'invoiceLine', subject: 'inv-3/line/2', subjectLabel: 'INV-0003', before, after }, 'quickbooks', at, 'UTC')
 *   // 'Line 2 of INV-0003 changed in QuickBooks on 3 Nov: Support: 1 × $500.00 → Support: 1 × $450.00'
 */
export function correctionText(
  c: Pick<DetectedCorrection, 'field' | 'before' | 'after' | 'subjectLabel'> & { by?: string | null; subject?: string },
  system: FinanceSystemName,
  at: Date,
  timeZone: string,
): string {
  const line = c.field === 'invoiceLine' && c.subject ? parseLineSubject(c.subject) : null;
  const label = line ? `Line ${line.position}` : correctionFieldLabel(c.field);
  const what = c.subjectLabel ? `${label} of ${c.subjectLabel}` : label;
  const by = c.by ? ` by ${c.by}` : '';
  return `${what} changed in ${financeSystemName(system)}${by} on ${format(new TZDate(at.getTime(), timeZone), 'd MMM')}: ${displayValue(c.field, c.before)} → ${displayValue(c.field, c.after)}`;
}

/** The handoff field a correction maps onto when a portal adopts it: customer fields and the PO; other invoice fields have none. */
export function handoffFieldOf(
  field: CorrectionField,
): 'billingEntityLegalName' | 'billingContact' | 'billingAddress' | 'paymentTerms' | 'poNumber' | null {
  switch (field) {
    case 'legalName':
      return 'billingEntityLegalName';
    case 'billingEmail':
      return 'billingContact';
    case 'billingAddress':
      return 'billingAddress';
    case 'paymentTerms':
      return 'paymentTerms';
    case 'invoicePoNumber':
      return 'poNumber';
    default:
      return null;
  }
}
