/**
 * Xero's own shapes, named once. Accounting API shapes come from the types generated out of Xero's OpenAPI spec
 * (generated/accounting.ts), so a misspelt field name fails to compile. The identity (`/connections`, token) and
 * webhook shapes are small and live in other Xero specs (test/contracts/specs/xero/xero-identity.yaml,
 * xero-webhooks.yaml); they are written out here and the contract test holds them to those specs.
 */
import type { components } from './generated/accounting.js';

type Schemas = components['schemas'];

export type XeroContact = Schemas['Contact'];
export type XeroContacts = Schemas['Contacts'];
export type XeroInvoice = Schemas['Invoice'];
export type XeroInvoices = Schemas['Invoices'];
export type XeroLineItem = Schemas['LineItem'];
export type XeroAddress = Schemas['Address'];
export type XeroPayment = Schemas['Payment'];
export type XeroPaymentTerm = Schemas['PaymentTerm'];
/** One side of PaymentTerms (Sales or Bills): `{ Day, Type }`. Xero's spec calls the shape `Bill`. */
export type XeroTerms = Schemas['Bill'];
export type XeroPaymentTermType = Schemas['PaymentTermType'];
export type XeroLineAmountTypes = Schemas['LineAmountTypes'];
export type XeroCurrencyCode = Schemas['CurrencyCode'];
export type XeroInvoiceStatus = NonNullable<XeroInvoice['Status']>;
export type XeroError = Schemas['Error'];
export type XeroValidationError = Schemas['ValidationError'];
export type XeroPagination = Schemas['Pagination'];
export type XeroTaxRate = Schemas['TaxRate'];
export type XeroTaxRates = Schemas['TaxRates'];
export type XeroHistoryRecord = Schemas['HistoryRecord'];
export type XeroCreditNote = Schemas['CreditNote'];
export type XeroCreditNotes = Schemas['CreditNotes'];
export type XeroAccount = Schemas['Account'];
export type XeroAccounts = Schemas['Accounts'];
export type XeroHistoryRecords = Schemas['HistoryRecords'];

/** Fields Xero puts around every Accounting API response body; the spec's schemas leave them out. */
export interface XeroEnvelope {
  Id: string;
  Status: 'OK';
  ProviderName: string;
  DateTimeUTC: string;
}

/** `GET https://api.xero.com/connections` item (xero-identity.yaml `Connection`). */
export interface XeroConnection {
  id: string;
  tenantId: string;
  authEventId?: string;
  tenantType: string;
  tenantName?: string;
  createdDateUtc?: string;
  updatedDateUtc?: string;
}

/** Token endpoint answer (xero-identity.yaml `AccessToken`, plus `scope` which Xero also returns). */
export interface XeroTokenResponse {
  id_token?: string;
  access_token: string;
  expires_in: number;
  token_type: string;
  refresh_token?: string;
  scope?: string;
}

/** One webhook event (xero-webhooks.yaml `WebhookEvent.events[]`). */
export interface XeroWebhookEventItem {
  resourceUrl: string;
  resourceId: string;
  eventDateUtc: string;
  eventType: 'CREATE' | 'UPDATE';
  eventCategory: 'CONTACT' | 'INVOICE' | 'SUBSCRIPTION' | 'CREDITNOTE';
  tenantId: string;
  tenantType: 'ORGANISATION' | 'APPLICATION';
}

/** A webhook delivery body (xero-webhooks.yaml `WebhookEvent`). The intent-to-receive probe has no events. */
export interface XeroWebhookPayload {
  events: XeroWebhookEventItem[];
  firstEventSequence: number;
  lastEventSequence: number;
  entropy: string;
}
