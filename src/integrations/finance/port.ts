/**
 * The FinanceSystem port: the one interface the sync engine uses for QuickBooks Online, Xero and Stripe.
 * Only domain types cross it (Money, CalendarDay, payment-terms codes, InvoiceSnapshot); vendor shapes stay in
 * src/integrations/finance/<vendor>/.
 *
 * Why invoices generated from our schedule rather than each vendor's recurring feature: the schedule is computed
 * once, in the core, with exact sums, ramps and proration; QuickBooks cannot hold drafts (we create each invoice on
 * its date or trigger), Xero takes DRAFT invoices ahead of time, Stripe takes draft invoices that we finalise.
 */
import type { BooksTaxSetup, FinanceCapabilities } from '../../billing/capabilities.js';
import type { TaxTreatment } from '../../billing/tax.js';
import type { CalendarDay } from '../../core/dates.js';
import type { Money } from '../../core/money.js';
import type { InvoiceSnapshot } from '../../receivables/invoice.js';

export type FinanceSystemId = 'quickbooks' | 'xero' | 'stripe';

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/**
 * A vendor's address parts (already read from its own field names) as our PostalAddress: trimmed, empty parts
 * left out, undefined when there is no street or city to send an invoice to.
 * @example postalAddress({ line1: ' 1 Main St ', city: 'Leeds', postalCode: 'LS1', country: 'GB' })?.line1 // '1 Main St'
 */
export function postalAddress(parts: {
  line1?: string | undefined;
  line2?: string | undefined;
  city?: string | undefined;
  region?: string | undefined;
  postalCode?: string | undefined;
  country?: string | undefined;
}): PostalAddress | undefined {
  const t = (v: string | undefined) => v?.trim() || undefined;
  const line1 = t(parts.line1);
  const city = t(parts.city);
  if (!line1 || !city) return undefined;
  const line2 = t(parts.line2);
  const region = t(parts.region);
  return {
    line1,
    ...(line2 ? { line2 } : {}),
    city,
    ...(region ? { region } : {}),
    postalCode: t(parts.postalCode) ?? '',
    country: t(parts.country) ?? '',
  };
}

/** What we know of a customer when we create or update it in the finance system. */
export interface CustomerDraft {
  legalName: string;
  /** Billing / accounts-payable email. */
  email?: string;
  apContactName?: string;
  address?: PostalAddress;
  currency: string;
  /** Payment-terms code (src/billing/payment-terms.ts), e.g. `net_30`. */
  paymentTerms: string;
  /** Our reference, e.g. `hs-company-123`: Xero ContactNumber, Stripe metadata, QuickBooks a note/ref field. */
  externalRef: string;
}

export interface FinanceCustomer {
  id: string;
  legalName: string;
  email?: string;
  externalRef?: string;
  paymentTerms?: string;
  currency?: string;
  /** The billing address, where the vendor holds one (manual-correction detection compares it). */
  address?: PostalAddress;
  /** When the vendor last changed the record, where it says (Xero UpdatedDateUTC, QuickBooks MetaData). */
  updatedAt?: Date;
  /** Who changed it last, where the vendor says. */
  updatedBy?: string;
  /** Deep link into the finance system's UI. */
  url: string;
}

export interface InvoiceLineDraft {
  description: string;
  quantity: number;
  unitAmount: Money;
  /** quantity × unitAmount, exact; negative for a discount line. */
  amount: Money;
  /** The line's tax treatment (its code as the books name it); none: untaxed, or the system's default. */
  tax?: TaxTreatment;
  periodStart?: CalendarDay;
  periodEnd?: CalendarDay;
}

export interface InvoiceDraft {
  customerId: string;
  /** Our deterministic reference for the invoice (setup + schedule key). Stored on the vendor's invoice so that a
   * crashed sync can find what it already created. */
  reference: string;
  issueDate: CalendarDay;
  dueDate: CalendarDay;
  currency: string;
  paymentTerms: string;
  poNumber?: string;
  lines: InvoiceLineDraft[];
  /** 'draft': Xero DRAFT / Stripe draft; 'issued': posted and sent for payment. QuickBooks only has 'issued'. */
  status: 'draft' | 'issued';
  memo?: string;
  /** The estimate this invoice converts (QuickBooks: Invoice.LinkedTxn; the estimate is closed by the conversion). */
  estimateId?: string;
}

/**
 * A scheduled invoice shown ahead in the finance system as an estimate (QuickBooks Estimate: non-posting, so
 * accounts receivable is untouched until the invoice is created from it). Same lines and reference as the invoice.
 */
export interface EstimateDraft {
  customerId: string;
  /** The invoice's reference (setup + schedule key), kept on the estimate so a crashed sync finds it. */
  reference: string;
  /** The day the estimate is made. */
  date: CalendarDay;
  /** The invoice's planned issue date, when it has one (a triggered invoice has none until its trigger). */
  expirationDate?: CalendarDay;
  currency: string;
  paymentTerms: string;
  poNumber?: string;
  lines: InvoiceLineDraft[];
  memo?: string;
}

