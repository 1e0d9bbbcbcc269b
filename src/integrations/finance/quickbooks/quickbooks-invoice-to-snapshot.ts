import { maxDay } from '../../../core/dates.js';
import { currencyExponent, type Money } from '../../../core/money.js';
import type { InvoiceLineSnapshot, InvoicePayment, InvoiceSnapshot } from '../../../receivables/invoice.js';
import type { CreatedInvoice } from '../port.js';
import { qboToMoney } from './amounts.js';
import type { QboInvoice, QboPayment } from './types.js';

export interface InvoiceSnapshotContext {
  /** The company's home currency: QuickBooks leaves CurrencyRef out in single-currency companies. */
  homeCurrency: string;
  appUrl: string;
  /** Payments that may be linked to the invoice (any customer's; unrelated ones are ignored). */
  payments?: readonly QboPayment[];
  /** True when `payments` holds every payment of the invoice's customer, so the payment list is the whole story. */
  paymentsComplete?: boolean;
  /** The sales-form custom field we write the PO number to; without it the PO is the `PO: …` line of CustomerMemo. */
  poCustomField?: { definitionId: string; name?: string };
}

/**
 * The QuickBooks app page of an invoice.
 * @example quickbooksInvoiceUrl('https://app.qbo.intuit.com', '130') // 'https://app.qbo.intuit.com/app/invoice?txnId=130'
 */
export function quickbooksInvoiceUrl(appUrl: string, invoiceId: string): string {
  return `${appUrl.replace(/\/$/, '')}/app/invoice?txnId=${encodeURIComponent(invoiceId)}`;
}

/**
 * QuickBooks has no void flag: voiding zeroes every amount and prepends "Voided" to PrivateNote.
 * @example isVoidedQuickBooksInvoice({ ...invoice, TotalAmt: 0, Balance: 0, PrivateNote: 'Voided' }) // true
 */
export function isVoidedQuickBooksInvoice(invoice: QboInvoice): boolean {
  return invoice.TotalAmt === 0 && invoice.Balance === 0 && /^\s*Voided/i.test(invoice.PrivateNote ?? '');
}

function statusOf(invoice: QboInvoice): InvoiceSnapshot['status'] {
  if (isVoidedQuickBooksInvoice(invoice)) return 'void';
  // Invoices post on create (no drafts), so anything not voided is open until its Balance reaches 0.
  return invoice.Balance === 0 ? 'paid' : 'open';
}

