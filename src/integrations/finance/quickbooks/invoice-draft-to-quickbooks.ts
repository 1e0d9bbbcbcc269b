import type { BooksTaxSetup } from '../../../billing/capabilities.js';
import { describeTaxCode, findTaxCode, nearestTaxCodes } from '../../../billing/tax.js';
import { formatMoney, type Money, sumMoney } from '../../../core/money.js';
import { FinanceError, type InvoiceDraft, type InvoiceLineDraft } from '../port.js';
import { moneyToQbo } from './amounts.js';
import { poMemoLine, withInvoiceRef } from './notes-markers.js';
import type { QboCustomField, QboInvoiceCreate, QboRef, QboSalesItemLineCreate } from './types.js';

export interface InvoiceMappingOptions {
  /** The Term for `draft.paymentTerms` (ensurePaymentTerms). */
  salesTermRef?: QboRef;
  /** The product/service every line is booked to (QuickBooks requires an item on a sales line). */
  itemRef: QboRef;
  /** The company's tax setup (adapter `taxSetup`): each line's tax code is checked against it and sent as the
   * code's id. Without it a line's code is sent as given. */
  tax?: BooksTaxSetup;
  /** The company's sales-form custom field that holds the PO number; without it the PO goes into CustomerMemo. */
  poCustomField?: { definitionId: string; name?: string };
}

/** QuickBooks custom-field values hold 31 characters; CustomerMemo 1000. */
const MAX_CUSTOM_FIELD_VALUE = 31;
const MAX_CUSTOMER_MEMO = 1000;

/** Why we refuse drafts, in words a finance person can act on. */
export const NO_DRAFTS_MESSAGE =
  "QuickBooks Online has no draft invoices: an invoice posts to the books as soon as it is created. Keep this invoice 'scheduled' in Revenue Handoff and create it with status 'issued' on its date or trigger.";

function invalid(message: string): FinanceError {
  return new FinanceError('quickbooks', 'validation', message);
}

/** quantity × unit in minor units when that product is a whole number of minor units, else null. */
function exactProduct(quantity: number, unitMinor: number): bigint | null {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(String(quantity));
  if (!m) return null;
  const [, sign, whole = '0', frac = ''] = m;
  const product = BigInt(`${sign ?? ''}${whole}${frac}`) * BigInt(unitMinor);
  const scale = 10n ** BigInt(frac.length);
  return product % scale === 0n ? product / scale : null;
}

/**
 * The TaxCodeRef of a line: its code looked up among the company's codes (by id, else by name). Non-US companies
 * need one on every line (QuickBooks refuses the invoice otherwise); under US automated sales tax it is TAX or NON.
 */
function taxCodeRef(l: InvoiceLineDraft, index: number, opts: InvoiceMappingOptions): QboRef | undefined {
  const setup = opts.tax;
  if (!l.tax) {
    if (setup?.mode === 'codes') {
      throw invalid(
        `line ${index + 1} ("${l.description}") has no tax code, and this QuickBooks company (${setup.country ?? 'outside the US'}) needs one on every line; set the plan's or the template's default tax${setup.codes.length ? ` (its codes: ${setup.codes.map(describeTaxCode).join('; ')})` : ''}`,
      );
    }
    return undefined;
  }
  if (!setup) return { value: l.tax.code };
  const found = findTaxCode(l.tax.code, setup.codes);
  if (!found) {
    const near = nearestTaxCodes(l.tax.code, l.tax.ratePercent, setup.codes);
    throw invalid(
      `line ${index + 1} tax code "${l.tax.code}" does not exist in this QuickBooks company${near.length ? `; the nearest valid codes: ${near.map(describeTaxCode).join('; ')}` : ''}`,
    );
  }
  return { value: found.code, ...(found.name ? { name: found.name } : {}) };
}

function line(
  l: InvoiceLineDraft,
  index: number,
  currency: string,
  opts: InvoiceMappingOptions,
): QboSalesItemLineCreate {
  for (const [field, m] of [
    ['unitAmount', l.unitAmount],
    ['amount', l.amount],
  ] as const) {
    if (m.currency !== currency) {
      throw invalid(`line ${index + 1} ${field} is in ${m.currency}, the invoice in ${currency}`);
    }
  }
  // QuickBooks keeps one ServiceDate per line, so the period goes into the description — once: a description that
  // already names its period (the schedule writes "…, 2026-03-01 to 2026-03-31") is left as it is.
  const named = [l.periodStart, l.periodEnd].every((d) => !d || l.description.includes(d));
  const period = named
    ? ''
    : l.periodStart && l.periodEnd
      ? ` (${l.periodStart} to ${l.periodEnd})`
      : l.periodStart
        ? ` (from ${l.periodStart})`
        : '';
  const exact =
    Number.isFinite(l.quantity) && exactProduct(l.quantity, l.unitAmount.amount) === BigInt(l.amount.amount);
  // QuickBooks rejects a line whose Amount is not UnitPrice × Qty; when the product is not a whole number of cents
  // we bill one unit of the exact amount and say what it was made of.
  const detail = exact
    ? { Qty: l.quantity, UnitPrice: moneyToQbo(l.unitAmount) }
    : { Qty: 1, UnitPrice: moneyToQbo(l.amount) };
  const how = exact ? '' : ` (${l.quantity} × ${formatMoney(l.unitAmount)})`;
  const description = `${l.description}${how}${period}`;
  if (description.length > 4000) throw invalid(`line ${index + 1} description is longer than 4000 characters`);
  const taxRef = taxCodeRef(l, index, opts);
  return {
    Amount: moneyToQbo(l.amount),
    DetailType: 'SalesItemLineDetail',
    Description: description,
    SalesItemLineDetail: {
      ItemRef: opts.itemRef,
      ...detail,
      ...(taxRef ? { TaxCodeRef: taxRef } : {}),
      ...(l.periodStart ? { ServiceDate: l.periodStart } : {}),
    },
  };
}

