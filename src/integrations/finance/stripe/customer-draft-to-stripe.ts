/**
 * Our customer → Stripe customer parameters. Where things go, and why:
 * - `name` = legal name, `email` = billing (AP) email: what Stripe prints on and sends invoices to;
 * - `address` = billing address (`region` → `state`);
 * - metadata (keys prefixed `rh_` so they are ours at a glance in the Dashboard):
 *   `rh_external_ref` = our reference (searchable: Stripe's search language covers metadata),
 *   `rh_payment_terms` = the terms code (Stripe keeps no terms on a customer; invoices take days_until_due),
 *   `rh_currency` = the intended currency (Stripe sets a customer's currency with its first invoice),
 *   `rh_ap_contact_name` = the AP person (Stripe has one name per customer and it is the legal name).
 */
import type Stripe from 'stripe';
import type { CustomerDraft } from '../port.js';
import { FinanceError } from '../port.js';
import { paymentTermsToStripe } from './payment-terms-to-stripe.js';

/** Our metadata keys on Stripe objects. */
export const STRIPE_METADATA = {
  externalRef: 'rh_external_ref',
  paymentTerms: 'rh_payment_terms',
  currency: 'rh_currency',
  apContactName: 'rh_ap_contact_name',
  reference: 'rh_reference',
  line: 'rh_line',
} as const;

/** Stripe metadata values hold up to 500 characters. */
const METADATA_MAX = 500;

/**
 * Stripe customer create (and update) parameters for a customer draft.
 * @example customerDraftToStripe({ legalName: 'Acme Ltd', externalRef: 'hs-company-1', currency: 'USD', paymentTerms: 'net_30' })
 */
export function customerDraftToStripe(draft: CustomerDraft): Stripe.CustomerCreateParams {
  const name = draft.legalName.trim();
  if (!name) throw new FinanceError('stripe', 'validation', 'A Stripe customer needs a name');
  // Refuse terms Stripe cannot apply now, rather than when the first invoice is due to go out.
  paymentTermsToStripe(draft.paymentTerms);
  const metadata: Record<string, string> = {
    [STRIPE_METADATA.externalRef]: draft.externalRef,
    [STRIPE_METADATA.paymentTerms]: draft.paymentTerms,
    [STRIPE_METADATA.currency]: draft.currency,
    // An empty value deletes the key on update, so a removed AP name does not linger.
    [STRIPE_METADATA.apContactName]: draft.apContactName?.trim() ?? '',
  };
  for (const [key, value] of Object.entries(metadata)) {
    if (value.length > METADATA_MAX) {
      throw new FinanceError('stripe', 'validation', `${key} is longer than Stripe's ${METADATA_MAX} characters`);
    }
  }
  const params: Stripe.CustomerCreateParams = { name, metadata };
  if (draft.email) params.email = draft.email;
  if (draft.address) {
    const a = draft.address;
    params.address = {
      line1: a.line1,
      city: a.city,
      postal_code: a.postalCode,
      country: a.country,
      ...(a.line2 ? { line2: a.line2 } : {}),
      ...(a.region ? { state: a.region } : {}),
    };
  }
  return params;
}
