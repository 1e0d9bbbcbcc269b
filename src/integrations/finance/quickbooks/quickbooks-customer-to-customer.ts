import { type FinanceCustomer, type PostalAddress, postalAddress } from '../port.js';
import { customerRefFromNotes } from './notes-markers.js';
import { quickbooksTermToPaymentTerms } from './quickbooks-term-to-payment-terms.js';
import type { QboCustomer, QboPhysicalAddress, QboTerm } from './types.js';

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
  const address = quickbooksAddressToPostal(customer.BillAddr);
  // MetaData says when, not who (change data capture neither); a missing or unreadable time is left out.
  const updated = customer.MetaData?.LastUpdatedTime ? new Date(customer.MetaData.LastUpdatedTime) : undefined;
  const updatedAt = updated && !Number.isNaN(updated.getTime()) ? updated : undefined;
  return {
    id: customer.Id,
    legalName: (customer.CompanyName?.trim() || customer.DisplayName).trim(),
    ...(email ? { email } : {}),
    ...(externalRef ? { externalRef } : {}),
    ...(paymentTerms ? { paymentTerms } : {}),
    ...(customer.CurrencyRef ? { currency: customer.CurrencyRef.value } : {}),
    ...(address ? { address } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    url: quickbooksCustomerUrl(ctx.appUrl, customer.Id),
  };
}

/**
 * A QuickBooks BillAddr as our PostalAddress; undefined when it has no street or city.
 * @example quickbooksAddressToPostal({ Line1: '1 Main St', City: 'Austin', CountrySubDivisionCode: 'TX', PostalCode: '78701', Country: 'US' })?.region // 'TX'
 */
export function quickbooksAddressToPostal(a: QboPhysicalAddress | undefined): PostalAddress | undefined {
  if (!a) return undefined;
  return postalAddress({
    line1: a.Line1,
    line2: a.Line2,
    city: a.City,
    region: a.CountrySubDivisionCode,
    postalCode: a.PostalCode,
    country: a.Country,
  });
}
