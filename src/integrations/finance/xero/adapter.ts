/**
 * The Xero adapter of the FinanceSystem port, over Xero's Accounting API with plain fetch.
 *
 * - Every call names the organisation with `xero-tenant-id`; every POST/PUT carries an `Idempotency-Key` (Xero
 *   accepts up to 128 characters; longer keys are replaced by their SHA-256, which is as deterministic), so a retried
 *   create returns the first answer instead of creating twice.
 * - Writes ask `summarizeErrors=true`, so a validation problem comes back as HTTP 400 rather than a 200 holding a
 *   half-failed batch.
 * - Contacts are matched by stored id, then ContactNumber (our external reference, exact `where` filter), then billing
 *   email, then legal name (Xero's case-insensitive `searchTerm`, then an exact comparison here). Two contacts
 *   matching one email or name is a conflict a person must settle; we never pick one silently.
 * - Invoice lists are paged (100 a page) with `If-Modified-Since` for the reconciliation sweep. A customer's list is
 *   read without `summaryOnly`, so each invoice carries its LineItems for manual-correction detection at no extra
 *   call; the sweep's "changed since" list and the lookup by reference use `summaryOnly=true` (cheaper for Xero).
 * Rate limiting and retries are not done here: the job layer holds the per-tenant budget and retries
 * FinanceErrors whose `retryable` is true, waiting `retryAfterMs` when Xero says so.
 */
import { createHash } from 'node:crypto';
import type { BooksTaxSetup, FinanceCapabilities } from '../../../billing/capabilities.js';
import { XERO_CAPABILITIES } from '../../../billing/vendor-capabilities.js';
import type { InvoiceSnapshot } from '../../../receivables/invoice.js';
import type { CreatedInvoice, CustomerDraft, FinanceCustomer, FinanceSystem, InvoiceDraft } from '../port.js';
import { FinanceError } from '../port.js';
import { customerDraftToXero } from './customer-draft-to-xero.js';
import { invoiceDraftToXero, type XeroInvoiceSettings } from './invoice-draft-to-xero.js';
import { xeroContactUrl } from './links.js';
import { parseXeroError } from './parse-xero-error.js';
import { paymentTermsToXero } from './payment-terms-to-xero.js';
import type {
  XeroAccounts,
  XeroContact,
  XeroContacts,
  XeroCreditNotes,
  XeroHistoryRecords,
  XeroInvoice,
  XeroInvoices,
  XeroTaxRates,
} from './types.js';
import { xeroContactToCustomer } from './xero-contact-to-customer.js';
import { xeroChangedBy } from './xero-history.js';
import { xeroInvoiceToCreated, xeroInvoiceToSnapshot } from './xero-invoice-to-snapshot.js';
import { xeroTaxRatesToTaxSetup } from './xero-tax-rates-to-tax-setup.js';
import { isXeroWriteOff, xeroBadDebtAccountCodes } from './xero-write-offs.js';

export const XERO_API_URL = 'https://api.xero.com/api.xro/2.0';

/** Xero pages hold up to 100 records unless pageSize says otherwise; 100 keeps each answer small. */
const PAGE_SIZE = 100;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface XeroFinanceSystemOptions extends XeroInvoiceSettings {
  /** The organisation (from GET /connections). */
  tenantId: string;
  /** Returns a valid access token; refreshing (single-flight, rotating refresh tokens) is the caller's job. */
  accessToken: () => Promise<string>;
  /** Default https://api.xero.com/api.xro/2.0; the demo points it at the sandbox served on 127.0.0.1. */
  baseUrl?: string;
  /** Default: the global fetch, looked up on every call (so msw in tests sees it). */
  fetch?: (input: URL, init: RequestInit) => Promise<Response>;
  /** The organisation's short code, for deep links that open the right organisation. */
  shortCode?: string;
  capabilities?: FinanceCapabilities;
}

interface CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  idempotencyKey?: string;
  ifModifiedSince?: Date;
}

