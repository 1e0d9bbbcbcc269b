/**
 * Deep links into Xero's web app. Without the organisation's short code a link opens in whichever organisation the
 * person last used; with it, Xero switches to the right one first (Xero's documented deep-link form).
 */

function link(path: string, shortCode?: string): string {
  if (!shortCode) return `https://go.xero.com${path}`;
  return `https://go.xero.com/organisationlogin/default.aspx?shortcode=${encodeURIComponent(shortCode)}&redirecturl=${encodeURIComponent(path)}`;
}

/**
 * The contact's page in Xero.
 * @example xeroContactUrl('c0000000-0000-4000-8000-000000000001') // 'https://go.xero.com/Contacts/View/c0000000-…'
 */
export function xeroContactUrl(contactId: string, shortCode?: string): string {
  return link(`/Contacts/View/${encodeURIComponent(contactId)}`, shortCode);
}

/**
 * The sales invoice's page in Xero.
 * @example xeroInvoiceUrl('1e000000-0000-4000-8000-000000000001') // 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=1e…'
 */
export function xeroInvoiceUrl(invoiceId: string, shortCode?: string): string {
  return link(`/AccountsReceivable/View.aspx?InvoiceID=${encodeURIComponent(invoiceId)}`, shortCode);
}
