import type { FinanceCustomer } from '../port.js';
import { customerRefFromNotes } from './notes-markers.js';
import { quickbooksTermToPaymentTerms } from './quickbooks-term-to-payment-terms.js';
import type { QboCustomer, QboTerm } from './types.js';

/**
 * The QuickBooks app page of a customer.
 * @example quickbooksCustomerUrl('https://app.qbo.intuit.com', '58') // 'https://app.qbo.intuit.com/app/customerdetail?nameId=58'
 */
export function quickbooksCustomerUrl(appUrl: string, customerId: string): string {
  return `${appUrl.replace(/\/$/, '')}/app/customerdetail?nameId=${encodeURIComponent(customerId)}`;
}

/**
 * A QuickBooks Customer → our FinanceCustomer. The legal name is CompanyName when set (DisplayName may be a
 * nickname on customers people created by hand); payment terms are translated through the company's Term list,
 * and left out when the term is unknown or not expressible as one of our codes.
 * @example quickbooksCustomerToCustomer(customer, { appUrl: 'https://app.qbo.intuit.com', terms })
 */
export function quickbooksCustomerToCustomer(
  customer: QboCustomer,
  ctx: { appUrl: string; terms?: ReadonlyMap<string, QboTerm> },
): FinanceCustomer {
  const term = customer.SalesTermRef ? ctx.terms?.get(customer.SalesTermRef.value) : undefined;
  const paymentTerms = term ? quickbooksTermToPaymentTerms(term) : undefined;
  const externalRef = customerRefFromNotes(customer.Notes);
  const email = customer.PrimaryEmailAddr?.Address?.trim();
  return {
    id: customer.Id,
    legalName: (customer.CompanyName?.trim() || customer.DisplayName).trim(),
    ...(email ? { email } : {}),
    ...(externalRef ? { externalRef } : {}),
    ...(paymentTerms ? { paymentTerms } : {}),
    ...(customer.CurrencyRef ? { currency: customer.CurrencyRef.value } : {}),
    url: quickbooksCustomerUrl(ctx.appUrl, customer.Id),
  };
}
