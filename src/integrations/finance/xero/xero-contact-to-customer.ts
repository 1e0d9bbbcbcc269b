/**
 * A Xero Contact → our FinanceCustomer (the reverse of customer-draft-to-xero).
 */
import type { FinanceCustomer, PostalAddress } from '../port.js';
import { FinanceError, postalAddress } from '../port.js';
import { parseXeroDate } from './dates.js';
import { xeroContactUrl } from './links.js';
import { xeroTermsToPaymentTerms } from './payment-terms-to-xero.js';
import type { XeroAddress, XeroContact } from './types.js';

/**
 * Reads the fields we use from a Xero contact; FinanceError unknown when Xero sent no ContactID.
 * @example xeroContactToCustomer({ ContactID: 'c0…1', Name: 'Acme Ltd', ContactNumber: 'hs-company-1' }).externalRef // 'hs-company-1'
 */
export function xeroContactToCustomer(contact: XeroContact, options: { shortCode?: string } = {}): FinanceCustomer {
  if (!contact.ContactID) throw new FinanceError('xero', 'unknown', 'Xero returned a contact without a ContactID');
  const customer: FinanceCustomer = {
    id: contact.ContactID,
    legalName: contact.Name ?? '',
    url: xeroContactUrl(contact.ContactID, options.shortCode),
  };
  if (contact.EmailAddress) customer.email = contact.EmailAddress;
  if (contact.ContactNumber) customer.externalRef = contact.ContactNumber;
  const terms = xeroTermsToPaymentTerms(contact.PaymentTerms?.Sales);
  if (terms) customer.paymentTerms = terms;
  if (contact.DefaultCurrency) customer.currency = contact.DefaultCurrency;
  const address = xeroAddressToPostal(contact.Addresses?.find((a) => a.AddressType === 'POBOX'));
  if (address) customer.address = address;
  // Xero reports when a contact changed (UpdatedDateUTC) but not who: whoChanged reads the History for that, only when needed.
  const updatedAt = parseXeroDate(contact.UpdatedDateUTC);
  if (updatedAt) customer.updatedAt = updatedAt;
  return customer;
}

/**
 * The POBOX (invoice) address of a contact as our PostalAddress; undefined when it has no street or city.
 * @example xeroAddressToPostal({ AddressType: 'POBOX', AddressLine1: '1 Main St', City: 'Leeds', PostalCode: 'LS1', Country: 'GB' })?.city // 'Leeds'
 */
export function xeroAddressToPostal(a: XeroAddress | undefined): PostalAddress | undefined {
  if (!a) return undefined;
  return postalAddress({
    line1: a.AddressLine1,
    line2: a.AddressLine2,
    city: a.City,
    region: a.Region,
    postalCode: a.PostalCode,
    country: a.Country,
  });
}
