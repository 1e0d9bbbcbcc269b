import { type CustomerDraft, FinanceError } from '../port.js';
import { withCustomerRef } from './notes-markers.js';
import type { QboCustomer, QboCustomerCreate, QboCustomerSparseUpdate, QboPhysicalAddress, QboRef } from './types.js';

// Intuit's field limits: CompanyName 100, DisplayName 500, Given/Family name 100, Notes 2000.
const MAX_COMPANY_NAME = 100;
const MAX_PERSON_NAME = 100;
const MAX_NOTES = 2000;

function invalid(message: string): FinanceError {
  return new FinanceError('quickbooks', 'validation', message);
}

function checked(draft: CustomerDraft): { name: string; ref: string } {
  const name = draft.legalName.trim();
  if (!name) throw invalid('the customer needs a legal name (QuickBooks DisplayName)');
  if (name.length > MAX_COMPANY_NAME) {
    throw invalid(
      `the legal name has ${name.length} characters; QuickBooks CompanyName holds at most ${MAX_COMPANY_NAME}`,
    );
  }
  const ref = draft.externalRef.trim();
  if (!/^\S{1,200}$/.test(ref)) throw invalid('the external reference must be 1–200 characters without spaces');
  return { name, ref };
}

/** "Jane Q. Doe" → GivenName "Jane Q.", FamilyName "Doe": QuickBooks has no single contact-name field. */
function personName(full: string | undefined): Pick<QboCustomerCreate, 'GivenName' | 'FamilyName'> {
  const name = full?.trim().replace(/\s+/g, ' ');
  if (!name) return {};
  const cut = name.lastIndexOf(' ');
  const given = cut > 0 ? name.slice(0, cut) : name;
  const family = cut > 0 ? name.slice(cut + 1) : undefined;
  if (given.length > MAX_PERSON_NAME || (family?.length ?? 0) > MAX_PERSON_NAME) {
    throw invalid(`the AP contact name is longer than QuickBooks' ${MAX_PERSON_NAME} characters per name part`);
  }
  return family ? { GivenName: given, FamilyName: family } : { GivenName: given };
}

function address(a: CustomerDraft['address']): QboPhysicalAddress | undefined {
  if (!a) return undefined;
  return {
    Line1: a.line1,
    ...(a.line2 ? { Line2: a.line2 } : {}),
    City: a.city,
    ...(a.region ? { CountrySubDivisionCode: a.region } : {}),
    PostalCode: a.postalCode,
    Country: a.country,
  };
}

function notes(existing: string | undefined, ref: string): string {
  const text = withCustomerRef(existing, ref);
  if (text.length > MAX_NOTES) throw invalid(`customer notes would exceed QuickBooks' ${MAX_NOTES} characters`);
  return text;
}

/**
 * Our customer draft → the body of `POST /customer` that creates it. DisplayName and CompanyName are both the
 * legal name (DisplayName must be unique, which is what makes "match by name" meaningful); our external reference
 * goes into Notes (see notes-markers.ts); CurrencyRef is only settable on create.
 * @example customerDraftToQuickBooks(draft, { salesTermRef: { value: '3', name: 'Net 30' } })
 */
export function customerDraftToQuickBooks(
  draft: CustomerDraft,
  ctx: { salesTermRef?: QboRef } = {},
): QboCustomerCreate {
  const { name, ref } = checked(draft);
  const billAddr = address(draft.address);
  return {
    DisplayName: name,
    CompanyName: name,
    ...personName(draft.apContactName),
    ...(draft.email ? { PrimaryEmailAddr: { Address: draft.email.trim() } } : {}),
    ...(billAddr ? { BillAddr: billAddr } : {}),
    ...(ctx.salesTermRef ? { SalesTermRef: ctx.salesTermRef } : {}),
    CurrencyRef: { value: draft.currency },
    Notes: notes(undefined, ref),
  };
}

/**
 * Our customer draft → a sparse update of the customer as QuickBooks holds it now (Id + latest SyncToken), keeping
 * whatever people wrote in Notes. Refuses a currency change, which QuickBooks does not allow.
 * @example customerDraftToQuickBooksUpdate(current, draft, { salesTermRef })
 */
export function customerDraftToQuickBooksUpdate(
  current: QboCustomer,
  draft: CustomerDraft,
  ctx: { salesTermRef?: QboRef } = {},
): QboCustomerSparseUpdate {
  const { name, ref } = checked(draft);
  if (current.CurrencyRef && current.CurrencyRef.value !== draft.currency) {
    throw invalid(
      `QuickBooks cannot change a customer's currency (${current.CurrencyRef.value} → ${draft.currency}); create a separate customer for ${draft.currency}`,
    );
  }
  const billAddr = address(draft.address);
  return {
    Id: current.Id,
    SyncToken: current.SyncToken,
    sparse: true,
    DisplayName: name,
    CompanyName: name,
    ...personName(draft.apContactName),
    ...(draft.email ? { PrimaryEmailAddr: { Address: draft.email.trim() } } : {}),
    ...(billAddr ? { BillAddr: billAddr } : {}),
    ...(ctx.salesTermRef ? { SalesTermRef: ctx.salesTermRef } : {}),
    Notes: notes(current.Notes, ref),
  };
}
