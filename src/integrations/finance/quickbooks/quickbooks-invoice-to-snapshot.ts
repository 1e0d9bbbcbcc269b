import { maxDay } from '../../../core/dates.js';
import { roundedMoney } from '../../../core/money.js';
import type { InvoiceLineSnapshot, InvoicePayment, InvoiceSnapshot } from '../../../receivables/invoice.js';
import { namesBadDebt } from '../../../receivables/post-mortem.js';
import type { CreatedInvoice } from '../port.js';
import { qboToMoney } from './amounts.js';
import { poFromMemo } from './notes-markers.js';
import type { QboAccount, QboCreditMemo, QboInvoice, QboPayment } from './types.js';

export interface InvoiceSnapshotContext {
  /** The company's home currency: QuickBooks leaves CurrencyRef out in single-currency companies. */
  homeCurrency: string;
  appUrl: string;
  /** Payments that may be linked to the invoice (any customer's; unrelated ones are ignored). */
  payments?: readonly QboPayment[];
  /** True when `payments` holds every payment of the invoice's customer, so the payment list is the whole story. */
  paymentsComplete?: boolean;
  /**
   * The credit memos that `payments` apply (any customer's; the adapter reads them only when a payment links one):
   * they tell a bad-debt write-off from an ordinary credit (`isBadDebtCreditMemo`). A linked credit memo missing
   * from this list counts as an ordinary credit, as before.
   */
  creditMemos?: readonly QboCreditMemo[];
  /** Ids of items booked to a bad-debt account (the adapter reads them for items not named so); see isBadDebtCreditMemo. */
  badDebtItems?: ReadonlySet<string>;
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

function statusOf(invoice: QboInvoice, closedBy: Settlements['closedBy'] = null): InvoiceSnapshot['status'] {
  if (isVoidedQuickBooksInvoice(invoice)) return 'void';
  // Invoices post on create (no drafts), so anything not voided is open until its Balance reaches 0; a balance
  // brought to 0 by a bad-debt credit memo is written off rather than paid.
  if (invoice.Balance !== 0) return 'open';
  return closedBy === 'write_off' ? 'written_off' : 'paid';
}

/**
 * Whether an account of the chart books bad debt: QuickBooks' own subtype for it (`AccountSubType` BadDebts, an
 * Expense account), or an account named so by hand.
 * @example isBadDebtAccount({ Name: 'Uncollectible accounts', AccountSubType: 'BadDebts' }) // true
 */
export function isBadDebtAccount(account: Pick<QboAccount, 'Name' | 'AccountSubType'>): boolean {
  return account.AccountSubType === 'BadDebts' || namesBadDebt(account.Name);
}

/**
 * The items of the credit memos' lines whose name does not say bad debt: the ones whose account has to be read to
 * tell a write-off from an ordinary credit. Pure.
 * @example itemsToCheck([{ Line: [{ DetailType: 'SalesItemLineDetail', Amount: 5, SalesItemLineDetail: { ItemRef: { value: '12', name: 'Uncollectible' } } }] }]) // ['12']
 */
export function itemsToCheck(memos: readonly Pick<QboCreditMemo, 'Line'>[]): string[] {
  const ids = new Set<string>();
  for (const m of memos) {
    for (const l of m.Line) {
      if (l.DetailType !== 'SalesItemLineDetail') continue;
      const ref = l.SalesItemLineDetail.ItemRef;
      if (!namesBadDebt(ref.name)) ids.add(ref.value);
    }
  }
  return [...ids];
}

/**
 * Whether a credit memo writes off bad debt rather than credits the customer (refund, price correction, goodwill).
 * QuickBooks has no write-off flag: Intuit's documented way is a credit memo on a non-inventory item (e.g. "Bad
 * debt") booked to a "Bad debts" expense account, applied to the invoice with Receive Payment. A credit memo is a
 * write-off when any of its item lines is on such an item: one whose name says bad debt (`ItemRef.name`,
 * case-insensitive), or one of `badDebtItems`, the items the adapter found booked to a bad-debt account
 * (`isBadDebtAccount`) whatever their name.
 * @example isBadDebtCreditMemo({ ...memo, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 500, SalesItemLineDetail: { ItemRef: { value: '9', name: 'Bad debt' } } }] }) // true
 */
export function isBadDebtCreditMemo(
  memo: Pick<QboCreditMemo, 'Line'>,
  badDebtItems: ReadonlySet<string> = new Set(),
): boolean {
  return memo.Line.some(
    (l) =>
      l.DetailType === 'SalesItemLineDetail' &&
      (namesBadDebt(l.SalesItemLineDetail.ItemRef.name) || badDebtItems.has(l.SalesItemLineDetail.ItemRef.value)),
  );
}

/** Amounts in a payment as exact integers of the currency's minor unit. */
function minor(n: number, currency: string): number {
  return qboToMoney(n, currency).amount;
}

interface Settlements {
  /** Real payments (cash, cheques, ordinary credits), oldest first. */
  payments: InvoicePayment[];
  /** What the latest settlement of the invoice was (by TxnDate, then payment order): it decides paid vs written off. */
  closedBy: 'payment' | 'write_off' | null;
}

/**
 * What the customer's payments did to an invoice: real payments (cash, cheques, ordinary credits) and the amount
 * written off as bad debt. A Payment that applies credit memos lists them as lines of their own (TxnType
 * 'CreditMemo', often with TotalAmt 0); the bad-debt credit of a payment is set against its invoice lines in order,
 * and what remains of an invoice line is a payment as before.
 */
function settlementsOf(
  invoice: QboInvoice,
  currency: string,
  payments: readonly QboPayment[],
  creditMemos: readonly QboCreditMemo[],
  badDebtItems: ReadonlySet<string> = new Set(),
): Settlements {
  const badDebt = new Set(creditMemos.filter((m) => isBadDebtCreditMemo(m, badDebtItems)).map((m) => m.Id));
  const out: InvoicePayment[] = [];
  let latest: { on: string; kind: 'payment' | 'write_off' } | null = null;
  for (const p of payments) {
    let badDebtCredit = 0;
    for (const l of p.Line) {
      if (l.Amount > 0 && l.LinkedTxn.some((t) => t.TxnType === 'CreditMemo' && badDebt.has(t.TxnId))) {
        badDebtCredit += minor(l.Amount, currency);
      }
    }
    for (const l of p.Line) {
      if (!(l.Amount > 0 && l.LinkedTxn.some((t) => t.TxnType === 'Invoice'))) continue;
      const amount = minor(l.Amount, currency);
      const off = Math.min(badDebtCredit, amount);
      badDebtCredit -= off;
      if (!l.LinkedTxn.some((t) => t.TxnType === 'Invoice' && t.TxnId === invoice.Id)) continue;
      if (amount > off) out.push({ on: p.TxnDate, amount: { amount: amount - off, currency } });
      if (!latest || p.TxnDate >= latest.on) latest = { on: p.TxnDate, kind: off > 0 ? 'write_off' : 'payment' };
    }
  }
  return {
    payments: out.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)),
    closedBy: latest?.kind ?? null,
  };
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
  return poFromMemo(invoice.CustomerMemo?.value);
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
      // QuickBooks keeps up to 7 decimals on UnitPrice: rounded to the currency's.
      unitAmount: d.UnitPrice !== undefined ? roundedMoney(d.UnitPrice, currency) : amount,
      amount,
      ...(tax ? { taxCode: tax } : {}),
    });
  }
  return out;
}