export interface CreatedEstimate {
  id: string;
  number?: string;
  url: string;
  /** open: pending or accepted; closed: converted into an invoice (or closed by hand); rejected. */
  status: 'open' | 'closed' | 'rejected';
  total: Money;
  /** The invoice it was converted into, once converted (by us, or by a person in the finance system). */
  invoiceId?: string;
}

export interface CreatedInvoice {
  id: string;
  number?: string;
  url: string;
  status: InvoiceSnapshot['status'];
  total: Money;
}

/** A finance webhook event reduced to what the sync engine needs. */
export interface FinanceWebhookEvent {
  /** Vendor event id (dedupe key, with the tenant). */
  eventId: string;
  tenantId: string;
  entity: 'invoice' | 'payment' | 'customer' | 'credit_note' | 'other';
  entityId: string;
  action: string;
  occurredAt: Date;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** When the access token stops working. */
  expiresAt: Date;
  /** When the refresh token stops working, where the vendor says. */
  refreshExpiresAt?: Date;
  /** QuickBooks realm id / Xero tenant id / Stripe account id. */
  tenantId?: string;
}

/** The kinds every vendor error is mapped onto (by a `parse-<vendor>-error` function), so retry policy lives in one place. */
export type FinanceErrorKind =
  | 'temporary'
  | 'rate_limited'
  | 'auth'
  | 'not_found'
  | 'validation'
  | 'conflict'
  | 'unknown';

export class FinanceError extends Error {
  readonly kind: FinanceErrorKind;
  readonly system: FinanceSystemId;
  /** Milliseconds the vendor asked us to wait (Retry-After), for rate_limited. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  /** The vendor's own message, shown to finance people on the deal and in the admin page. */
  readonly vendorMessage: string;

  constructor(
    system: FinanceSystemId,
    kind: FinanceErrorKind,
    vendorMessage: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`${system}: ${vendorMessage}`, { cause: options.cause });
    this.name = 'FinanceError';
    this.system = system;
    this.kind = kind;
    this.vendorMessage = vendorMessage;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether trying again later can succeed. */
  get retryable(): boolean {
    return this.kind === 'temporary' || this.kind === 'rate_limited';
  }
}

/** One connected finance system, already authorised (the adapter is built with a token getter). */
export interface FinanceSystem {
  readonly id: FinanceSystemId;
  readonly capabilities: FinanceCapabilities;
  /** Finds a customer: by id when given, else by our external reference, else exact billing email, else exact legal name. */
  findCustomer(query: {
    id?: string;
    externalRef?: string;
    email?: string;
    legalName?: string;
  }): Promise<FinanceCustomer | null>;
  createCustomer(draft: CustomerDraft, idempotencyKey: string): Promise<FinanceCustomer>;
  updateCustomer(id: string, draft: CustomerDraft, idempotencyKey: string): Promise<FinanceCustomer>;
  /** Makes sure the vendor can express the terms (QuickBooks: a Term entity); returns the vendor's terms id if any. */
  ensurePaymentTerms(code: string, idempotencyKey: string): Promise<{ vendorTermsId?: string }>;
  createInvoice(draft: InvoiceDraft, idempotencyKey: string): Promise<CreatedInvoice>;
  /** The invoice we created with this reference, if any (crash recovery when the vendor has no idempotency replay). */
  findInvoiceByReference(customerId: string, reference: string): Promise<CreatedInvoice | null>;
  /** Invoices of one customer, or of every customer changed since a time (reconciliation sweep). */
  listInvoices(query: { customerId?: string; changedSince?: Date }): Promise<InvoiceSnapshot[]>;
  customerUrl(customerId: string): string;
  /** The books' tax setup (codes and rates, US automated sales tax, rounding), read from the connected account. */
  taxSetup?(): Promise<BooksTaxSetup>;
  /**
   * Who last changed a customer or an invoice there at or before `at`, where the system keeps that (Xero's History;
   * QuickBooks and Stripe do not say). null when unknown. One call; for manual corrections only.
   */
  whoChanged?(record: { kind: 'customer' | 'invoice'; id: string }, at: Date | null): Promise<string | null>;
  /** Systems with estimates (QuickBooks only): a held invoice shown ahead as a non-posting estimate. */
  createEstimate?(draft: EstimateDraft, idempotencyKey: string): Promise<CreatedEstimate>;
  /** The estimate we created with this reference, if any (crash recovery). */
  findEstimateByReference?(customerId: string, reference: string): Promise<CreatedEstimate | null>;
  /** Removes an estimate whose invoice was cancelled; an estimate already gone is not an error. */
  deleteEstimate?(estimateId: string, idempotencyKey: string): Promise<void>;
}

/** Verifies and parses a vendor's webhook deliveries. */
export interface FinanceWebhookVerifier {
  /** True only for a correct signature over the exact raw body. */
  verify(headers: Record<string, string | undefined>, rawBody: Buffer, now?: Date): boolean;
  parse(rawBody: Buffer): FinanceWebhookEvent[];
}

/** OAuth for QuickBooks and Xero (Stripe uses API keys). */
export interface FinanceOAuth {
  authorizeUrl(state: string): string;
  exchangeCode(code: string, extra?: Record<string, string>): Promise<TokenSet>;
  /** Rotating refresh: the returned refresh token replaces the old one, which may no longer work. */
  refresh(refreshToken: string): Promise<TokenSet>;
}
