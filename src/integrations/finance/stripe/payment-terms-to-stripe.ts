/**
 * Our payment-terms codes → Stripe invoices. Stripe has no terms on a customer; an invoice sent for payment
 * (`collection_method: 'send_invoice'`) is due `days_until_due` days after it is created. So `net_N` → N days and
 * `due_on_receipt` → 0 days; "day D of the following month" (`eofm_D`) has no Stripe equivalent and is refused
 * with the alternative named (STRIPE_CAPABILITIES says the same to the feasibility check before signature).
 */
import { type PaymentTermsCode, parsePaymentTerms } from '../../../billing/payment-terms.js';
import { FinanceError } from '../port.js';

/**
 * The `days_until_due` for a payment-terms code.
 * @example paymentTermsToStripe('net_30') // { days_until_due: 30 }
 */
export function paymentTermsToStripe(code: PaymentTermsCode): { days_until_due: number } {
  let terms: ReturnType<typeof parsePaymentTerms>;
  try {
    terms = parsePaymentTerms(code);
  } catch {
    throw new FinanceError('stripe', 'validation', `"${code}" is not a payment terms code (net_30, eofm_20, …)`);
  }
  if (terms.kind === 'day_of_following_month') {
    throw new FinanceError(
      'stripe',
      'validation',
      `Stripe cannot express "day ${terms.day} of the following month" (${code}); use net terms instead, e.g. net_30`,
    );
  }
  return { days_until_due: terms.days };
}