/**
 * A QuickBooks Invoice → our invoice snapshot: voided → `void`; Balance 0 → `paid`, or `written_off` when a
 * bad-debt credit memo (`isBadDebtCreditMemo`) was its last settlement (amountDue 0, no paidOn); otherwise `open` with
 * amountDue = Balance (partly paid or partly written off when Balance < TotalAmt). Payments linked to the invoice
 * give `payments` (when the list is complete; a write-off is not a payment) and `paidOn` (the last one, for a paid
 * invoice). A due date before the invoice date, which
 * people can type in QuickBooks, is read as due on the invoice date. The PO number is read where we write it
 * (`quickbooksPoNumber`) and the lines are the sales-item lines in order (a voided invoice has none to compare).
 * @example quickbooksInvoiceToSnapshot(invoice, { homeCurrency: 'USD', appUrl: 'https://app.qbo.intuit.com' })
 */
export function quickbooksInvoiceToSnapshot(invoice: QboInvoice, ctx: InvoiceSnapshotContext): InvoiceSnapshot {
  const currency = invoice.CurrencyRef?.value ?? ctx.homeCurrency;
  const settled = settlementsOf(invoice, currency, ctx.payments ?? [], ctx.creditMemos ?? [], ctx.badDebtItems);
  const status = statusOf(invoice, settled.closedBy);
  const total = qboToMoney(invoice.TotalAmt, currency);
  const amountDue = status === 'open' ? qboToMoney(invoice.Balance, currency) : { amount: 0, currency };
  const issueDate = invoice.TxnDate;
  const due = invoice.DueDate ?? issueDate;
  const payments = settled.payments;
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