function paymentsOf(invoice: QboInvoice, currency: string, payments: readonly QboPayment[]): InvoicePayment[] {
  const out: InvoicePayment[] = [];
  for (const p of payments) {
    for (const l of p.Line) {
      if (l.Amount > 0 && l.LinkedTxn.some((t) => t.TxnType === 'Invoice' && t.TxnId === invoice.Id)) {
        out.push({ on: p.TxnDate, amount: qboToMoney(l.Amount, currency) });
      }
    }
  }
  return out.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/**
 * The PO number where we write it: the configured custom field, else the `PO: …` line of CustomerMemo.
 * @example quickbooksPoNumber({ ...invoice, CustomerMemo: { value: 'PO: 4500012345' } }) // '4500012345'
 */
export function quickbooksPoNumber(
  invoice: QboInvoice,
  poCustomField?: InvoiceSnapshotContext['poCustomField'],
): string | null {
  if (poCustomField) {
    const f = invoice.CustomField?.find((c) => c.DefinitionId === poCustomField.definitionId);
    return f?.StringValue?.trim() || null;
  }
  const m = /^PO: *(.*)$/m.exec(invoice.CustomerMemo?.value ?? '');
  return m?.[1]?.trim() || null;
}

/** A unit price as Money: QuickBooks keeps up to 7 decimals on UnitPrice, so it is rounded to the currency's. */
function unitMoney(n: number, currency: string): Money {
  try {
    return qboToMoney(n, currency);
  } catch {
    const scale = 10 ** currencyExponent(currency);
    return { amount: Math.sign(n) * Math.round(Math.abs(n) * scale), currency };
  }
}

/** The sales lines of an invoice (QuickBooks' subtotal line and other detail types are not lines we write). */
function linesOf(invoice: QboInvoice, currency: string): InvoiceLineSnapshot[] {
  const out: InvoiceLineSnapshot[] = [];
  for (const l of invoice.Line) {
    if (l.DetailType !== 'SalesItemLineDetail') continue;
    const d = l.SalesItemLineDetail;
    const amount = qboToMoney(l.Amount, currency);
    const tax = d.TaxCodeRef?.value;
    out.push({
      description: l.Description ?? '',
      quantity: d.Qty ?? 1,
      unitAmount: d.UnitPrice !== undefined ? unitMoney(d.UnitPrice, currency) : amount,
      amount,
      ...(tax ? { taxCode: tax } : {}),
    });
  }
  return out;
}

/**
 * A QuickBooks Invoice → our invoice snapshot: voided → `void`; Balance 0 → `paid`; otherwise `open` with
 * amountDue = Balance (partly paid when Balance < TotalAmt). Payments linked to the invoice give `payments` (when
 * the list is complete) and `paidOn` (the last one, for a paid invoice). A due date before the invoice date, which
 * people can type in QuickBooks, is read as due on the invoice date. The PO number is read where we write it
 * (`quickbooksPoNumber`) and the lines are the sales-item lines in order (a voided invoice has none to compare).
 * @example quickbooksInvoiceToSnapshot(invoice, { homeCurrency: 'USD', appUrl: 'https://app.qbo.intuit.com' })
 */
export function quickbooksInvoiceToSnapshot(invoice: QboInvoice, ctx: InvoiceSnapshotContext): InvoiceSnapshot {
  const currency = invoice.CurrencyRef?.value ?? ctx.homeCurrency;
  const status = statusOf(invoice);
  const total = qboToMoney(invoice.TotalAmt, currency);
  const amountDue = status === 'open' ? qboToMoney(invoice.Balance, currency) : { amount: 0, currency };
  const issueDate = invoice.TxnDate;
  const due = invoice.DueDate ?? issueDate;
  const payments = paymentsOf(invoice, currency, ctx.payments ?? []);
  const last = payments.at(-1);
  return {
    id: invoice.Id,
    number: invoice.DocNumber?.trim() || invoice.Id,
    customerId: invoice.CustomerRef.value,
    issueDate,
    dueDate: maxDay(due, issueDate),
    currency,
    total,
    amountDue,
    status,
    url: quickbooksInvoiceUrl(ctx.appUrl, invoice.Id),
    ...(status === 'paid' && last ? { paidOn: last.on } : {}),
    ...(ctx.paymentsComplete && payments.length > 0 ? { payments } : {}),
    poNumber: quickbooksPoNumber(invoice, ctx.poCustomField),
    ...(status === 'void' ? {} : { lines: linesOf(invoice, currency) }),
    source: 'quickbooks',
  };
}

/**
 * A QuickBooks Invoice we just created (or found again) → what createInvoice returns.
 * @example quickbooksInvoiceToCreated(invoice, { homeCurrency: 'USD', appUrl })
 */
export function quickbooksInvoiceToCreated(
  invoice: QboInvoice,
  ctx: Pick<InvoiceSnapshotContext, 'homeCurrency' | 'appUrl'>,
): CreatedInvoice {
  const currency = invoice.CurrencyRef?.value ?? ctx.homeCurrency;
  return {
    id: invoice.Id,
    ...(invoice.DocNumber ? { number: invoice.DocNumber } : {}),
    url: quickbooksInvoiceUrl(ctx.appUrl, invoice.Id),
    status: statusOf(invoice),
    total: qboToMoney(invoice.TotalAmt, currency),
  };
}