/**
 * Our invoice draft → the body of `POST /invoice`. Only `issued` invoices map (QuickBooks has no drafts). Our
 * reference goes into PrivateNote (internal; see notes-markers.ts), the PO into the configured custom field (else
 * the customer-visible memo, so accounts payable still sees it), `memo` into CustomerMemo, and the due date is sent
 * explicitly so QuickBooks never recomputes it from the Term. An invoice made from an estimate links it in
 * LinkedTxn, which closes the estimate.
 * @example invoiceDraftToQuickBooks(draft, { itemRef: { value: '1', name: 'Services' }, salesTermRef })
 */
export function invoiceDraftToQuickBooks(draft: InvoiceDraft, opts: InvoiceMappingOptions): QboInvoiceCreate {
  if (draft.status !== 'issued') throw invalid(NO_DRAFTS_MESSAGE);
  if (!/^\S{1,200}$/.test(draft.reference))
    throw invalid('the invoice reference must be 1–200 characters without spaces');
  if (!draft.customerId) throw invalid('the invoice needs the QuickBooks customer id');
  if (draft.lines.length === 0) throw invalid('an invoice needs at least one line');
  if (draft.dueDate < draft.issueDate)
    throw invalid(`the due date ${draft.dueDate} is before the issue date ${draft.issueDate}`);
  const lines = draft.lines.map((l, i) => line(l, i, draft.currency, opts));
  const taxed = draft.lines.flatMap((l) => (l.tax ? [l.tax] : []));
  const inclusive = taxed.some((t) => t.inclusive);
  if (inclusive && taxed.some((t) => !t.inclusive)) {
    throw invalid(
      'QuickBooks sets "amounts include tax" once per invoice, and this invoice has both tax-inclusive and tax-exclusive lines',
    );
  }
  // The US API has no GlobalTaxCalculation; elsewhere it says whether the line amounts include the tax.
  const globalTax =
    opts.tax?.mode === 'codes' || (!opts.tax && taxed.length > 0 && inclusive)
      ? { GlobalTaxCalculation: inclusive ? ('TaxInclusive' as const) : ('TaxExcluded' as const) }
      : {};
  const total: Money = sumMoney(
    draft.lines.map((l) => l.amount),
    draft.currency,
  );
  if (total.amount < 0)
    throw invalid(`the invoice total ${formatMoney(total)} is negative; QuickBooks needs a credit memo for that`);

  const po = draft.poNumber?.trim();
  let customField: QboCustomField[] | undefined;
  const memo: string[] = [];
  if (po && opts.poCustomField) {
    if (po.length > MAX_CUSTOM_FIELD_VALUE) {
      throw invalid(
        `the PO number has ${po.length} characters; a QuickBooks custom field holds ${MAX_CUSTOM_FIELD_VALUE}`,
      );
    }
    customField = [
      {
        DefinitionId: opts.poCustomField.definitionId,
        ...(opts.poCustomField.name ? { Name: opts.poCustomField.name } : {}),
        Type: 'StringType',
        StringValue: po,
      },
    ];
  } else if (po) {
    memo.push(poMemoLine(po));
  }
  if (draft.memo?.trim()) memo.push(draft.memo.trim());
  const customerMemo = memo.join('\n');
  if (customerMemo.length > MAX_CUSTOMER_MEMO)
    throw invalid(`the invoice message is longer than ${MAX_CUSTOMER_MEMO} characters`);

  return {
    CustomerRef: { value: draft.customerId },
    TxnDate: draft.issueDate,
    DueDate: draft.dueDate,
    ...(opts.salesTermRef ? { SalesTermRef: opts.salesTermRef } : {}),
    Line: lines,
    ...globalTax,
    CurrencyRef: { value: draft.currency },
    PrivateNote: withInvoiceRef(undefined, draft.reference),
    ...(customerMemo ? { CustomerMemo: { value: customerMemo } } : {}),
    ...(customField ? { CustomField: customField } : {}),
    ...(draft.estimateId ? { LinkedTxn: [{ TxnId: draft.estimateId, TxnType: 'Estimate' }] } : {}),
  };
}
