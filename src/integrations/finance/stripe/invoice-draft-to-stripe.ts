/**
 * Our invoice draft → the Stripe calls that create it: one invoice, then one invoice item per line attached to
 * that invoice (`invoice: in_…`, never left pending on the customer where another invoice could sweep it up), then
 * finalisation for 'issued'. Where things go, and why:
 * - `metadata.rh_reference` = our reference: findInvoiceByReference lists the customer's invoices (a strongly
 *   consistent read) and matches it, rather than Stripe's search, which can lag behind a fresh write;
 * - the PO number = an invoice custom field (default name "PO number"), which Stripe prints on the invoice;
 * - `collection_method: 'send_invoice'` + `days_until_due` from the terms: the customer pays by bank transfer or
 *   the hosted page, on terms, instead of being charged automatically;
 * - `auto_advance: false` so a draft stays a draft until we finalise it; `effective_at` = the issue date, which
 *   Stripe prints as the date of issue; `pending_invoice_items_behavior: 'exclude'` so the invoice holds only our lines;
 * - each line's exact `amount` (integer minor units), since Stripe's `quantity` takes whole numbers and a unit
 *   price would be re-multiplied; when the quantity is not 1 it is written into the description;
 * - `memo` → the invoice `description` (Stripe's memo).
 */
import type Stripe from 'stripe';
import type { BooksTaxSetup } from '../../../billing/capabilities.js';
import { describeTaxCode, findTaxCode, isAutomaticTaxCode, nearestTaxCodes } from '../../../billing/tax.js';
import { parseDay } from '../../../core/dates.js';
import { formatMoney } from '../../../core/money.js';
import type { InvoiceDraft } from '../port.js';
import { FinanceError } from '../port.js';
import { STRIPE_METADATA } from './customer-draft-to-stripe.js';
import { paymentTermsToStripe } from './payment-terms-to-stripe.js';
import { DEFAULT_STRIPE_PO_FIELD } from './stripe-invoice-to-snapshot.js';

export interface StripeInvoicePlan {
  invoice: Stripe.InvoiceCreateParams;
  /** To create after the invoice, each with `invoice` set to its id. */
  items: Stripe.InvoiceItemCreateParams[];
  finalize: boolean;
}

export interface StripeInvoiceSettings {
  /** Name of the invoice custom field carrying the PO number; Stripe allows up to 40 characters. */
  poFieldName?: string;
  /** The account's tax rates (adapter `taxSetup`): each line's code is checked against them (by id or display
   * name) and sent as `tax_rates`. Without it a line's code is sent as given. */
  tax?: BooksTaxSetup;
}

/** The Stripe tax rate id of a line's tax treatment. Stripe Tax (automatic) is not used: rates are explicit. */
function taxRateOf(
  tax: NonNullable<InvoiceDraft['lines'][number]['tax']>,
  index: number,
  settings: StripeInvoiceSettings,
): string {
  if (isAutomaticTaxCode(tax.code)) {
    const near = settings.tax ? nearestTaxCodes(tax.code, tax.ratePercent, settings.tax.codes) : [];
    throw invalid(
      `line ${index + 1} tax code "${tax.code}": automatic tax (Stripe Tax) is not supported; accepted: the id (txr_…) or display name of one of the account's active tax rates${near.length ? `, e.g. ${near.map(describeTaxCode).join('; ')}` : ''}`,
    );
  }
  if (!settings.tax) return tax.code;
  const found = findTaxCode(tax.code, settings.tax.codes);
  if (found) return found.code;
  const near = nearestTaxCodes(tax.code, tax.ratePercent, settings.tax.codes);
  throw invalid(
    `line ${index + 1} tax rate "${tax.code}" is not one of this Stripe account's active tax rates${near.length ? `; the nearest: ${near.map(describeTaxCode).join('; ')}` : ''}`,
  );
}

function invalid(message: string): FinanceError {
  return new FinanceError('stripe', 'validation', message);
}

const unix = (day: string) => Math.floor(parseDay(day).getTime() / 1000);

/**
 * The Stripe calls for one invoice draft.
 * @example invoiceDraftToStripe(draft).invoice.metadata // { rh_reference: draft.reference }
 */
export function invoiceDraftToStripe(draft: InvoiceDraft, settings: StripeInvoiceSettings = {}): StripeInvoicePlan {
  const reference = draft.reference.trim();
  if (!reference || reference.length > 500) throw invalid(`invoice reference "${reference}" must be 1–500 characters`);
  if (draft.lines.length === 0) throw invalid('an invoice needs at least one line');
  const poField = settings.poFieldName ?? DEFAULT_STRIPE_PO_FIELD;
  const po = draft.poNumber?.trim();
  if (po && po.length > 140)
    throw invalid(`PO number "${po}" is longer than Stripe's 140 characters for a custom field`);
  if (poField.length > 40) throw invalid(`custom field name "${poField}" is longer than Stripe's 40 characters`);
  const currency = draft.currency.toLowerCase();
  const invoice: Stripe.InvoiceCreateParams = {
    customer: draft.customerId,
    currency,
    collection_method: 'send_invoice',
    ...paymentTermsToStripe(draft.paymentTerms),
    auto_advance: false,
    effective_at: unix(draft.issueDate),
    pending_invoice_items_behavior: 'exclude',
    metadata: { [STRIPE_METADATA.reference]: reference },
  };
  if (po) invoice.custom_fields = [{ name: poField, value: po }];
  if (draft.memo?.trim()) invoice.description = draft.memo.trim();
  const items = draft.lines.map((line, i): Stripe.InvoiceItemCreateParams => {
    for (const m of [line.unitAmount, line.amount]) {
      if (m.currency !== draft.currency) {
        throw invalid(`line ${i + 1} is in ${m.currency}, the invoice is in ${draft.currency}`);
      }
    }
    const description = line.description.trim();
    if (!description) throw invalid(`line ${i + 1} needs a description`);
    const item: Stripe.InvoiceItemCreateParams = {
      customer: draft.customerId,
      currency,
      amount: line.amount.amount,
      description:
        line.quantity === 1 ? description : `${description} (${line.quantity} × ${formatMoney(line.unitAmount)})`,
      metadata: { [STRIPE_METADATA.reference]: reference, [STRIPE_METADATA.line]: String(i + 1) },
    };
    if (line.periodStart && line.periodEnd) {
      item.period = { start: unix(line.periodStart), end: unix(line.periodEnd) };
    }
    if (line.tax) item.tax_rates = [taxRateOf(line.tax, i, settings)];
    return item;
  });
  return { invoice, items, finalize: draft.status === 'issued' };
}
