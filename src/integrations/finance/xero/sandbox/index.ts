/**
 * An in-memory Xero: the Accounting API endpoints the adapter uses (Contacts, Invoices), the identity endpoints
 * (`POST /connect/token`, `GET /connections`) and signed webhook deliveries. One function from Request to Response
 * (SandboxHandler): tests reach it through msw, the demo over loopback HTTP (serveSandbox).
 *
 * Honest where it matters to us:
 * - bodies shaped as Xero's spec says (the contract test validates every body against it), dates in Xero's
 *   `/Date(ms+0000)/` form with the `DateString` twins, amounts as decimal numbers computed exactly;
 * - bearer tokens checked (401), `xero-tenant-id` checked against the token's connections (403);
 * - `Idempotency-Key` on PUT/POST: a repeat returns the first 2xx answer and changes nothing;
 * - per tenant 60 calls/minute, 5,000/day and 5 at a time, answered with 429 + Retry-After and
 *   X-Rate-Limit-Problem; every answer carries X-MinLimit-Remaining / X-DayLimit-Remaining / X-AppMinLimit-Remaining
 *   (limits configurable so tests can lower them; `latencyMs` makes concurrent calls overlap);
 * - validation as Xero does it for the cases we hit: unique contact names among active contacts, unique invoice
 *   numbers, an account code from the chart on every line of an approved invoice, a non-negative total;
 * - rotating single-use refresh tokens, 30-minute access tokens, 5-minute authorisation codes;
 * - deterministic ids (counters), a settable clock.
 * - the organisation's TaxRates (GET /TaxRates): a line's TaxType must be an ACTIVE rate that applies to revenue;
 *   tax is worked out on each line and rounded there (half away from zero), LineAmountTypes Exclusive adds it,
 *   Inclusive takes it out of the line amount, NoTax charges none; TotalTax and Total follow;
 * Not modelled: multi-currency rates, items, credit notes, attachments, compound tax components.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { PaymentTermsCode } from '../../../../billing/payment-terms.js';
import { type CalendarDay, endOfMonthDay, formatDay, parseDay, plusDays, plusMonths } from '../../../../core/dates.js';
import { currencyExponent } from '../../../../core/money.js';
import { json, type SandboxHandler } from '../../../sandbox/transport.js';
import { toXeroMsDate } from '../dates.js';
import { XERO_NO_TAX_RATES } from '../fixtures.js';
import { paymentTermsToXero } from '../payment-terms-to-xero.js';
import type {
  XeroAddress,
  XeroConnection,
  XeroContact,
  XeroContacts,
  XeroCurrencyCode,
  XeroEnvelope,
  XeroError,
  XeroHistoryRecord,
  XeroInvoice,
  XeroInvoiceStatus,
  XeroInvoices,
  XeroLineItem,
  XeroPayment,
  XeroTaxRate,
  XeroTerms,
  XeroTokenResponse,
  XeroWebhookEventItem,
  XeroWebhookPayload,
} from '../types.js';
import { divideRounded, roundDrop, scaled, unscaled } from './decimal.js';
import { SlidingWindow } from './limits.js';
import { compileWhere, WhereParseError } from './where.js';

export interface XeroSandboxLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  /** Per app across all tenants (Xero: 10,000/min). */
  appPerMinute: number;
}

export interface XeroSandboxOptions {
  /** Organisations; default one, "Sandbox Company (US)". */
  tenants?: Array<{ tenantId: string; name: string; shortCode?: string; baseCurrency?: string }>;
  /** A token valid for every tenant that never expires, for tests and the demo that skip OAuth. */
  accessToken?: string;
  clientId?: string;
  clientSecret?: string;
  webhookKey?: string;
  limits?: Partial<XeroSandboxLimits>;
  /** Each accounting call takes this long, so parallel calls overlap (to exercise the concurrency limit). */
  latencyMs?: number;
  now?: () => Date;
  /** How long a used refresh token keeps working (Xero: a short grace window). Default 0: single use, strictly. */
  refreshGraceMs?: number;
  /** The chart's revenue account codes lines may use. */
  accountCodes?: string[];
  /** The expense account a write-off's credit note goes to (in the chart as "Bad Debts"). */
  badDebtAccountCode?: string;
  /** The organisations' tax rates (default: NONE "No VAT" at 0%; see fixtures XERO_UK_TAX_RATES). */
  taxRates?: XeroTaxRate[];
  /** Who the History of a record names for changes made through the API (Xero names the connected app). */
  appName?: string;
  /** Who the History names for changes made by hand in the sandbox (its helpers), unless the helper says. */
  personName?: string;
}

/** One request the sandbox answered, for assertions and the contract test. */
export interface XeroSandboxCall {
  operation: string;
  method: string;
  path: string;
  query: Record<string, string>;
  tenantId?: string;
  idempotencyKey?: string;
  ifModifiedSince?: string;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
  replayed?: boolean;
}

export interface XeroWebhookDelivery {
  headers: { 'x-xero-signature': string; 'content-type': 'application/json' };
  body: Buffer;
  payload: XeroWebhookPayload;
}

interface StoredContact {
  contact: XeroContact;
  updatedAt: Date;
}

interface StoredLine {
  item: XeroLineItem;
  /** Line amount in 10^-exponent units. */
  amount: bigint;
  /** The line's tax, rounded on the line (Xero's line-level rounding), in the same units. */
  tax?: bigint;
}

/** What the customer owes for an invoice's lines: their amounts, plus the tax when it is added on top. */
function linesTotal(inv: { lineAmountTypes: string; lines: StoredLine[] }): bigint {
  const amounts = inv.lines.reduce((s, l) => s + l.amount, 0n);
  return inv.lineAmountTypes === 'Exclusive' ? amounts + inv.lines.reduce((s, l) => s + (l.tax ?? 0n), 0n) : amounts;
}

interface StoredPayment {
  id: string;
  on: CalendarDay;
  amount: bigint;
}

/** A sales credit note allocated to one invoice (how Xero records credits and bad-debt write-offs). */
interface StoredCredit {
  id: string;
  number: string;
  on: CalendarDay;
  amount: bigint;
  accountCode: string;
  description: string;
}

interface StoredInvoice {
  id: string;
  tenantId: string;
  number: string;
  reference?: string;
  contactId: string;
  status: XeroInvoiceStatus;
  date: CalendarDay;
  dueDate?: CalendarDay;
  currency: string;
  lineAmountTypes: NonNullable<XeroInvoice['LineAmountTypes']>;
  lines: StoredLine[];
  payments: StoredPayment[];
  credits: StoredCredit[];
  fullyPaidOn?: CalendarDay;
  updatedAt: Date;
  url?: string;
}

interface Org {
  tenantId: string;
  name: string;
  shortCode: string;
  baseCurrency: string;
  contacts: Map<string, StoredContact>;
  invoices: Map<string, StoredInvoice>;
  /** History and notes of each contact and invoice, by lower-case id, oldest first. */
  history: Map<string, XeroHistoryRecord[]>;
  invoiceSequence: number;
  idempotency: Map<string, Promise<{ operation: string; status: number; body: unknown }>>;
  minute: SlidingWindow;
  day: SlidingWindow;
  inFlight: number;
}

interface Grant {
  authEventId: string;
  tenantIds: string[];
  scope: string;
}

interface AccessSession {
  grant: Grant | 'all';
  expiresAt: number;
}

