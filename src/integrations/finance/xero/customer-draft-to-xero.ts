/**
 * Our customer → a Xero Contact body. Where things go, and why:
 * - `Name` = legal name (Xero requires it, unique across active contacts);
 * - `ContactNumber` = our external reference: Xero documents it as the field "used to identify contacts in
 *   external systems", settable only through the API, and filterable, so find-or-create can look it up;
 * - `EmailAddress` = the billing (AP) email Xero sends invoices to; the AP person's name becomes the primary
 *   person's FirstName/LastName and the postal address's AttentionTo;
 * - the billing address is the POBOX (postal) address, the one Xero prints on invoices;
 * - `PaymentTerms.Sales` carries the terms, `DefaultCurrency` the currency.
 */
import type { CustomerDraft } from '../port.js';
import { FinanceError } from '../port.js';
import { paymentTermsToXero } from './payment-terms-to-xero.js';
import type { XeroAddress, XeroContact, XeroCurrencyCode } from './types.js';

function tooLong(field: string, value: string, max: number): FinanceError {
  return new FinanceError('xero', 'validation', `${field} "${value}" is longer than Xero's ${max} characters`);
}

function splitName(full: string): { FirstName: string; LastName?: string } {
  const parts = full.trim().split(/\s+/);
  if (parts.length === 1) return { FirstName: parts[0] ?? '' };
  return { FirstName: parts.slice(0, -1).join(' '), LastName: parts.at(-1) ?? '' };
}

/**
 * The Contact body for creating or updating a customer (no ContactID: the caller adds it for updates).
 * @example customerDraftToXero({ legalName: 'Acme Ltd', externalRef: 'hs-company-1', currency: 'USD', paymentTerms: 'net_30' })
 */
export function customerDraftToXero(draft: CustomerDraft): XeroContact {
  const name = draft.legalName.trim();
  if (!name) throw new FinanceError('xero', 'validation', 'A Xero contact needs a name');
  if (name.length > 255) throw tooLong('Name', name, 255);
  if (draft.externalRef.length > 50) throw tooLong('ContactNumber', draft.externalRef, 50);
  if (draft.email && draft.email.length > 255) throw tooLong('EmailAddress', draft.email, 255);
  const contact: XeroContact = {
    Name: name,
    ContactNumber: draft.externalRef,
    DefaultCurrency: draft.currency as XeroCurrencyCode,
    PaymentTerms: { Sales: paymentTermsToXero(draft.paymentTerms) },
  };
  if (draft.email) contact.EmailAddress = draft.email;
  if (draft.apContactName?.trim()) Object.assign(contact, splitName(draft.apContactName));
  if (draft.address) {
    const a = draft.address;
    const address: XeroAddress = {
      AddressType: 'POBOX',
      AddressLine1: a.line1,
      City: a.city,
      PostalCode: a.postalCode,
      Country: a.country,
    };
    if (a.line2) address.AddressLine2 = a.line2;
    if (a.region) address.Region = a.region;
    if (draft.apContactName?.trim()) address.AttentionTo = draft.apContactName.trim();
    contact.Addresses = [address];
  }
  return contact;
}
