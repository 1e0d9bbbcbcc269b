/**
 * Deep links into the Stripe Dashboard; test-mode objects live under /test/.
 */

function dashboard(path: string, livemode: boolean): string {
  return `https://dashboard.stripe.com/${livemode ? '' : 'test/'}${path}`;
}

/**
 * The customer's page in the Dashboard.
 * @example stripeCustomerUrl('cus_123', false) // 'https://dashboard.stripe.com/test/customers/cus_123'
 */
export function stripeCustomerUrl(customerId: string, livemode: boolean): string {
  return dashboard(`customers/${encodeURIComponent(customerId)}`, livemode);
}

/**
 * The invoice's page in the Dashboard.
 * @example stripeInvoiceUrl('in_123', true) // 'https://dashboard.stripe.com/invoices/in_123'
 */
export function stripeInvoiceUrl(invoiceId: string, livemode: boolean): string {
  return dashboard(`invoices/${encodeURIComponent(invoiceId)}`, livemode);
}
