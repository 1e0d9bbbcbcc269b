/**
 * A Xero sales invoice → our InvoiceSnapshot / CreatedInvoice. Status: DRAFT → draft; SUBMITTED (awaiting
 * approval) and AUTHORISED → open; PAID → paid, or written_off when a bad-debt credit note settled it (Xero has no
 * written-off status; see xero-write-offs.ts); VOIDED and DELETED → void. Amounts are read exactly (see amounts.ts).
 */
import { maxDay } from '../../../core/dates.js';
import { roundedMoney } from '../../../core/money.js';
import type {
  InvoiceLineSnapshot,
  InvoicePayment,
  InvoiceSnapshot,
  InvoiceStatus,
} from '../../../receivables/invoice.js';
import type { CreatedInvoice } from '../port.js';
import { FinanceError } from '../port.js';
import { fromXeroAmount } from './amounts.js';
import { xeroDay } from './dates.js';
import { xeroInvoiceUrl } from './links.js';
import type { XeroInvoice, XeroInvoiceStatus, XeroLineItem } from './types.js';

const STATUS: Record<XeroInvoiceStatus, InvoiceStatus> = {
  DRAFT: 'draft',
  SUBMITTED: 'open',
  AUTHORISED: 'open',
  PAID: 'paid',
  VOIDED: 'void',
  DELETED: 'void',
};

/**
 * Xero invoice status → snapshot status.
 * @example xeroStatusToSnapshot('AUTHORISED') // 'open'
 */
export function xeroStatusToSnapshot(status: XeroInvoiceStatus | undefined): InvoiceStatus {
  const mapped = status ? STATUS[status] : undefined;
  if (!mapped) throw new FinanceError('xero', 'unknown', `Xero returned an invoice with unknown status "${status}"`);
  return mapped;
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') {
    throw new FinanceError('xero', 'unknown', `Xero returned an invoice without ${what}`);
  }
  return value;
}

function lineOf(l: XeroLineItem, currency: string): InvoiceLineSnapshot {
  const amount = fromXeroAmount(l.LineAmount, currency);
  return {
    description: l.Description ?? '',
    quantity: l.Quantity ?? 1,
    // Xero keeps up to 4 decimals on UnitAmount (unitdp=4): rounded to the currency's.
    unitAmount: l.UnitAmount !== undefined ? roundedMoney(l.UnitAmount, currency) : amount,
    amount,
    ...(l.TaxType ? { taxCode: l.TaxType } : {}),
  };
}

/**
 * The snapshot of one Xero sales invoice. `Reference` is the PO number (where we write it); the lines come from
 * `LineItems`, which Xero sends on paged and single reads but not with `summaryOnly=true` (then no lines are read).
 * @example xeroInvoiceToSnapshot(invoice).status // 'open' for an AUTHORISED invoice
 */
export function xeroInvoiceToSnapshot(
  invoice: XeroInvoice,
  options: { shortCode?: string; writeOffs?: ReadonlySet<string> } = {},
): InvoiceSnapshot {
  const id = required(invoice.InvoiceID, 'an InvoiceID');
  const currency = required(invoice.CurrencyCode, `a currency (invoice ${id})`);
  const issueDate = required(xeroDay(invoice.Date, (invoice as { DateString?: string }).DateString), `a date (${id})`);
  // A draft may have no due date yet; then it is due on issue, which keeps "due on/after issue" true.
  const due = xeroDay(invoice.DueDate, (invoice as { DueDateString?: string }).DueDateString) ?? issueDate;
  const snapshot: InvoiceSnapshot = {
    id,
    number: invoice.InvoiceNumber || id,
    customerId: required(invoice.Contact?.ContactID, `a contact (${id})`),
    issueDate,
    dueDate: maxDay(due, issueDate),
    currency,
    total: fromXeroAmount(invoice.Total, currency),
    amountDue: fromXeroAmount(invoice.AmountDue, currency),
    status: xeroStatusToSnapshot(invoice.Status),
    url: xeroInvoiceUrl(id, options.shortCode),
    poNumber: invoice.Reference?.trim() || null,
    source: 'xero',
  };
  if (invoice.LineItems && snapshot.status !== 'void') {
    snapshot.lines = invoice.LineItems.map((l) => lineOf(l, currency));
  }
  const paidOn = xeroDay(invoice.FullyPaidOnDate);
  if (paidOn && snapshot.status === 'paid') snapshot.paidOn = paidOn;
  const payments: InvoicePayment[] = [];
  for (const p of invoice.Payments ?? []) {
    const on = xeroDay(p.Date);
    const amount = fromXeroAmount(p.Amount, currency);
    // Reversed payments come back with Status DELETED; only money actually received counts.
    if (on && amount.amount > 0 && p.Status !== 'DELETED') payments.push({ on, amount });
  }
  if (payments.length > 0) snapshot.payments = payments;
  // Settled by a bad-debt credit note (see xero-write-offs.ts) that came last: written off, not paid. A customer who
  // paid the rest after part was written off has paid.
  const writeOffDays = (invoice.CreditNotes ?? [])
    .filter((c) => c.CreditNoteID && options.writeOffs?.has(c.CreditNoteID))
    .map((c) => xeroDay(c.Date) ?? issueDate);
  const lastWriteOff = writeOffDays.sort().at(-1);
  const lastPayment = payments
    .map((p) => p.on)
    .sort()
    .at(-1);
  if (lastWriteOff && (!lastPayment || lastWriteOff >= lastPayment) && snapshot.status === 'paid') {
    snapshot.status = 'written_off';
    delete snapshot.paidOn;
  }
  return snapshot;
}

/**
 * What createInvoice / findInvoiceByReference return for a Xero invoice.
 * @example xeroInvoiceToCreated(invoice) // { id, number: 'rh-…', url, status: 'draft', total }
 */
export function xeroInvoiceToCreated(invoice: XeroInvoice, options: { shortCode?: string } = {}): CreatedInvoice {
  const id = required(invoice.InvoiceID, 'an InvoiceID');
  const currency = required(invoice.CurrencyCode, `a currency (invoice ${id})`);
  const created: CreatedInvoice = {
    id,
    url: xeroInvoiceUrl(id, options.shortCode),
    status: xeroStatusToSnapshot(invoice.Status),
    total: fromXeroAmount(invoice.Total, currency),
  };
  if (invoice.InvoiceNumber) created.number = invoice.InvoiceNumber;
  return created;
}
