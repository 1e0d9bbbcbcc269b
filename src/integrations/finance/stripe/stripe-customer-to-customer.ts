/**
 * A Stripe customer → our FinanceCustomer (the reverse of customer-draft-to-stripe).
 */
import type Stripe from 'stripe';
import type { FinanceCustomer } from '../port.js';
import { STRIPE_METADATA } from './customer-draft-to-stripe.js';
import { stripeCustomerUrl } from './links.js';

/**
 * Reads the fields we use from a Stripe customer; the currency is Stripe's once set, else the one we intended.
 * @example stripeCustomerToCustomer(customer).externalRef // metadata.rh_external_ref
 */
export function stripeCustomerToCustomer(customer: Stripe.Customer): FinanceCustomer {
  const meta = customer.metadata ?? {};
  const out: FinanceCustomer = {
    id: customer.id,
    legalName: customer.name ?? '',
    url: stripeCustomerUrl(customer.id, customer.livemode),
  };
  if (customer.email) out.email = customer.email;
  const ref = meta[STRIPE_METADATA.externalRef];
  if (ref) out.externalRef = ref;
  const terms = meta[STRIPE_METADATA.paymentTerms];
  if (terms) out.paymentTerms = terms;
  const currency = customer.currency || meta[STRIPE_METADATA.currency];
  if (currency) out.currency = currency.toUpperCase();
  // Stripe keeps no "last updated" time or author on a customer (only its event log does).
  const a = customer.address;
  if (a?.line1?.trim() && a.city?.trim()) {
    out.address = {
      line1: a.line1.trim(),
      ...(a.line2?.trim() ? { line2: a.line2.trim() } : {}),
      city: a.city.trim(),
      ...(a.state?.trim() ? { region: a.state.trim() } : {}),
      postalCode: a.postal_code?.trim() ?? '',
      country: a.country?.trim() ?? '',
    };
  }
  return out;
}
