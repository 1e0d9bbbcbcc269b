/**
 * Our invoice draft → a Xero sales invoice (Type ACCREC). Where things go, and why:
 * - `InvoiceNumber` = our reference. Xero documents InvoiceNumber as unique per organisation and offers an exact,
 *   indexed filter on it (`InvoiceNumbers=`), so findInvoiceByReference is one cheap call and a second create with
 *   the same reference is refused by Xero itself. The cost: these invoices do not take the organisation's own
 *   INV-0001 sequence; the reference must stay within Xero's 255 characters and hold no comma (the filter's separator).
 * - `Reference` = the customer's PO number, untouched: it is what Xero prints as "Reference" on the invoice.
 * - `Status` DRAFT for 'draft' (no posting, editable in Xero), AUTHORISED for 'issued' (posted, awaiting payment).
 * - Lines keep Quantity × UnitAmount only when Xero's own multiplication (rounded to the currency) gives our exact
 *   line amount; otherwise one unit at the line amount, with the quantity written into the description, so the
 *   invoice total always equals the schedule's. `LineAmount` is sent too, as Xero's docs allow.
 * - `memo` becomes a description-only line (Xero's way to print free text on an invoice; it has no memo field).
 * - `LineAmountTypes` and the sales `AccountCode` come from the connection's settings: Xero requires an account
 *   code on every line of an AUTHORISED invoice and applies the account's tax rate unless NoTax.
 */
import type { BooksTaxSetup } from '../../../billing/capabilities.js';
import { describeTaxCode, findTaxCode, nearestTaxCodes } from '../../../billing/tax.js';
import { formatMoney } from '../../../core/money.js';
import type { InvoiceDraft, InvoiceLineDraft } from '../port.js';
import { FinanceError } from '../port.js';
import { quantityAsFraction, toXeroAmount } from './amounts.js';
import type { XeroCurrencyCode, XeroInvoice, XeroLineAmountTypes, XeroLineItem } from './types.js';

export interface XeroInvoiceSettings {
  /** Default Exclusive (Xero's own default: tax added on top per the account's tax rate). */
  lineAmountTypes?: XeroLineAmountTypes;
  /** Revenue account code for every line, e.g. '200' (Sales in Xero's demo company). */
  salesAccountCode?: string;
  /** The organisation's tax rates (adapter `taxSetup`): each line's code is checked against them and sent as its
   * TaxType. Without it a line's code is sent as given. */
  tax?: BooksTaxSetup;
}

function invalid(message: string): FinanceError {
  return new FinanceError('xero', 'validation', message);
}

/** Whether Xero's Quantity × UnitAmount lands exactly on our amount (no rounding on Xero's side). */
function exactProduct(line: InvoiceLineDraft): boolean {
  const q = quantityAsFraction(line.quantity);
  if (!q || q.numerator <= 0n) return false;
  const product = q.numerator * BigInt(line.unitAmount.amount);
  const scale = 10n ** BigInt(q.scale);
  return product % scale === 0n && product / scale === BigInt(line.amount.amount);
}

/** A line's TaxType: its code among the organisation's rates (by TaxType, else by name). */
function taxTypeOf(line: InvoiceLineDraft, index: number, settings: XeroInvoiceSettings): string {
  const tax = line.tax as NonNullable<InvoiceLineDraft['tax']>;
  if (!settings.tax) return tax.code;
  const found = findTaxCode(tax.code, settings.tax.codes);
  if (found) return found.code;
  const near = nearestTaxCodes(tax.code, tax.ratePercent, settings.tax.codes);
  throw invalid(
    `line ${index + 1} TaxType "${tax.code}" is not one of this organisation's tax rates${near.length ? `; the nearest: ${near.map(describeTaxCode).join('; ')}` : ''}`,
  );
}

function lineToXero(
  line: InvoiceLineDraft,
  currency: string,
  settings: XeroInvoiceSettings,
  index: number,
): XeroLineItem {
  for (const [field, m] of [
    ['unitAmount', line.unitAmount],
    ['amount', line.amount],
  ] as const) {
    if (m.currency !== currency) {
      throw invalid(`line ${index + 1} ${field} is in ${m.currency}, the invoice is in ${currency}`);
    }
  }
  const description = line.description.trim();
  if (!description) throw invalid(`line ${index + 1} needs a description`);
  const item: XeroLineItem = exactProduct(line)
    ? {
        Description: description,
        Quantity: line.quantity,
        UnitAmount: toXeroAmount(line.unitAmount),
        LineAmount: toXeroAmount(line.amount),
      }
    : {
        Description: `${description} (${line.quantity} × ${formatMoney(line.unitAmount)})`,
        Quantity: 1,
        UnitAmount: toXeroAmount(line.amount),
        LineAmount: toXeroAmount(line.amount),
      };
  if (settings.salesAccountCode) item.AccountCode = settings.salesAccountCode;
  if (line.tax) item.TaxType = taxTypeOf(line, index, settings);
  return item;
}

/**
 * The Invoice body for PUT /Invoices.
 * @example invoiceDraftToXero(draft, { salesAccountCode: '200' }).InvoiceNumber // draft.reference
 */
export function invoiceDraftToXero(draft: InvoiceDraft, settings: XeroInvoiceSettings = {}): XeroInvoice {
  const reference = draft.reference.trim();
  if (!reference || reference.length > 255) throw invalid(`invoice reference "${reference}" must be 1–255 characters`);
  if (reference.includes(',')) throw invalid(`invoice reference "${reference}" must not contain a comma`);
  if (draft.lines.length === 0) throw invalid('an invoice needs at least one line');
  if (draft.dueDate < draft.issueDate)
    throw invalid(`due date ${draft.dueDate} is before the issue date ${draft.issueDate}`);
  const total = draft.lines.reduce((sum, l) => sum + BigInt(l.amount.amount), 0n);
  if (total < 0n) throw invalid('a Xero invoice cannot total less than zero; issue a credit note instead');
  const lines = draft.lines.map((l, i) => lineToXero(l, draft.currency, settings, i));
  const taxed = draft.lines.flatMap((l) => (l.tax ? [l.tax] : []));
  if (taxed.some((t) => t.inclusive) && taxed.some((t) => !t.inclusive)) {
    throw invalid(
      'Xero sets LineAmountTypes once per invoice, and this invoice has tax-inclusive and tax-exclusive lines',
    );
  }
  const lineAmountTypes: XeroLineAmountTypes =
    taxed.length > 0 ? (taxed[0]?.inclusive ? 'Inclusive' : 'Exclusive') : (settings.lineAmountTypes ?? 'Exclusive');
  if (draft.memo?.trim()) lines.push({ Description: draft.memo.trim() });
  const invoice: XeroInvoice = {
    Type: 'ACCREC',
    Contact: { ContactID: draft.customerId },
    InvoiceNumber: reference,
    Date: draft.issueDate,
    DueDate: draft.dueDate,
    CurrencyCode: draft.currency as XeroCurrencyCode,
    Status: draft.status === 'draft' ? 'DRAFT' : 'AUTHORISED',
    LineAmountTypes: lineAmountTypes,
    LineItems: lines,
  };
  if (draft.poNumber?.trim()) invoice.Reference = draft.poNumber.trim();
  return invoice;
}
