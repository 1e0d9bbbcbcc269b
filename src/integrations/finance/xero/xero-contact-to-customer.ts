/**
 * A Xero Contact → our FinanceCustomer (the reverse of customer-draft-to-xero).
 */
import type { FinanceCustomer } from '../port.js';
import { FinanceError } from '../port.js';
import { xeroContactUrl } from './links.js';
import { xeroTermsToPaymentTerms } from './payment-terms-to-xero.js';
import type { XeroContact } from './types.js';

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
  return customer;
}