/**
 * Xero takes Idempotency-Key values of up to 128 characters; a longer key is replaced by its SHA-256 (hex), which
 * keeps the same key mapping to the same value on every retry.
 * @example xeroIdempotencyKey('setup-1:customer') // 'setup-1:customer'
 */
export function xeroIdempotencyKey(key: string): string {
  if (!key) throw new FinanceError('xero', 'validation', 'an idempotency key is required for every Xero write');
  return key.length <= 128 ? key : createHash('sha256').update(key).digest('hex');
}

function quoted(value: string, what: string): string {
  // Xero's where filter is a C#-style expression; we refuse rather than guess its escaping rules.
  if (/["\\]/.test(value)) throw new FinanceError('xero', 'validation', `${what} "${value}" must not contain " or \\`);
  return `"${value}"`;
}

function same(a: string | undefined, b: string): boolean {
  return a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Xero answers 200 with per-element errors when summarizeErrors is false; treat such an element as a failure. */
function checkElement<T extends { ValidationErrors?: { Message?: string }[]; HasValidationErrors?: boolean }>(
  element: T | undefined,
  what: string,
): T {
  if (!element) throw new FinanceError('xero', 'unknown', `Xero returned no ${what}`);
  const messages = (element.ValidationErrors ?? []).map((v) => v.Message).filter((m): m is string => !!m);
  if (element.HasValidationErrors || messages.length > 0) {
    throw new FinanceError('xero', 'validation', messages.join('; ') || `Xero refused the ${what}`);
  }
  return element;
}

/** Whether each allocated credit note (by tenant and id) writes bad debt off; bounded, oldest forgotten first. */
const creditNoteVerdicts = new Map<string, boolean>();
const MAX_VERDICTS = 10_000;

function rememberVerdict(key: string, writeOff: boolean): void {
  if (creditNoteVerdicts.size >= MAX_VERDICTS) {
    const oldest = creditNoteVerdicts.keys().next().value;
    if (oldest !== undefined) creditNoteVerdicts.delete(oldest);
  }
  creditNoteVerdicts.set(key, writeOff);
}

/**
 * The Xero FinanceSystem for one connected organisation.
 * @example const xero = createXeroFinanceSystem({ tenantId, accessToken: () => tokens.xero(portalId), salesAccountCode: '200' });
 */
export function createXeroFinanceSystem(options: XeroFinanceSystemOptions): FinanceSystem {
  const base = (options.baseUrl ?? XERO_API_URL).replace(/\/$/, '');
  const doFetch = options.fetch ?? ((input: URL, init: RequestInit) => globalThis.fetch(input, init));
  const links = { shortCode: options.shortCode };

  let taxSetup: Promise<BooksTaxSetup> | undefined;
  /** The organisation's tax rates, read once per adapter (a billing run). */
  function loadTaxSetup(): Promise<BooksTaxSetup> {
    taxSetup ??= call<XeroTaxRates>('GET', '/TaxRates')
      .then((res) => xeroTaxRatesToTaxSetup(res.TaxRates ?? []))
      .catch((e: unknown) => {
        taxSetup = undefined;
        throw e;
      });
    return taxSetup;
  }

  async function call<T>(method: 'GET' | 'PUT' | 'POST', path: string, opts: CallOptions = {}): Promise<T> {
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers = new Headers({
      accept: 'application/json',
      authorization: `Bearer ${await options.accessToken()}`,
      'xero-tenant-id': options.tenantId,
    });
    if (opts.body !== undefined) headers.set('content-type', 'application/json');
    if (method !== 'GET') headers.set('idempotency-key', xeroIdempotencyKey(opts.idempotencyKey ?? ''));
    if (opts.ifModifiedSince) headers.set('if-modified-since', opts.ifModifiedSince.toISOString());
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch (e) {
      throw parseXeroError(e);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (Xero's gateway sometimes answers text or HTML); keep the text for the message.
    }
    if (res.status === 304) return {} as T;
    if (!res.ok) throw parseXeroError({ status: res.status, headers: res.headers, body });
    return body as T;
  }

  async function getContact(id: string): Promise<XeroContact | null> {
    // GET /Contacts/{x} reads x as a ContactNumber when it is not a GUID; a stored id is always a GUID.
    if (!GUID.test(id)) return null;
    try {
      const res = await call<XeroContacts>('GET', `/Contacts/${encodeURIComponent(id)}`);
      return res.Contacts?.[0] ?? null;
    } catch (e) {
      if (e instanceof FinanceError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  async function listContacts(query: CallOptions['query'], keep: (c: XeroContact) => boolean): Promise<XeroContact[]> {
    const found: XeroContact[] = [];
    for (let page = 1; ; page++) {
      const res = await call<XeroContacts>('GET', '/Contacts', { query: { ...query, page, pageSize: PAGE_SIZE } });
      const contacts = res.Contacts ?? [];
      found.push(...contacts.filter(keep));
      if (contacts.length < PAGE_SIZE) return found;
    }
  }

  function one(matches: XeroContact[], what: string, value: string): FinanceCustomer | null {
    if (matches.length === 0) return null;
    if (matches.length > 1) {
      const ids = matches.map((c) => c.ContactID).join(', ');
      throw new FinanceError(
        'xero',
        'conflict',
        `${matches.length} Xero contacts have the ${what} "${value}" (${ids}); link the right one by hand`,
      );
    }
    return xeroContactToCustomer(matches[0] as XeroContact, links);
  }

  async function writeContact(method: 'PUT' | 'POST', path: string, contact: XeroContact, key: string) {
    const res = await call<XeroContacts>(method, path, {
      query: { summarizeErrors: true },
      body: { Contacts: [contact] } satisfies XeroContacts,
      idempotencyKey: key,
    });
    return xeroContactToCustomer(checkElement(res.Contacts?.[0], 'contact'), links);
  }

  async function listInvoicePages(
    query: CallOptions['query'],
    ifModifiedSince: Date | undefined,
    withLines: boolean,
  ): Promise<XeroInvoice[]> {
    const all: XeroInvoice[] = [];
    for (let page = 1; ; page++) {
      // Paged reads carry each invoice's LineItems unless summaryOnly drops them: same call count, bigger pages.
      const res = await call<XeroInvoices>('GET', '/Invoices', {
        query: { ...query, ...(withLines ? {} : { summaryOnly: true }), page, pageSize: PAGE_SIZE },
        ifModifiedSince,
      });
      const invoices = res.Invoices ?? [];
      all.push(...invoices);
      if (invoices.length < PAGE_SIZE) return all;
    }
  }

  let badDebtAccounts: Promise<Set<string>> | undefined;

  /**
   * The credit notes allocated to these invoices that write bad debt off (their lines post to a bad-debt account).
   * Only a settled invoice (PAID) with credit on it can read as written off, so only its credit notes are looked
   * at: the chart once per adapter, each credit note once per process (they do not change once allocated).
   */
  async function writeOffsAmong(invoices: ReadonlyArray<XeroInvoice>): Promise<Set<string>> {
    const ids = new Set(
      invoices
        .filter((i) => i.Status === 'PAID' && (i.AmountCredited ?? 0) > 0)
        .flatMap((i) => (i.CreditNotes ?? []).map((c) => c.CreditNoteID ?? ''))
        .filter(Boolean),
    );
    const found = new Set<string>();
    if (ids.size === 0) return found;
    badDebtAccounts ??= call<XeroAccounts>('GET', '/Accounts').then((r) => xeroBadDebtAccountCodes(r.Accounts ?? []));
    badDebtAccounts.catch(() => {
      badDebtAccounts = undefined;
    });
    const codes = await badDebtAccounts;
    if (codes.size === 0) return found;
    for (const id of ids) {
      const key = `${options.tenantId}:${id}`;
      let writeOff = creditNoteVerdicts.get(key);
      if (writeOff === undefined) {
        const res = await call<XeroCreditNotes>('GET', `/CreditNotes/${encodeURIComponent(id)}`);
        const note = res.CreditNotes?.[0];
        writeOff = note ? isXeroWriteOff(note, codes) : false;
        if (note) rememberVerdict(key, writeOff);
      }
      if (writeOff) found.add(id);
    }
    return found;
  }

  return {
    id: 'xero',
    capabilities: options.capabilities ?? XERO_CAPABILITIES,

    async whoChanged(record, at) {
      const collection = record.kind === 'customer' ? 'Contacts' : 'Invoices';
      if (!GUID.test(record.id)) return null;
      const res = await call<XeroHistoryRecords>('GET', `/${collection}/${encodeURIComponent(record.id)}/History`);
      return xeroChangedBy(res.HistoryRecords ?? [], at);
    },

    async findCustomer(query) {
      if (query.id) {
        const byId = await getContact(query.id);
        if (byId) return xeroContactToCustomer(byId, links);
      }
      if (query.externalRef) {
        const ref = query.externalRef;
        const matches = await listContacts(
          { where: `ContactNumber==${quoted(ref, 'external reference')}` },
          (c) => c.ContactNumber === ref,
        );
        const found = one(matches, 'contact number', ref);
        if (found) return found;
      }
      if (query.email) {
        const email = query.email;
        const found = one(
          await listContacts({ searchTerm: email }, (c) => same(c.EmailAddress, email)),
          'email',
          email,
        );
        if (found) return found;
      }
      if (query.legalName) {
        const name = query.legalName;
        const found = one(await listContacts({ searchTerm: name }, (c) => same(c.Name, name)), 'name', name);
        if (found) return found;
      }
      return null;
    },

    // async: a draft the mapper refuses rejects the promise instead of throwing at the call.
    async createCustomer(draft: CustomerDraft, idempotencyKey: string) {
      return writeContact('PUT', '/Contacts', customerDraftToXero(draft), idempotencyKey);
    },

    async updateCustomer(id: string, draft: CustomerDraft, idempotencyKey: string) {
      const path = `/Contacts/${encodeURIComponent(id)}`;
      return writeContact('POST', path, { ...customerDraftToXero(draft), ContactID: id }, idempotencyKey);
    },

    async ensurePaymentTerms(code: string) {
      // Xero keeps terms on the contact (PaymentTerms.Sales), not as an entity: nothing to create, only to check.
      paymentTermsToXero(code);
      return {};
    },

    async createInvoice(draft: InvoiceDraft, idempotencyKey: string): Promise<CreatedInvoice> {
      // Lines with tax are checked against the organisation's rates before anything is written.
      const tax = draft.lines.some((l) => l.tax) ? await loadTaxSetup() : undefined;
      const res = await call<XeroInvoices>('PUT', '/Invoices', {
        query: { summarizeErrors: true },
        body: { Invoices: [invoiceDraftToXero(draft, { ...options, ...(tax ? { tax } : {}) })] } satisfies XeroInvoices,
        idempotencyKey,
      });
      return xeroInvoiceToCreated(checkElement(res.Invoices?.[0], 'invoice'), links);
    },

    taxSetup() {
      return loadTaxSetup();
    },

    async findInvoiceByReference(customerId: string, reference: string) {
      if (reference.includes(',')) return null;
      const res = await call<XeroInvoices>('GET', '/Invoices', {
        query: { InvoiceNumbers: reference, ContactIDs: customerId, summaryOnly: true, page: 1 },
      });
      const match = (res.Invoices ?? []).find(
        (inv) => inv.InvoiceNumber === reference && inv.Contact?.ContactID === customerId,
      );
      return match ? xeroInvoiceToCreated(match, links) : null;
    },

    async listInvoices(query): Promise<InvoiceSnapshot[]> {
      const invoices = await listInvoicePages(
        { where: 'Type=="ACCREC"', ContactIDs: query.customerId },
        query.changedSince,
        query.customerId !== undefined,
      );
      const writeOffs = await writeOffsAmong(invoices);
      return invoices.map((inv) => xeroInvoiceToSnapshot(inv, { ...links, writeOffs }));
    },

    customerUrl(customerId: string) {
      return xeroContactUrl(customerId, options.shortCode);
    },
  };
}