const DEFAULT_TENANT = '7a5f1c1e-0000-4000-8000-00000000a001';
const PROVIDER = 'Revenue Handoff (sandbox)';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTACT_FIELDS = [
  'ContactID',
  'ContactNumber',
  'AccountNumber',
  'ContactStatus',
  'Name',
  'FirstName',
  'LastName',
  'EmailAddress',
  'IsCustomer',
  'IsSupplier',
  'DefaultCurrency',
];
const INVOICE_FIELDS = [
  'InvoiceID',
  'InvoiceNumber',
  'Reference',
  'Type',
  'Status',
  'Contact.ContactID',
  'Contact.Name',
  'Contact.ContactNumber',
  'CurrencyCode',
  'AmountDue',
  'AmountPaid',
  'Total',
  'SubTotal',
];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : `HTTP ${status}`);
  }
}

function validationError(elements: unknown[]): HttpError {
  const body: XeroError = {
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: elements as XeroError['Elements'],
  };
  return new HttpError(400, body);
}

function problem(status: 401 | 403, title: string, detail: string): HttpError {
  return new HttpError(status, { Type: null, Title: title, Status: status, Detail: detail, Extensions: {} });
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function isoNoZone(d: Date): string {
  return d.toISOString().replace(/Z$/, '');
}

/** Xero writes DateString as midnight of the day, no zone. */
function dateString(day: CalendarDay): string {
  return `${day}T00:00:00`;
}

/** The due date Xero derives from a contact's sales terms when an invoice gives none. */
function dueFromTerms(date: CalendarDay, terms: XeroTerms): CalendarDay | undefined {
  const day = terms.Day ?? 0;
  const firstOf = (d: CalendarDay) => `${d.slice(0, 8)}01`;
  const dayOfMonth = (monthStart: CalendarDay) => {
    const last = endOfMonthDay(monthStart);
    return `${monthStart.slice(0, 8)}${String(Math.min(Math.max(day, 1), Number(last.slice(8)))).padStart(2, '0')}`;
  };
  switch (terms.Type) {
    case 'DAYSAFTERBILLDATE':
      return plusDays(date, day);
    case 'DAYSAFTERBILLMONTH':
      return plusDays(endOfMonthDay(date), day);
    case 'OFCURRENTMONTH':
      return dayOfMonth(firstOf(date));
    case 'OFFOLLOWINGMONTH':
      return dayOfMonth(plusMonths(firstOf(date), 1));
    default:
      return undefined;
  }
}

/**
 * A fresh in-memory Xero.
 * @example const xero = createXeroSandbox(); mockVendors({ 'https://api.xero.com': xero.handle, 'https://identity.xero.com': xero.handle })
 */
export function createXeroSandbox(options: XeroSandboxOptions = {}) {
  const now = options.now ?? (() => new Date());
  const limits: XeroSandboxLimits = {
    perMinute: 60,
    perDay: 5000,
    concurrent: 5,
    appPerMinute: 10_000,
    ...options.limits,
  };
  const clientId = options.clientId ?? 'XERO-SANDBOX-CLIENT-ID';
  const clientSecret = options.clientSecret ?? 'xero-sandbox-client-secret';
  const webhookKey = options.webhookKey ?? 'xero-sandbox-webhook-key';
  const accessToken = options.accessToken ?? 'xero-sandbox-access-token';
  const accountCodes = options.accountCodes ?? ['200', '260'];
  const badDebtAccountCode = options.badDebtAccountCode ?? '480';
  /** The chart of accounts GET /Accounts answers: the revenue codes lines may use and the bad-debt expense account. */
  const chart = [
    ...accountCodes.map((Code, i) => ({ Code, Name: i === 0 ? 'Sales' : `Other Revenue ${Code}`, Type: 'REVENUE' })),
    { Code: badDebtAccountCode, Name: 'Bad Debts', Type: 'EXPENSE' },
  ];
  const taxRates = structuredClone(options.taxRates ?? XERO_NO_TAX_RATES);
  const latencyMs = options.latencyMs ?? 0;
  const appName = options.appName ?? 'Revenue Handoff';
  const personName = options.personName ?? 'Jamie Rivera';

  let counter = 0;
  const nextId = (prefix: string) => `${prefix}-0000-4000-8000-${hex(++counter, 12)}`;

  const orgs = new Map<string, Org>();
  for (const t of options.tenants ?? [{ tenantId: DEFAULT_TENANT, name: 'Sandbox Company (US)' }]) {
    orgs.set(t.tenantId, {
      tenantId: t.tenantId,
      name: t.name,
      shortCode: t.shortCode ?? `!sbx${orgs.size + 1}`,
      baseCurrency: t.baseCurrency ?? 'USD',
      contacts: new Map(),
      invoices: new Map(),
      history: new Map(),
      invoiceSequence: 0,
      idempotency: new Map(),
      minute: new SlidingWindow(60_000, () => limits.perMinute),
      day: new SlidingWindow(86_400_000, () => limits.perDay),
      inFlight: 0,
    });
  }
  const appMinute = new SlidingWindow(60_000, () => limits.appPerMinute);
  const sessions = new Map<string, AccessSession>([
    [accessToken, { grant: 'all', expiresAt: Number.POSITIVE_INFINITY }],
  ]);
  const codes = new Map<string, { grant: Grant; redirectUri: string; expiresAt: number; used: boolean }>();
  const refreshTokens = new Map<string, { grant: Grant; usedAt?: number }>();
  const connections: Array<XeroConnection & { authEventId: string }> = [];
  const calls: XeroSandboxCall[] = [];
  const pendingEvents: XeroWebhookEventItem[] = [];
  let eventSequence = 0;

  const org = (tenantId: string) => {
    const o = orgs.get(tenantId);
    if (!o) throw new Error(`no sandbox organisation ${tenantId}`);
    return o;
  };
  const firstTenant = [...orgs.keys()][0] as string;

  function envelope(): XeroEnvelope {
    return { Id: nextId('e0000000'), Status: 'OK', ProviderName: PROVIDER, DateTimeUTC: toXeroMsDate(now()) };
  }

  function emit(tenantId: string, category: 'CONTACT' | 'INVOICE', resource: string, type: 'CREATE' | 'UPDATE') {
    pendingEvents.push({
      resourceUrl: `https://api.xero.com/api.xro/2.0/${category === 'CONTACT' ? 'Contacts' : 'Invoices'}/${resource}`,
      resourceId: resource,
      eventDateUtc: isoNoZone(now()),
      eventType: type,
      eventCategory: category,
      tenantId,
      tenantType: 'ORGANISATION',
    });
  }

  // ---- rendering -------------------------------------------------------------------------------------------

  function renderContact(o: Org, stored: StoredContact): XeroContact {
    const c = stored.contact;
    const invoiced = [...o.invoices.values()].some((i) => i.contactId === c.ContactID);
    return {
      ContactStatus: 'ACTIVE',
      Addresses: [],
      Phones: [],
      ContactGroups: [],
      ContactPersons: [],
      IsSupplier: false,
      ...c,
      HasAttachments: false,
      HasValidationErrors: false,
      IsCustomer: invoiced,
      UpdatedDateUTC: toXeroMsDate(stored.updatedAt),
    };
  }

  function money(value: bigint, currency: string): number {
    return unscaled(value, currencyExponent(currency));
  }

  /** A sales credit note as GET /CreditNotes/{id} answers it: fully allocated to its invoice. */
  function renderCreditNote(o: Org, inv: StoredInvoice, c: StoredCredit) {
    const contact = o.contacts.get(inv.contactId);
    const amount = money(c.amount, inv.currency);
    return {
      Type: 'ACCRECCREDIT' as const,
      CreditNoteID: c.id,
      CreditNoteNumber: c.number,
      Contact: { ContactID: inv.contactId, Name: contact?.contact.Name ?? '' },
      Date: toXeroMsDate(parseDay(c.on)),
      Status: 'PAID' as const,
      LineAmountTypes: 'NoTax' as const,
      LineItems: [
        { Description: c.description, Quantity: 1, UnitAmount: amount, AccountCode: c.accountCode, LineAmount: amount },
      ],
      SubTotal: amount,
      TotalTax: 0,
      Total: amount,
      CurrencyCode: inv.currency as XeroCurrencyCode,
      RemainingCredit: 0,
      AppliedAmount: amount,
      UpdatedDateUTC: toXeroMsDate(inv.updatedAt),
    };
  }

  function renderInvoice(o: Org, inv: StoredInvoice, summary = false) {
    const contact = o.contacts.get(inv.contactId);
    const totalTax = inv.lines.reduce((s, l) => s + (l.tax ?? 0n), 0n);
    const total = linesTotal(inv);
    const subTotal = total - totalTax;
    const paid = inv.payments.reduce((s, p) => s + p.amount, 0n);
    const credited = inv.credits.reduce((s, c) => s + c.amount, 0n);
    const voided = inv.status === 'VOIDED' || inv.status === 'DELETED';
    const body: XeroInvoice & { DateString: string; DueDateString?: string } = {
      Type: 'ACCREC',
      InvoiceID: inv.id,
      InvoiceNumber: inv.number,
      Payments: inv.payments.map(
        (p): XeroPayment => ({
          PaymentID: p.id,
          Date: toXeroMsDate(parseDay(p.on)),
          Amount: money(p.amount, inv.currency),
          CurrencyRate: 1,
          Status: 'AUTHORISED',
          HasAccount: false,
          HasValidationErrors: false,
        }),
      ),
      CreditNotes: inv.credits.map((c) => ({
        CreditNoteID: c.id,
        CreditNoteNumber: c.number,
        Date: toXeroMsDate(parseDay(c.on)),
        Total: money(c.amount, inv.currency),
        AppliedAmount: money(c.amount, inv.currency),
        HasErrors: false,
        LineItems: [],
      })),
      Prepayments: [],
      Overpayments: [],
      AmountDue: money(voided ? 0n : total - paid - credited, inv.currency),
      AmountPaid: money(paid, inv.currency),
      AmountCredited: money(credited, inv.currency),
      CurrencyRate: 1,
      IsDiscounted: false,
      HasAttachments: false,
      HasErrors: false,
      SentToContact: false,
      Contact: {
        ContactID: inv.contactId,
        Name: contact?.contact.Name ?? '',
        ...(contact?.contact.ContactNumber ? { ContactNumber: contact.contact.ContactNumber } : {}),
        Addresses: [],
        Phones: [],
        ContactGroups: [],
        ContactPersons: [],
        HasValidationErrors: false,
      },
      DateString: dateString(inv.date),
      Date: toXeroMsDate(parseDay(inv.date)),
      Status: inv.status,
      LineAmountTypes: inv.lineAmountTypes,
      LineItems: summary ? undefined : inv.lines.map((l) => l.item),
      SubTotal: money(subTotal, inv.currency),
      TotalTax: money(totalTax, inv.currency),
      Total: money(total, inv.currency),
      UpdatedDateUTC: toXeroMsDate(inv.updatedAt),
      CurrencyCode: inv.currency as XeroCurrencyCode,
    };
    if (summary) delete body.LineItems;
    if (inv.reference !== undefined) body.Reference = inv.reference;
    if (inv.dueDate) {
      body.DueDateString = dateString(inv.dueDate);
      body.DueDate = toXeroMsDate(parseDay(inv.dueDate));
    }
    if (inv.url) body.Url = inv.url;
    return inv.fullyPaidOn ? { ...body, FullyPaidOnDate: toXeroMsDate(parseDay(inv.fullyPaidOn)) } : body;
  }

  // ---- contacts --------------------------------------------------------------------------------------------

  function contactErrors(o: Org, c: XeroContact, selfId?: string): string[] {
    const errors: string[] = [];
    const name = c.Name?.trim();
    if (!name) errors.push('The contact name must be specified.');
    else if (name.length > 255) errors.push('The contact name must be 255 characters or fewer.');
    else {
      const clash = [...o.contacts.values()].find(
        (s) =>
          s.contact.ContactID !== selfId &&
          (s.contact.ContactStatus ?? 'ACTIVE') === 'ACTIVE' &&
          s.contact.Name?.trim().toLowerCase() === name.toLowerCase(),
      );
      if (clash) {
        errors.push(
          `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
        );
      }
    }
    if (c.ContactNumber && c.ContactNumber.length > 50)
      errors.push('The ContactNumber must be 50 characters or fewer.');
    const terms = c.PaymentTerms?.Sales;
    if (terms && (terms.Day === undefined || terms.Type === undefined || terms.Day < 0 || terms.Day > 365)) {
      errors.push('Payment terms need a Day and a Type.');
    }
    return errors;
  }

  function findContact(o: Org, idOrNumber: string): StoredContact | undefined {
    if (GUID.test(idOrNumber)) return o.contacts.get(idOrNumber.toLowerCase());
    return [...o.contacts.values()].find((s) => s.contact.ContactNumber === idOrNumber);
  }

  function putContacts(o: Org, body: XeroContacts, summarize: boolean) {
    const incoming = body.Contacts ?? [];
    const checked = incoming.map((c) => ({ c, errors: contactErrors(o, c) }));
    // Two new contacts with the same name in one batch clash with each other too.
    const names = new Set<string>();
    for (const item of checked) {
      const n = item.c.Name?.trim().toLowerCase();
      if (n && names.has(n))
        item.errors.push(`The contact name ${item.c.Name} is already assigned to another contact.`);
      if (n) names.add(n);
    }
    if (summarize && checked.some((x) => x.errors.length > 0)) {
      throw validationError(
        checked.map((x) => ({ ...x.c, ValidationErrors: x.errors.map((Message) => ({ Message })) })),
      );
    }
    const out: XeroContact[] = [];
    for (const { c, errors } of checked) {
      if (errors.length > 0) {
        out.push({ ...c, HasValidationErrors: true, ValidationErrors: errors.map((Message) => ({ Message })) });
        continue;
      }
      const id = nextId('c0000000');
      const stored: StoredContact = { contact: { ...c, ContactID: id, ContactStatus: 'ACTIVE' }, updatedAt: now() };
      o.contacts.set(id, stored);
      remember(o, id, 'Created', appName);
      emit(o.tenantId, 'CONTACT', id, 'CREATE');
      out.push(renderContact(o, stored));
    }
    return { ...envelope(), Contacts: out } satisfies XeroContacts & XeroEnvelope;
  }

  function postContact(o: Org, id: string, body: XeroContacts) {
    const stored = findContact(o, id);
    if (!stored) throw new HttpError(404, "The resource you're looking for cannot be found");
    const update = body.Contacts?.[0];
    if (!update) throw validationError([{ ValidationErrors: [{ Message: 'A contact must be given.' }] }]);
    const merged = { ...stored.contact, ...update, ContactID: stored.contact.ContactID };
    const errors = contactErrors(o, merged, stored.contact.ContactID);
    if (errors.length > 0)
      throw validationError([{ ...merged, ValidationErrors: errors.map((Message) => ({ Message })) }]);
    stored.contact = merged;
    touchContact(o, stored, stored.contact.ContactID as string, appName);
    return { ...envelope(), Contacts: [renderContact(o, stored)] } satisfies XeroContacts & XeroEnvelope;
  }

  function paginate<T>(items: T[], q: URLSearchParams) {
    const page = q.get('page');
    if (!page) return { items };
    const size = Math.min(Math.max(Number(q.get('pageSize') ?? 100) || 100, 1), 1000);
    const n = Math.max(Number(page) || 1, 1);
    return {
      items: items.slice((n - 1) * size, n * size),
      pagination: { page: n, pageSize: size, pageCount: Math.ceil(items.length / size), itemCount: items.length },
    };
  }

  function modifiedSince(header: string | null): number | undefined {
    if (!header) return undefined;
    const t = Date.parse(header);
    return Number.isNaN(t) ? undefined : t;
  }

  function getContacts(o: Org, q: URLSearchParams, since?: number) {
    let list = [...o.contacts.values()];
    if (q.get('includeArchived') !== 'true') list = list.filter((s) => s.contact.ContactStatus !== 'ARCHIVED');
    if (since !== undefined) list = list.filter((s) => s.updatedAt.getTime() >= since);
    const ids = q.get('IDs');
    if (ids) {
      const wanted = new Set(ids.split(',').map((s) => s.trim().toLowerCase()));
      list = list.filter((s) => wanted.has(String(s.contact.ContactID)));
    }
    let rendered = list.map((s) => renderContact(o, s));
    const where = q.get('where');
    if (where) rendered = rendered.filter(compileWhere(where, 'Contact', CONTACT_FIELDS));
    const term = q.get('searchTerm')?.toLowerCase();
    if (term) {
      rendered = rendered.filter((c) =>
        [c.Name, c.FirstName, c.LastName, c.ContactNumber, c.EmailAddress].some((f) => f?.toLowerCase().includes(term)),
      );
    }
    const { items, pagination } = paginate(rendered, q);
    return { ...envelope(), ...(pagination ? { pagination } : {}), Contacts: items } satisfies XeroContacts &
      XeroEnvelope;
  }

  // ---- invoices --------------------------------------------------------------------------------------------

  function lineOf(raw: XeroLineItem, currency: string, unitdp: number, errors: string[]): StoredLine {
    const exp = currencyExponent(currency);
    const item: XeroLineItem = { ...raw, LineItemID: nextId('11000000') };
    if (!raw.Description?.trim() && raw.UnitAmount === undefined && raw.LineAmount === undefined) {
      errors.push('Description needs to be at least 1 char long');
    }
    const hasUnit = raw.UnitAmount !== undefined;
    if (!hasUnit && raw.LineAmount === undefined) return { item, amount: 0n };
    const quantity = raw.Quantity ?? 1;
    const q = scaled(quantity, 4);
    if (q === null) {
      errors.push(`Quantity ${quantity} has more than 4 decimal places`);
      return { item, amount: 0n };
    }
    let amount: bigint;
    if (hasUnit) {
      const u = scaled(raw.UnitAmount as number, unitdp);
      if (u === null) {
        errors.push(`UnitAmount ${raw.UnitAmount} has more than ${unitdp} decimal places`);
        return { item, amount: 0n };
      }
      // Q (4 dp) × U (unitdp dp) → the currency's decimals, half away from zero: Xero's line rounding.
      amount = roundDrop(q * u, 4 + unitdp - exp);
    } else {
      const l = scaled(raw.LineAmount as number, exp);
      if (l === null) {
        errors.push(`LineAmount ${raw.LineAmount} has more than ${exp} decimal places`);
        return { item, amount: 0n };
      }
      amount = l;
      // Xero fills in the missing UnitAmount as LineAmount / Quantity.
      item.UnitAmount = q === 0n ? 0 : unscaled(divideRounded(l * 10000n, q), exp);
    }
    item.Quantity = quantity;
    item.LineAmount = unscaled(amount, exp);
    item.TaxAmount = 0;
    return { item, amount };
  }

  /** A line's tax under its TaxType (validated against the organisation's rates), written onto the line item. */
  function lineTax(l: StoredLine, types: string, currency: string, errors: string[]): bigint {
    const type = l.item.TaxType;
    if (types === 'NoTax' || l.item.LineAmount === undefined) {
      l.item.TaxAmount = 0;
      return 0n;
    }
    const rate = type ? taxRates.find((r) => r.TaxType === type) : undefined;
    if (type && (rate?.Status !== 'ACTIVE' || rate.CanApplyToRevenue === false)) {
      errors.push(`The TaxType code '${type}' does not exist or cannot be used with this type of transaction.`);
      return 0n;
    }
    const ppm = BigInt(Math.round((rate?.EffectiveRate ?? 0) * 10_000));
    const d = types === 'Inclusive' ? 1_000_000n + ppm : 1_000_000n;
    const n = l.amount * ppm;
    const a = n < 0n ? -n : n;
    const q = (a * 2n + d) / (d * 2n);
    const tax = n < 0n ? -q : q;
    l.item.TaxAmount = unscaled(tax, currencyExponent(currency));
    return tax;
  }

  function createInvoice(o: Org, raw: XeroInvoice, unitdp: number): { invoice?: StoredInvoice; errors: string[] } {
    const errors: string[] = [];
    if (raw.Type !== 'ACCREC') errors.push('The sandbox keeps sales invoices only (Type ACCREC).');
    const contactId = raw.Contact?.ContactID;
    const contact = contactId ? o.contacts.get(contactId.toLowerCase()) : undefined;
    if (!contact) errors.push('A Contact must be specified for this type of transaction');
    const status = raw.Status ?? 'DRAFT';
    if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) {
      errors.push(`An invoice cannot be created with status ${status}.`);
    }
    const currency = raw.CurrencyCode ?? o.baseCurrency;
    try {
      currencyExponent(currency);
    } catch {
      errors.push(`The currency ${currency} is not valid.`);
    }
    const date = raw.Date && /^\d{4}-\d{2}-\d{2}/.test(raw.Date) ? raw.Date.slice(0, 10) : formatDay(now());
    let dueDate = raw.DueDate && /^\d{4}-\d{2}-\d{2}/.test(raw.DueDate) ? raw.DueDate.slice(0, 10) : undefined;
    const terms = contact?.contact.PaymentTerms?.Sales;
    if (!dueDate && terms) dueDate = dueFromTerms(date, terms);
    const approved = status !== 'DRAFT';
    if (approved && !dueDate) errors.push('Due Date must be specified.');
    const number = raw.InvoiceNumber?.trim() || `INV-${String(o.invoiceSequence + 1).padStart(4, '0')}`;
    if (number.length > 255) errors.push('Invoice # must be 255 characters or fewer.');
    const taken = [...o.invoices.values()].some(
      (i) => i.status !== 'DELETED' && i.number.toLowerCase() === number.toLowerCase(),
    );
    if (taken) errors.push('Invoice # must be unique.');
    const lines = errors.some((e) => e.startsWith('The currency'))
      ? []
      : (raw.LineItems ?? []).map((l) => lineOf(l, currency, unitdp, errors));
    if (approved) {
      if (lines.length === 0) errors.push('Invoices must have at least one line item.');
      for (const l of lines) {
        const code = l.item.AccountCode ?? '';
        if (l.amount !== 0n && !accountCodes.includes(code)) {
          errors.push(`Account code '${code}' is not a valid code for this document.`);
        }
      }
    }
    const lineAmountTypes = raw.LineAmountTypes ?? 'Exclusive';
    for (const l of lines) l.tax = lineTax(l, lineAmountTypes, currency, errors);
    const total = linesTotal({ lineAmountTypes, lines });
    if (total < 0n) errors.push('The document total cannot be negative.');
    if (errors.length > 0) return { errors };
    const id = nextId('1e000000');
    if (!raw.InvoiceNumber?.trim()) o.invoiceSequence++;
    const invoice: StoredInvoice = {
      id,
      tenantId: o.tenantId,
      number,
      contactId: contactId?.toLowerCase() as string,
      status: status as XeroInvoiceStatus,
      date,
      currency,
      lineAmountTypes,
      lines,
      payments: [],
      credits: [],
      updatedAt: now(),
    };
    if (raw.Reference !== undefined) invoice.reference = raw.Reference;
    if (dueDate) invoice.dueDate = dueDate;
    if (raw.Url) invoice.url = raw.Url;
    return { invoice, errors };
  }

  function putInvoices(o: Org, body: XeroInvoices, summarize: boolean, unitdp: number) {
    const results = (body.Invoices ?? []).map((raw) => ({ raw, ...createInvoice(o, raw, unitdp) }));
    if (summarize && results.some((r) => r.errors.length > 0)) {
      throw validationError(
        results.map((r) => ({ ...r.raw, ValidationErrors: r.errors.map((Message) => ({ Message })) })),
      );
    }
    const out: XeroInvoice[] = [];
    for (const r of results) {
      if (!r.invoice) {
        out.push({ ...r.raw, HasErrors: true, ValidationErrors: r.errors.map((Message) => ({ Message })) });
        continue;
      }
      o.invoices.set(r.invoice.id, r.invoice);
      remember(o, r.invoice.id, 'Created', appName);
      emit(o.tenantId, 'INVOICE', r.invoice.id, 'CREATE');
      out.push(renderInvoice(o, r.invoice));
    }
    return { ...envelope(), Invoices: out } satisfies XeroInvoices & XeroEnvelope;
  }

  function getInvoices(o: Org, q: URLSearchParams, since?: number) {
    let list = [...o.invoices.values()];
    if (since !== undefined) list = list.filter((i) => i.updatedAt.getTime() >= since);
    const csv = (name: string) =>
      q
        .get(name)
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const ids = csv('IDs');
    if (ids) list = list.filter((i) => ids.some((x) => x.toLowerCase() === i.id));
    const numbers = csv('InvoiceNumbers');
    if (numbers) list = list.filter((i) => numbers.some((n) => n.toLowerCase() === i.number.toLowerCase()));
    const contactIds = csv('ContactIDs');
    if (contactIds) list = list.filter((i) => contactIds.some((c) => c.toLowerCase() === i.contactId));
    const statuses = csv('Statuses');
    if (statuses) list = list.filter((i) => statuses.includes(i.status));
    // Line items come with paged lists (and single reads) only, and never with summaryOnly.
    const summary = q.get('summaryOnly') === 'true' || !q.has('page');
    let rendered = list.map((i) => renderInvoice(o, i, summary));
    const where = q.get('where');
    if (where) rendered = rendered.filter(compileWhere(where, 'Invoice', INVOICE_FIELDS));
    const term = q.get('searchTerm')?.toLowerCase();
    if (term) {
      rendered = rendered.filter((i) => [i.InvoiceNumber, i.Reference].some((f) => f?.toLowerCase().includes(term)));
    }
    const { items, pagination } = paginate(rendered, q);
    return { ...envelope(), ...(pagination ? { pagination } : {}), Invoices: items } satisfies XeroInvoices &
      XeroEnvelope;
  }

  function findInvoice(o: Org, idOrNumber: string): StoredInvoice | undefined {
    if (GUID.test(idOrNumber)) return o.invoices.get(idOrNumber.toLowerCase());
    return [...o.invoices.values()].find((i) => i.number === idOrNumber);
  }

  // ---- accounting routing ----------------------------------------------------------------------------------

  async function readJson(request: Request): Promise<unknown> {
    const text = await request.text();
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: 'Invalid JSON' });
    }
  }

  function route(
    o: Org,
    method: string,
    segments: string[],
    q: URLSearchParams,
    body: unknown,
    ims: number | undefined,
  ) {
    const [collection, id, extra] = segments;
    if (method !== 'GET' && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw new HttpError(400, {
        ErrorNumber: 14,
        Type: 'PostDataInvalidException',
        Message: 'The request body is empty or not an object',
      });
    }
    const summarize = q.get('summarizeErrors') === 'true';
    const unitdp = q.get('unitdp') === '4' ? 4 : currencyExponent(o.baseCurrency) || 2;
    if (extra === undefined && collection === 'Contacts') {
      if (method === 'GET' && !id) return { operation: 'getContacts', status: 200, body: getContacts(o, q, ims) };
      if (method === 'GET' && id) {
        const found = findContact(o, decodeURIComponent(id));
        if (!found) throw new HttpError(404, "The resource you're looking for cannot be found");
        return {
          operation: GUID.test(id) ? 'getContact' : 'getContactByContactNumber',
          status: 200,
          body: { ...envelope(), Contacts: [renderContact(o, found)] },
        };
      }
      if (method === 'PUT' && !id) {
        return { operation: 'createContacts', status: 200, body: putContacts(o, body as XeroContacts, summarize) };
      }
      if (method === 'POST' && id) {
        return {
          operation: 'updateContact',
          status: 200,
          body: postContact(o, decodeURIComponent(id), body as XeroContacts),
        };
      }
    }
    if (extra === undefined && collection === 'Accounts' && method === 'GET' && !id) {
      return { operation: 'getAccounts', status: 200, body: { ...envelope(), Accounts: structuredClone(chart) } };
    }
    if (extra === undefined && collection === 'CreditNotes' && method === 'GET' && id) {
      const key = decodeURIComponent(id).toLowerCase();
      for (const inv of o.invoices.values()) {
        const credit = inv.credits.find((c) => c.id === key);
        if (credit) {
          return {
            operation: 'getCreditNote',
            status: 200,
            body: { ...envelope(), CreditNotes: [renderCreditNote(o, inv, credit)] },
          };
        }
      }
      throw new HttpError(404, "The resource you're looking for cannot be found");
    }
    // GET /Contacts/{id}/History, /Invoices/{id}/History: who changed the record and when, newest first.
    if (extra === 'History' && id && method === 'GET' && (collection === 'Contacts' || collection === 'Invoices')) {
      const key = decodeURIComponent(id);
      const found = collection === 'Contacts' ? findContact(o, key) : findInvoice(o, key);
      if (!found) throw new HttpError(404, "The resource you're looking for cannot be found");
      const records = [...(o.history.get(key.toLowerCase()) ?? [])].reverse();
      return {
        operation: collection === 'Contacts' ? 'getContactHistory' : 'getInvoiceHistory',
        status: 200,
        body: { ...envelope(), HistoryRecords: records },
      };
    }
    if (extra === undefined && collection === 'TaxRates' && method === 'GET' && !id) {
      return { operation: 'getTaxRates', status: 200, body: { ...envelope(), TaxRates: structuredClone(taxRates) } };
    }
    if (extra === undefined && collection === 'Invoices') {
      if (method === 'GET' && !id) return { operation: 'getInvoices', status: 200, body: getInvoices(o, q, ims) };
      if (method === 'GET' && id) {
        const found = findInvoice(o, decodeURIComponent(id));
        if (!found) throw new HttpError(404, "The resource you're looking for cannot be found");
        return { operation: 'getInvoice', status: 200, body: { ...envelope(), Invoices: [renderInvoice(o, found)] } };
      }
      if (method === 'PUT' && !id) {
        return {
          operation: 'createInvoices',
          status: 200,
          body: putInvoices(o, body as XeroInvoices, summarize, unitdp),
        };
      }
    }
    throw new HttpError(404, `The Xero sandbox does not implement ${method} /${segments.join('/')}`);
  }

  /** The spec's operationId for a request (so a refused request is still attributed to its operation). */
  function operationFor(method: string, segments: string[]): string {
    const [collection, id] = segments;
    const table: Record<string, string> = {
      'GET Contacts': 'getContacts',
      'GET Contacts/': id && GUID.test(id) ? 'getContact' : 'getContactByContactNumber',
      'PUT Contacts': 'createContacts',
      'POST Contacts/': 'updateContact',
      'GET Invoices': 'getInvoices',
      'GET Invoices/': 'getInvoice',
      'PUT Invoices': 'createInvoices',
      'GET TaxRates': 'getTaxRates',
    };
    return table[`${method} ${collection}${id ? '/' : ''}`] ?? 'unknown';
  }

  function limitHeaders(o: Org, t: number): Record<string, string> {
    return {
      'X-MinLimit-Remaining': String(o.minute.remaining(t)),
      'X-DayLimit-Remaining': String(o.day.remaining(t)),
      'X-AppMinLimit-Remaining': String(appMinute.remaining(t)),
    };
  }

  function respond(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    if (typeof body === 'string') {
      return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
    }
    return json(body, status, headers);
  }

  function session(request: Request): AccessSession {
    const auth = request.headers.get('authorization') ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    const s = token ? sessions.get(token) : undefined;
    if (!s || s.expiresAt <= now().getTime()) throw problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    return s;
  }

  async function accounting(request: Request, url: URL, segments: string[]): Promise<Response> {
    const call: XeroSandboxCall = {
      operation: 'unknown',
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    call.operation = operationFor(request.method, segments);
    calls.push(call);
    let o: Org | undefined;
    let counted = false;
    try {
      const s = session(request);
      const tenantId = request.headers.get('xero-tenant-id') ?? '';
      call.tenantId = tenantId;
      o = orgs.get(tenantId.toLowerCase()) ?? orgs.get(tenantId);
      const allowed = s.grant === 'all' || s.grant.tenantIds.includes(tenantId);
      if (!o || !allowed) throw problem(403, 'Forbidden', 'AuthorizationUnsuccessful');
      const t = now().getTime();
      const problems: Array<[string, number]> = [
        ['day', o.day.retryAfterMs(t)],
        ['minute', o.minute.retryAfterMs(t)],
        ['appminute', appMinute.retryAfterMs(t)],
        ['concurrent', o.inFlight >= limits.concurrent ? 1000 : 0],
      ];
      const hit = problems.find(([, wait]) => wait > 0);
      if (hit) {
        call.status = 429;
        return respond(429, 'Rate limit exceeded', {
          'Retry-After': String(Math.ceil(hit[1] / 1000)),
          'X-Rate-Limit-Problem': hit[0],
          ...limitHeaders(o, t),
        });
      }
      o.minute.take(t);
      o.day.take(t);
      appMinute.take(t);
      o.inFlight++;
      counted = true;
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const body = request.method === 'GET' ? undefined : await readJson(request);
      call.requestBody = body;
      call.idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      call.ifModifiedSince = request.headers.get('if-modified-since') ?? undefined;
      const ims = modifiedSince(request.headers.get('if-modified-since'));
      const org = o;
      const run = async () => route(org, request.method, segments, url.searchParams, body, ims);
      let result: { operation: string; status: number; body: unknown };
      const key = call.idempotencyKey;
      if (key && request.method !== 'GET') {
        const idemKey = `${request.method} ${url.pathname} ${key}`;
        const first = o.idempotency.get(idemKey);
        if (first) {
          result = await first;
          call.replayed = true;
        } else {
          const pending = run();
          o.idempotency.set(idemKey, pending);
          try {
            result = await pending;
          } catch (e) {
            // Only a 2xx answer is remembered: a refused request may be corrected and sent again with its key.
            o.idempotency.delete(idemKey);
            throw e;
          }
        }
      } else result = await run();
      call.operation = result.operation;
      call.status = result.status;
      call.responseBody = result.body;
      return respond(result.status, result.body, limitHeaders(o, now().getTime()));
    } catch (e) {
      if (e instanceof WhereParseError) {
        call.status = 400;
        call.responseBody = { ErrorNumber: 16, Type: 'QueryParseException', Message: e.message };
        return respond(400, call.responseBody);
      }
      if (!(e instanceof HttpError)) throw e;
      call.status = e.status;
      call.responseBody = e.body;
      return respond(e.status, e.body, o ? limitHeaders(o, now().getTime()) : {});
    } finally {
      if (o && counted) o.inFlight--;
    }
  }

  // ---- identity ------------------------------------------------------------------------------------------

  function b64url(value: unknown): string {
    return Buffer.from(JSON.stringify(value)).toString('base64url');
  }

  function issueTokens(grant: Grant): XeroTokenResponse {
    const issued = now().getTime();
    const n = ++counter;
    // Shaped like Xero's JWT access tokens so that authentication_event_id can be read; the signature is fake.
    const access = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({
      authentication_event_id: grant.authEventId,
      exp: Math.floor(issued / 1000) + 1800,
      scope: grant.scope.split(' '),
      jti: hex(n, 8),
    })}.sandbox-signature-${n}`;
    const refresh = `xero-sandbox-refresh-${hex(n, 8)}`;
    sessions.set(access, { grant, expiresAt: issued + 1800 * 1000 });
    refreshTokens.set(refresh, { grant });
    return { access_token: access, expires_in: 1800, token_type: 'Bearer', refresh_token: refresh, scope: grant.scope };
  }

  async function token(request: Request): Promise<Response> {
    const call: XeroSandboxCall = {
      operation: 'token',
      method: request.method,
      path: '/connect/token',
      query: {},
      status: 0,
    };
    calls.push(call);
    const answer = (status: number, body: unknown) => {
      call.status = status;
      call.responseBody = body;
      return json(body, status);
    };
    const basic = /^Basic (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    const form = new URLSearchParams(await request.text());
    call.requestBody = Object.fromEntries([...form].filter(([k]) => k !== 'refresh_token' && k !== 'code'));
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (id !== clientId || secret !== clientSecret) return answer(401, { error: 'invalid_client' });
    const t = now().getTime();
    if (form.get('grant_type') === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      if (!code || code.used || code.expiresAt <= t || code.redirectUri !== form.get('redirect_uri')) {
        return answer(400, { error: 'invalid_grant' });
      }
      code.used = true;
      return answer(200, issueTokens(code.grant));
    }
    if (form.get('grant_type') === 'refresh_token') {
      const rt = refreshTokens.get(form.get('refresh_token') ?? '');
      const grace = options.refreshGraceMs ?? 0;
      if (!rt || (rt.usedAt !== undefined && t - rt.usedAt >= grace)) return answer(400, { error: 'invalid_grant' });
      rt.usedAt ??= t;
      return answer(200, issueTokens(rt.grant));
    }
    return answer(400, { error: 'unsupported_grant_type' });
  }

  function getConnections(request: Request, url: URL): Response {
    const call: XeroSandboxCall = {
      operation: 'getConnections',
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    calls.push(call);
    try {
      const s = session(request);
      const authEventId = url.searchParams.get('authEventId');
      const list = connections
        .filter((c) => s.grant === 'all' || s.grant.tenantIds.includes(c.tenantId))
        .filter((c) => !authEventId || c.authEventId === authEventId);
      call.status = 200;
      call.responseBody = list;
      return json(list);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      call.status = e.status;
      call.responseBody = e.body;
      return json(e.body, e.status);
    }
  }

  const handle: SandboxHandler = async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === '/connect/token' && request.method === 'POST') return token(request);
    if (/^\/connections\/?$/i.test(path) && request.method === 'GET') return getConnections(request, url);
    const m = /^\/api\.xro\/2\.0\/(.+?)\/?$/.exec(path);
    if (m) return accounting(request, url, (m[1] as string).split('/'));
    return new Response(`The Xero sandbox has no ${request.method} ${path}`, { status: 404 });
  };

  // ---- helpers for tests and the demo ------------------------------------------------------------------

  function invoiceById(invoiceId: string): { o: Org; inv: StoredInvoice } {
    for (const o of orgs.values()) {
      const inv = o.invoices.get(invoiceId.toLowerCase());
      if (inv) return { o, inv };
    }
    throw new Error(`no sandbox invoice ${invoiceId}`);
  }

  /** What an approved invoice still owes, in minor units: its total less payments and allocated credit notes. */
  function owed(inv: StoredInvoice): bigint {
    return (
      linesTotal(inv) - inv.payments.reduce((s, p) => s + p.amount, 0n) - inv.credits.reduce((s, c) => s + c.amount, 0n)
    );
  }

  /** A payment's or credit's amount in minor units: what is owed by default, never more. */
  function settlement(inv: StoredInvoice, major: number | undefined, what: 'pay' | 'credit'): bigint {
    const due = owed(inv);
    const amount = major === undefined ? due : scaled(major, currencyExponent(inv.currency));
    if (amount === null || amount <= 0n || amount > due) throw new Error(`cannot ${what} ${major} of ${due}`);
    return amount;
  }

  /** Nothing left owing: the invoice is PAID, on the day of the settlement that cleared it. */
  function paidIfSettled(inv: StoredInvoice, on: CalendarDay): void {
    if (owed(inv) !== 0n) return;
    inv.status = 'PAID';
    inv.fullyPaidOn = on;
  }

  /**
   * Credits an approved invoice by hand with a sales credit note allocated to it (default: the whole amount due,
   * to the first revenue account); a credit that settles it makes the invoice PAID, as in Xero.
   */
  function creditInvoice(
    invoiceId: string,
    credit: { amount?: number; on?: CalendarDay; accountCode?: string; description?: string } = {},
    by = personName,
  ): string {
    const { o, inv } = invoiceById(invoiceId);
    if (inv.status !== 'AUTHORISED')
      throw new Error(`Xero allocates credit notes to AUTHORISED invoices only (${inv.status})`);
    const amount = settlement(inv, credit.amount, 'credit');
    const on = credit.on ?? formatDay(now());
    // A GUID of its own (not the sandbox's counter): credit note verdicts are remembered per process by id.
    const id = randomUUID();
    inv.credits.push({
      id,
      number: `CN-${String(inv.credits.length + 1).padStart(4, '0')}-${inv.number}`,
      on,
      amount,
      accountCode: credit.accountCode ?? accountCodes[0] ?? '200',
      description: credit.description ?? 'Credit',
    });
    paidIfSettled(inv, on);
    touch(o, inv, 'Credit Note Applied', by);
    return id;
  }

  function touch(o: Org, inv: StoredInvoice, changes: string, by: string = personName, details = '') {
    inv.updatedAt = now();
    remember(o, inv.id, changes, by, details);
    emit(o.tenantId, 'INVOICE', inv.id, 'UPDATE');
  }

  /** A contact changed: its UpdatedDateUTC moves, its History says who changed it, and a CONTACT UPDATE event fires. */
  function touchContact(o: Org, stored: StoredContact, id: string, by: string, details = '') {
    stored.updatedAt = now();
    remember(o, id, 'Updated', by, details);
    emit(o.tenantId, 'CONTACT', id, 'UPDATE');
  }

  /** Adds a line to a record's History, as Xero does on every change (API changes name the connected app). */
  function remember(o: Org, id: string, changes: string, user: string, details = '') {
    const key = id.toLowerCase();
    const records = o.history.get(key) ?? [];
    records.push({ Changes: changes, DateUTC: toXeroMsDate(now()), User: user, Details: details } as XeroHistoryRecord);
    o.history.set(key, records);
  }

  function sign(body: Buffer, key = webhookKey): string {
    return createHmac('sha256', key).update(body).digest('base64');
  }

  function delivery(payload: XeroWebhookPayload, key = webhookKey): XeroWebhookDelivery {
    const body = Buffer.from(JSON.stringify(payload));
    return { headers: { 'x-xero-signature': sign(body, key), 'content-type': 'application/json' }, body, payload };
  }

  function entropy(): string {
    let n = ++counter;
    let s = '';
    for (let i = 0; i < 20; i++) {
      s += String.fromCharCode(65 + (n % 26));
      n = Math.floor(n / 26) + i * 7;
    }
    return s;
  }

  return {
    handle,
    /** The default organisation's tenant id. */
    tenantId: firstTenant,
    /** The never-expiring token the sandbox accepts for every tenant. */
    accessToken,
    clientId,
    clientSecret,
    webhookKey,
    /** Mutable: tests may lower them mid-test. */
    limits,
    calls,
    state: { orgs },

    /** Adds a contact directly (as if a finance person had typed it into Xero). */
    addContact(contact: XeroContact, tenantId = firstTenant): string {
      const o = org(tenantId);
      const id = nextId('c0000000');
      o.contacts.set(id, { contact: { ContactStatus: 'ACTIVE', ...contact, ContactID: id }, updatedAt: now() });
      remember(o, id, 'Created', personName);
      emit(o.tenantId, 'CONTACT', id, 'CREATE');
      return id;
    },

    /** Changes a contact's sales payment terms, as a finance person would in Xero. */
    setContactTerms(contactId: string, terms: PaymentTermsCode | XeroTerms, by = personName): void {
      for (const o of orgs.values()) {
        const stored = o.contacts.get(contactId.toLowerCase());
        if (!stored) continue;
        const sales = typeof terms === 'string' ? paymentTermsToXero(terms) : terms;
        stored.contact = { ...stored.contact, PaymentTerms: { ...stored.contact.PaymentTerms, Sales: sales } };
        touchContact(o, stored, contactId, by, 'Payment terms changed');
        return;
      }
      throw new Error(`no sandbox contact ${contactId}`);
    },

    /** Edits a contact by hand, as a finance person would in Xero: name, email and/or the POBOX (invoice) address. */
    editContact(
      contactId: string,
      patch: { name?: string; email?: string; address?: Omit<XeroAddress, 'AddressType'> },
      by = personName,
    ): void {
      for (const o of orgs.values()) {
        const stored = o.contacts.get(contactId.toLowerCase());
        if (!stored) continue;
        const c = { ...stored.contact };
        if (patch.name !== undefined) c.Name = patch.name;
        if (patch.email !== undefined) c.EmailAddress = patch.email;
        if (patch.address) {
          const others = (c.Addresses ?? []).filter((a) => a.AddressType !== 'POBOX');
          c.Addresses = [...others, { AddressType: 'POBOX', ...patch.address }];
        }
        stored.contact = c;
        touchContact(o, stored, contactId, by);
        return;
      }
      throw new Error(`no sandbox contact ${contactId}`);
    },

    /** Edits an invoice's due date by hand, as a finance person would in Xero. */
    setInvoiceDueDate(invoiceId: string, dueDate: CalendarDay, by = personName): void {
      const { o, inv } = invoiceById(invoiceId);
      inv.dueDate = dueDate;
      touch(o, inv, 'Edited', by, `Due date changed to ${dueDate}`);
    },

    /**
     * Edits an invoice by hand, as a finance person would in Xero: its Reference (the PO number) and/or one line
     * (1-based), whose amount and tax are worked out again as on create. Paid and voided invoices cannot be edited.
     */
    editInvoice(
      invoiceId: string,
      patch: {
        reference?: string;
        line?: { index: number; description?: string; quantity?: number; unitAmount?: number; taxType?: string };
      },
      by = personName,
    ): void {
      const { o, inv } = invoiceById(invoiceId);
      if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(inv.status) || inv.payments.length > 0) {
        throw new Error(`Xero cannot edit a ${inv.status} invoice${inv.payments.length ? ' with payments' : ''}`);
      }
      if (patch.line) {
        const { index, description, quantity, unitAmount, taxType } = patch.line;
        const current = inv.lines[index - 1];
        if (!current) throw new Error(`invoice ${invoiceId} has no line ${index}`);
        const raw: XeroLineItem = { ...current.item };
        if (description !== undefined) raw.Description = description;
        if (quantity !== undefined) raw.Quantity = quantity;
        if (unitAmount !== undefined) raw.UnitAmount = unitAmount;
        if (taxType !== undefined) raw.TaxType = taxType;
        if (raw.UnitAmount !== undefined) delete raw.LineAmount;
        const errors: string[] = [];
        const next = lineOf(raw, inv.currency, 4, errors);
        next.item.LineItemID = current.item.LineItemID;
        next.tax = lineTax(next, inv.lineAmountTypes, inv.currency, errors);
        if (errors.length > 0) throw new Error(errors.join('; '));
        const lines = inv.lines.map((l, i) => (i === index - 1 ? next : l));
        if (linesTotal({ lineAmountTypes: inv.lineAmountTypes, lines }) < 0n) {
          throw new Error('The document total cannot be negative.');
        }
        inv.lines = lines;
      }
      if (patch.reference !== undefined) inv.reference = patch.reference;
      touch(o, inv, 'Edited', by);
    },

    /** Approves a draft (DRAFT/SUBMITTED → AUTHORISED). */
    authoriseInvoice(invoiceId: string): void {
      const { o, inv } = invoiceById(invoiceId);
      if (inv.status !== 'DRAFT' && inv.status !== 'SUBMITTED') throw new Error(`invoice is ${inv.status}`);
      inv.status = 'AUTHORISED';
      touch(o, inv, 'Approved', personName);
    },

    /** Records a payment (default: the whole amount due, today); a full payment makes the invoice PAID. */
    payInvoice(invoiceId: string, payment: { amount?: number; on?: CalendarDay } = {}): void {
      const { o, inv } = invoiceById(invoiceId);
      if (inv.status !== 'AUTHORISED')
        throw new Error(`Xero takes payments on AUTHORISED invoices only (${inv.status})`);
      const amount = settlement(inv, payment.amount, 'pay');
      const on = payment.on ?? formatDay(now());
      inv.payments.push({ id: nextId('9a000000'), on, amount });
      paidIfSettled(inv, on);
      touch(o, inv, 'Paid', personName);
    },

    creditInvoice,

    /** Writes off what is left of an invoice as bad debt, as a bookkeeper does in Xero: a credit note to Bad Debts. */
    writeOffInvoice(invoiceId: string, options: { on?: CalendarDay; by?: string } = {}): string {
      return creditInvoice(
        invoiceId,
        {
          accountCode: badDebtAccountCode,
          description: 'Bad debt written off',
          ...(options.on ? { on: options.on } : {}),
        },
        options.by,
      );
    },

    /** Voids an approved invoice without payments, or deletes a draft — what Xero allows for each. */
    voidInvoice(invoiceId: string): void {
      const { o, inv } = invoiceById(invoiceId);
      if (inv.payments.length > 0) throw new Error('Xero cannot void an invoice with payments');
      if (inv.status === 'DRAFT' || inv.status === 'SUBMITTED') inv.status = 'DELETED';
      else if (inv.status === 'AUTHORISED') inv.status = 'VOIDED';
      else throw new Error(`invoice is ${inv.status}`);
      touch(o, inv, inv.status === 'DELETED' ? 'Deleted' : 'Voided', personName);
    },

    /** Moves an invoice's dates back by `days`, to make it overdue for the demo (Xero's record is unchanged). */
    ageInvoice(invoiceId: string, days: number): void {
      const { inv } = invoiceById(invoiceId);
      inv.date = plusDays(inv.date, -days);
      if (inv.dueDate) inv.dueDate = plusDays(inv.dueDate, -days);
    },

    /** Every access token stops working (401) while refresh tokens still work, as after an early revocation. */
    revokeAccessTokens(): void {
      sessions.clear();
    },

    /** Simulates a person approving the app in Xero's consent screen; returns the code sent to redirectUri. */
    authorize(params: { redirectUri: string; scope?: string; tenantIds?: string[] }): string {
      const tenantIds = params.tenantIds ?? [firstTenant];
      const grant: Grant = { authEventId: nextId('ae000000'), tenantIds, scope: params.scope ?? 'offline_access' };
      for (const tenantId of tenantIds) {
        const o = org(tenantId);
        const at = isoNoZone(now());
        connections.push({
          id: nextId('cc000000'),
          tenantId,
          authEventId: grant.authEventId,
          tenantType: 'ORGANISATION',
          tenantName: o.name,
          createdDateUtc: at,
          updatedDateUtc: at,
        });
      }
      const code = `xero-sandbox-code-${hex(++counter, 8)}`;
      codes.set(code, { grant, redirectUri: params.redirectUri, expiresAt: now().getTime() + 5 * 60_000, used: false });
      return code;
    },

    webhooks: {
      key: webhookKey,
      /** The events not yet delivered. */
      pending: (): ReadonlyArray<XeroWebhookEventItem> => pendingEvents,
      /** One signed delivery of every pending event (null when none), as Xero batches them. */
      flush(): XeroWebhookDelivery | null {
        if (pendingEvents.length === 0) return null;
        const events = pendingEvents.splice(0);
        const first = eventSequence + 1;
        eventSequence += events.length;
        return delivery({ events, firstEventSequence: first, lastEventSequence: eventSequence, entropy: entropy() });
      },
      /** Xero's intent-to-receive probe: an empty delivery, signed with the right key (valid) or a wrong one. */
      intentToReceive(valid = true): XeroWebhookDelivery {
        const payload = { events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: entropy() };
        return delivery(payload, valid ? webhookKey : `${webhookKey}-wrong`);
      },
      sign,
    },
  };
}

export type XeroSandbox = ReturnType<typeof createXeroSandbox>;
