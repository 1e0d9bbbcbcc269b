import { timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { plusDays, todayIn } from '../../../../core/dates.js';
import { currencyExponent } from '../../../../core/money.js';
import { json, type SandboxHandler } from '../../../sandbox/transport.js';
import { DEFAULT_TERMS, FIXTURE_REALM_ID, UK_TAX_CODES, UK_TAX_RATES, US_TAX_CODES } from '../fixtures.js';
import { paymentTermsToQuickBooks } from '../payment-terms-to-quickbooks.js';
import type { QboQueryEntity } from '../query.js';
import { quickbooksTermToPaymentTerms } from '../quickbooks-term-to-payment-terms.js';
import { QBO_STRICT } from '../schemas.js';
import type {
  QboAccount,
  QboCdcQueryResponse,
  QboCloudEvent,
  QboCreditMemo,
  QboCustomer,
  QboCustomerCreate,
  QboCustomField,
  QboEstimate,
  QboFaultError,
  QboInvoice,
  QboInvoiceCreate,
  QboItem,
  QboLegacyWebhook,
  QboPayment,
  QboRef,
  QboSalesItemLine,
  QboTaxCode,
  QboTaxLine,
  QboTaxRate,
  QboTerm,
  QboTermCreate,
  QboTokenResponse,
} from '../types.js';
import { signQuickBooksWebhook } from '../webhooks.js';
import { fromMinor, productMinor, toMinor } from './decimal.js';
import { createRealmLimiter, QUICKBOOKS_LIMITS, type SandboxLimits } from './limits.js';
import { type Condition, type Literal, parseQuery, QueryParseError } from './query-language.js';

/**
 * An honest fake of one QuickBooks Online company (realm), for tests (through msw) and the local demo (through
 * serveSandbox). What it enforces, because the real API does and the adapter must cope:
 * - Bearer access tokens (401 in the gateway's lower-case fault shape), a token bound to this realm (403 otherwise);
 * - 500 requests per minute and 10 concurrent per realm (configurable) → 429 ThrottleExceeded with Retry-After;
 * - `requestid` on writes: a repeated requestid gets the first successful answer again and never writes twice
 *   (failed writes are not remembered, so a corrected retry under the same key can succeed);
 * - DisplayName unique across customers, vendors and employees, case-insensitive → 6240 Duplicate Name Exists;
 *   Term names likewise;
 * - request bodies checked against the strict mirror of types.ts (unknown property → 2010, missing → 2020);
 * - the query endpoint with the WHERE forms the adapter sends (=, IN, comparisons on times), active rows only
 *   unless Active is in the WHERE, 100 rows by default and at most 1000 a page;
 * - CDC for Invoice, Payment and Customer within 30 days, at most 1000 objects;
 * - invoices post on create (there is no draft state), a subtotal line appended, sequential DocNumbers, Amount =
 *   Qty × UnitPrice checked, exact decimal sums (bigint minor units), invoice currency = customer currency, and a
 *   TaxCodeRef on every line for non-US companies; sales custom fields other than the enabled ones are dropped;
 * - estimates: priced and checked like invoices but non-posting (no Balance, customer balance untouched), their own
 *   DocNumber sequence, TxnStatus Pending; an invoice created with LinkedTxn [{TxnType: 'Estimate'}] converts one
 *   (same customer, still Pending or Accepted), which closes it and links the invoice back; delete with
 *   `POST estimate?operation=delete` {Id, SyncToken} (stale token → 5010; refused while its invoice exists);
 * - credit memos (queryable, `GET creditmemo/:id`; created by the helpers writeOff / creditInvoice as a person
 *   would, not through the API): a CreditMemo on an item, applied to the invoice by a Payment of TotalAmt 0 whose
 *   lines link the Invoice and the CreditMemo — how QuickBooks users write off bad debt (an item such as "Bad debt"
 *   booked to the Bad debts expense account);
 * - items and the chart of accounts (queryable, inactive rows only when Active is in the WHERE): each item posts to
 *   an account (IncomeAccountRef); the chart holds Services and Discounts given (income) and Bad debts (expense,
 *   AccountSubType BadDebts);
 * - the company's tax setup: CompanyInfo.Country, Preferences.TaxPrefs, TaxCode and TaxRate (queryable). A US
 *   company takes TAX / NON per line (automated sales tax: the rate `automatedSalesTaxPercent` stands in for the one
 *   QuickBooks finds from the customer's address; GlobalTaxCalculation is refused); any other company needs an
 *   active sales TaxCode on every line, GlobalTaxCalculation TaxExcluded (the default) or TaxInclusive. Tax is computed once per rate over the invoice (half away from
 *   zero), written to TxnTaxDetail (TotalTax and one TaxLine per rate) and added to TotalAmt unless inclusive.
 * Error codes 6240, 5010, 610, 2010, 2020, 2500, 3001, 3200 are Intuit's; the 6000-series business-validation
 * wording for currency, tax and negative totals is our approximation of Intuit's messages.
 * Ids are deterministic (counters per entity), so tests can name them.
 */

export interface QuickBooksSandboxOptions {
  realmId?: string;
  /** Access tokens accepted from the start (never expire unless expireAccessTokens() is called). */
  accessTokens?: string[];
  homeCurrency?: string;
  /** Company country: anything but US requires a TaxCodeRef on every invoice line. */
  country?: string;
  companyName?: string;
  /** The company's time zone: QuickBooks dates a transaction by the company's local day. Default UTC. */
  timeZone?: string;
  /** Sales tax codes and rates; default by country (GB: UK VAT codes, US: TAX / NON, elsewhere none). */
  taxCodes?: QboTaxCode[];
  taxRates?: QboTaxRate[];
  /** US automated sales tax: the rate applied to TAX lines (stands in for the customer's address). Default 0. */
  automatedSalesTaxPercent?: number;
  limits?: Partial<SandboxLimits>;
  /** Artificial latency per API request, so that concurrent requests overlap (tests of the concurrency limit). */
  latencyMs?: number;
  now?: () => Date;
  webhookVerifierToken?: string;
  oauth?: { clientId: string; clientSecret: string; redirectUri: string };
  /** Sales-form custom fields switched on in the company (Settings → Sales → Custom fields). */
  salesCustomFields?: Array<{ definitionId: string; name: string }>;
}

export interface SandboxCall {
  at: string;
  method: string;
  /** The route, e.g. `POST customer`, `GET query`, `GET customer/:id`, `POST oauth/token`. */
  route: string;
  path: string;
  params: Record<string, string>;
  requestId?: string;
  body?: unknown;
  status: number;
  response: unknown;
  replayed: boolean;
}

export interface QuickBooksSandboxState {
  realmId: string;
  homeCurrency: string;
  country: string;
  companyName: string;
  taxCodes: Map<string, QboTaxCode>;
  taxRates: Map<string, QboTaxRate>;
  automatedSalesTaxPercent: number;
  customers: Map<string, QboCustomer>;
  terms: Map<string, QboTerm>;
  invoices: Map<string, QboInvoice>;
  /** Estimates (non-posting): converted by an invoice that links them, which closes them. */
  estimates: Map<string, QboEstimate>;
  payments: Map<string, QboPayment>;
  /** Credit memos (e.g. a bad-debt write-off), applied to invoices by payments that link both. */
  creditMemos: Map<string, QboCreditMemo>;
  items: Map<string, QboItem>;
  /** The chart of accounts (the part the adapter reads: the accounts items post to). */
  accounts: Map<string, QboAccount>;
  /** Names held by vendors and employees (DisplayName is unique across all three). */
  otherNames: string[];
  salesCustomFields: Array<{ definitionId: string; name: string }>;
  events: QboCloudEvent[];
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

export const SANDBOX_ACCESS_TOKEN = 'qbo-sandbox-access-token';
export const SANDBOX_VERIFIER_TOKEN = 'qbo-sandbox-verifier-token';
const CDC_LOOKBACK_MS = 30 * 24 * 3600 * 1000;

/** The entities the query endpoint lists rows of (CompanyInfo and Preferences are single rows; see singletons). */
type Entity = Exclude<QboQueryEntity, 'CompanyInfo' | 'Preferences'>;
type Row =
  | QboCustomer
  | QboTerm
  | QboInvoice
  | QboEstimate
  | QboPayment
  | QboCreditMemo
  | QboItem
  | QboAccount
  | QboTaxCode
  | QboTaxRate;
/** Name-list entities: a query without Active in its WHERE answers active rows only. */
const NAME_LISTS: readonly Entity[] = ['Customer', 'Term', 'Item', 'Account'];

class FaultResponse extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly errors: QboFaultError[],
  ) {
    super(errors[0] ? `${errors[0].Message}: ${errors[0].Detail ?? ''}` : type);
  }
}

const validation = (code: string, message: string, detail: string, element = '') =>
  new FaultResponse(400, 'ValidationFault', [{ Message: message, Detail: detail, code, element }]);

const businessError = (detail: string) =>
  validation(
    '6000',
    'A business validation error has occurred while processing your request',
    `Business Validation Error: ${detail}`,
  );

const invalidReference = (what: string, id: string) =>
  validation(
    '2500',
    'Invalid Reference Id',
    `Invalid Reference Id : ${what} assigned to this transaction has been deleted or does not exist (Id ${id})`,
  );

const objectNotFound = (what: string, id: string) =>
  validation(
    '610',
    'Object Not Found',
    `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${what} ${id})`,
  );

function schemaFault(error: z.ZodError): FaultResponse {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  if (issue?.code === 'unrecognized_keys') {
    return validation(
      '2010',
      'Request has invalid or unsupported property',
      `Property Name:${issue.keys.join(',')} specified is unsupported or invalid`,
      path,
    );
  }
  if (issue?.code === 'invalid_type' && issue.input === undefined) {
    return validation(
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${path} is missing in the request`,
      path,
    );
  }
  return validation(
    '2010',
    'Request has invalid or unsupported property',
    `Property Name:${path} ${issue?.message ?? 'is invalid'}`,
    path,
  );
}

/** QuickBooks writes times in the company's zone; the sandbox uses a fixed Pacific offset so parsers must honour offsets. */
function qboTime(d: Date, ms = false): string {
  const shifted = new Date(d.getTime() - 8 * 3600 * 1000).toISOString();
  return `${ms ? shifted.slice(0, 23) : shifted.slice(0, 19)}-08:00`;
}

function currencyRef(code: string): QboRef {
  let name = code;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'currency' }).of(code) ?? code;
  } catch {
    // keep the code
  }
  return { value: code, name };
}

/** The fields the query endpoint may filter on (those Intuit documents as filterable that the adapter uses). */
const FIELDS: Record<Entity, Record<string, (row: never) => Literal | undefined>> = {
  Customer: {
    Id: (c: QboCustomer) => c.Id,
    DisplayName: (c: QboCustomer) => c.DisplayName,
    CompanyName: (c: QboCustomer) => c.CompanyName,
    PrimaryEmailAddr: (c: QboCustomer) => c.PrimaryEmailAddr?.Address,
    Active: (c: QboCustomer) => c.Active,
    'MetaData.CreateTime': (c: QboCustomer) => c.MetaData.CreateTime,
    'MetaData.LastUpdatedTime': (c: QboCustomer) => c.MetaData.LastUpdatedTime,
  },
  Term: { Id: (t: QboTerm) => t.Id, Name: (t: QboTerm) => t.Name, Active: (t: QboTerm) => t.Active },
  Invoice: {
    Id: (i: QboInvoice) => i.Id,
    CustomerRef: (i: QboInvoice) => i.CustomerRef.value,
    DocNumber: (i: QboInvoice) => i.DocNumber,
    TxnDate: (i: QboInvoice) => i.TxnDate,
    'MetaData.CreateTime': (i: QboInvoice) => i.MetaData.CreateTime,
    'MetaData.LastUpdatedTime': (i: QboInvoice) => i.MetaData.LastUpdatedTime,
  },
  Estimate: {
    Id: (e: QboEstimate) => e.Id,
    CustomerRef: (e: QboEstimate) => e.CustomerRef.value,
    DocNumber: (e: QboEstimate) => e.DocNumber,
    TxnDate: (e: QboEstimate) => e.TxnDate,
    TxnStatus: (e: QboEstimate) => e.TxnStatus,
    'MetaData.CreateTime': (e: QboEstimate) => e.MetaData.CreateTime,
    'MetaData.LastUpdatedTime': (e: QboEstimate) => e.MetaData.LastUpdatedTime,
  },
  Payment: {
    Id: (p: QboPayment) => p.Id,
    CustomerRef: (p: QboPayment) => p.CustomerRef.value,
    TxnDate: (p: QboPayment) => p.TxnDate,
    'MetaData.LastUpdatedTime': (p: QboPayment) => p.MetaData.LastUpdatedTime,
  },
  CreditMemo: {
    Id: (m: QboCreditMemo) => m.Id,
    CustomerRef: (m: QboCreditMemo) => m.CustomerRef.value,
    DocNumber: (m: QboCreditMemo) => m.DocNumber,
    TxnDate: (m: QboCreditMemo) => m.TxnDate,
    'MetaData.LastUpdatedTime': (m: QboCreditMemo) => m.MetaData.LastUpdatedTime,
  },
  Item: {
    Id: (i: QboItem) => i.Id,
    Name: (i: QboItem) => i.Name,
    Type: (i: QboItem) => i.Type,
    Active: (i: QboItem) => i.Active,
  },
  Account: {
    Id: (a: QboAccount) => a.Id,
    Name: (a: QboAccount) => a.Name,
    AccountType: (a: QboAccount) => a.AccountType,
    Active: (a: QboAccount) => a.Active,
  },
  TaxCode: { Id: (t: QboTaxCode) => t.Id, Name: (t: QboTaxCode) => t.Name, Active: (t: QboTaxCode) => t.Active },
  TaxRate: { Id: (t: QboTaxRate) => t.Id, Name: (t: QboTaxRate) => t.Name, Active: (t: QboTaxRate) => t.Active },
};

/** Every entity the query endpoint lists rows of, in FIELDS' order. */
const ENTITIES = Object.keys(FIELDS) as Entity[];

/** `GET <entity>/:id` for the entities that can be read one by one (group 1: the entity, group 2: the id). */
const ENTITY_GET = /^(customer|term|invoice|estimate|payment|creditmemo)\/([^/]+)$/;

const normName = (s: string) => s.trim().toLowerCase();

function defaultTaxCodes(country: string): QboTaxCode[] {
  if (country === 'US') return US_TAX_CODES;
  return country === 'GB' ? UK_TAX_CODES : [];
}

/** n × ppm / 10^6 (or the tax part of a gross amount), rounded half away from zero; bigint, exact. */
function taxPart(amount: bigint, ppm: bigint, inclusive: boolean): bigint {
  const d = inclusive ? 1_000_000n + ppm : 1_000_000n;
  const n = amount * ppm;
  const a = n < 0n ? -n : n;
  const q = (a * 2n + d) / (d * 2n);
  return n < 0n ? -q : q;
}
const bump = (syncToken: string) => String(Number(syncToken) + 1);

/**
 * Creates a sandbox company. See the module comment for what it enforces.
 * @example const qbo = createQuickBooksSandbox(); mockVendors({ 'https://quickbooks.api.test': qbo.handle });
 */
export function createQuickBooksSandbox(options: QuickBooksSandboxOptions = {}) {
  const now = options.now ?? (() => new Date());
  const realmId = options.realmId ?? FIXTURE_REALM_ID;
  const verifierToken = options.webhookVerifierToken ?? SANDBOX_VERIFIER_TOKEN;
  const limits: SandboxLimits = { ...QUICKBOOKS_LIMITS, ...options.limits };
  const limiter = createRealmLimiter(limits, now);

  const meta = () => ({ CreateTime: qboTime(now()), LastUpdatedTime: qboTime(now()) });
  const state: QuickBooksSandboxState = {
    realmId,
    homeCurrency: options.homeCurrency ?? 'USD',
    country: options.country ?? 'US',
    companyName: options.companyName ?? 'Sandbox Company',
    taxCodes: new Map(
      (options.taxCodes ?? defaultTaxCodes(options.country ?? 'US')).map((t) => [t.Id, structuredClone(t)]),
    ),
    taxRates: new Map(
      (options.taxRates ?? ((options.country ?? 'US') === 'GB' ? UK_TAX_RATES : [])).map((t) => [
        t.Id,
        structuredClone(t),
      ]),
    ),
    automatedSalesTaxPercent: options.automatedSalesTaxPercent ?? 0,
    customers: new Map(),
    terms: new Map(DEFAULT_TERMS.map((t) => [t.Id, structuredClone(t)])),
    invoices: new Map(),
    estimates: new Map(),
    payments: new Map(),
    creditMemos: new Map(),
    items: new Map(
      [
        ['1', 'Services'],
        ['2', 'Hours'],
      ].map(([id, name]) => [id as string, itemRow(id as string, name as string, { value: '1', name: 'Services' })]),
    ),
    accounts: new Map(
      (
        [
          ['1', 'Services', 'Income', 'ServiceFeeIncome', 'Revenue'],
          ['2', 'Discounts given', 'Income', 'DiscountsRefundsGiven', 'Revenue'],
          ['3', 'Bad debts', 'Expense', 'BadDebts', 'Expense'],
        ] as const
      ).map(([Id, Name, AccountType, AccountSubType, Classification]) => [
        Id,
        {
          Id,
          SyncToken: '0',
          Name,
          FullyQualifiedName: Name,
          AccountType,
          AccountSubType,
          Classification,
          Active: true,
          MetaData: meta(),
          domain: 'QBO',
          sparse: false,
        },
      ]),
    ),
    otherNames: [],
    salesCustomFields: options.salesCustomFields ?? [{ definitionId: '1', name: 'P.O. Number' }],
    events: [],
  };
  const calls: SandboxCall[] = [];
  const counters = {
    Customer: 58,
    Term: DEFAULT_TERMS.length + 1,
    Invoice: 130,
    Estimate: 41,
    Payment: 201,
    CreditMemo: 301,
    Item: 3,
    DocNumber: 1001,
    EstimateNumber: 1001,
    Addr: 91,
    event: 1,
    code: 1,
    token: 1,
  };
  const nextId = (k: keyof typeof counters) => String(counters[k]++);
  const replays = new Map<string, { status: number; text: string }>();
  const accessTokens = new Map<string, number>(
    (options.accessTokens ?? [SANDBOX_ACCESS_TOKEN]).map((t) => [t, Number.POSITIVE_INFINITY]),
  );
  const refreshTokens = new Map<string, number>();
  const authCodes = new Map<string, { redirectUri: string }>();
  const injected: Array<{
    status: number;
    body: unknown;
    headers: Record<string, string>;
    times: number;
    when?: (route: string) => boolean;
  }> = [];

  const touch = (m: { LastUpdatedTime: string }) => {
    m.LastUpdatedTime = qboTime(now());
  };

  function emit(entity: 'invoice' | 'customer' | 'payment' | 'creditmemo', action: string, id: string) {
    const n = counters.event++;
    state.events.push({
      specversion: '1.0',
      id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      source: 'intuit.sandbox',
      type: `qbo.${entity}.${action}.v1`,
      datacontenttype: 'application/json',
      time: now().toISOString(),
      intuitentityid: id,
      intuitaccountid: realmId,
      data: {},
    });
  }

  function exponentOf(code: string): number {
    try {
      return currencyExponent(code);
    } catch {
      throw businessError(`${code} is not a currency QuickBooks supports`);
    }
  }

  function nameTaken(name: string, exceptCustomerId?: string): boolean {
    const n = normName(name);
    if (state.otherNames.some((o) => normName(o) === n)) return true;
    return [...state.customers.values()].some((c) => c.Id !== exceptCustomerId && normName(c.DisplayName) === n);
  }

  const duplicateName = () =>
    validation(
      '6240',
      'Duplicate Name Exists Error',
      'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
    );

  function termRef(ref: QboRef | undefined): QboRef | undefined {
    if (!ref) return undefined;
    const term = state.terms.get(ref.value);
    if (!term?.Active) throw invalidReference('Term', ref.value);
    return { value: term.Id, name: term.Name };
  }

  // --- writes -------------------------------------------------------------------------------------------------

  function createCustomer(body: QboCustomerCreate): QboCustomer {
    if (nameTaken(body.DisplayName)) throw duplicateName();
    const currency = body.CurrencyRef?.value ?? state.homeCurrency;
    exponentOf(currency);
    const terms = termRef(body.SalesTermRef);
    const id = nextId('Customer');
    const customer: QboCustomer = {
      Id: id,
      SyncToken: '0',
      DisplayName: body.DisplayName.trim(),
      ...(body.CompanyName ? { CompanyName: body.CompanyName } : {}),
      ...(body.GivenName ? { GivenName: body.GivenName } : {}),
      ...(body.FamilyName ? { FamilyName: body.FamilyName } : {}),
      FullyQualifiedName: body.DisplayName.trim(),
      ...(body.PrimaryEmailAddr ? { PrimaryEmailAddr: { Address: body.PrimaryEmailAddr.Address } } : {}),
      ...(body.BillAddr ? { BillAddr: { Id: nextId('Addr'), ...body.BillAddr } } : {}),
      ...(terms ? { SalesTermRef: terms } : {}),
      CurrencyRef: currencyRef(currency),
      ...(body.Notes ? { Notes: body.Notes } : {}),
      Active: true,
      Balance: 0,
      MetaData: meta(),
      domain: 'QBO',
      sparse: false,
    };
    state.customers.set(id, customer);
    emit('customer', 'created', id);
    return structuredClone(customer);
  }

  function updateCustomer(raw: unknown): QboCustomer {
    const parsed = QBO_STRICT.CustomerSparseUpdate.safeParse(raw);
    if (!parsed.success) throw schemaFault(parsed.error);
    const body = parsed.data;
    const current = state.customers.get(body.Id);
    if (!current) throw objectNotFound('Customer', body.Id);
    if (current.SyncToken !== body.SyncToken) {
      throw validation(
        '5010',
        'Stale Object Error',
        'Stale Object Error : You and admin were working on this at the same time. admin finished before you did, so your work was not saved.',
      );
    }
    if (body.DisplayName !== undefined && nameTaken(body.DisplayName, current.Id)) throw duplicateName();
    const terms = termRef(body.SalesTermRef);
    const { Id: _id, SyncToken: _sync, sparse: _sparse, SalesTermRef: _terms, BillAddr, ...fields } = body;
    Object.assign(current, fields);
    if (BillAddr) current.BillAddr = { Id: current.BillAddr?.Id ?? nextId('Addr'), ...BillAddr };
    if (terms) current.SalesTermRef = terms;
    if (body.DisplayName !== undefined) current.FullyQualifiedName = body.DisplayName;
    current.SyncToken = bump(current.SyncToken);
    touch(current.MetaData);
    emit('customer', 'updated', current.Id);
    return structuredClone(current);
  }

  function createTerm(body: QboTermCreate): QboTerm {
    if ([...state.terms.values()].some((t) => normName(t.Name) === normName(body.Name))) {
      throw validation(
        '6240',
        'Duplicate Name Exists Error',
        'The name supplied already exists. : Another term is already using this name.',
      );
    }
    const id = nextId('Term');
    const term: QboTerm =
      'DueDays' in body
        ? {
            Id: id,
            SyncToken: '0',
            Name: body.Name,
            Active: true,
            Type: 'STANDARD',
            DueDays: body.DueDays,
            DiscountDays: 0,
            MetaData: meta(),
            domain: 'QBO',
            sparse: false,
          }
        : {
            Id: id,
            SyncToken: '0',
            Name: body.Name,
            Active: true,
            Type: 'DATE_DRIVEN',
            DayOfMonthDue: body.DayOfMonthDue,
            DueNextMonthDays: body.DueNextMonthDays,
            DiscountDayOfMonth: body.DiscountDayOfMonth,
            MetaData: meta(),
            domain: 'QBO',
            sparse: false,
          };
    state.terms.set(id, term);
    return structuredClone(term);
  }

  /**
   * The invoice's tax, once per rate over all lines carrying it (non-US: each code's sales rates; US: TAX lines at
   * the automated rate). Validates GlobalTaxCalculation: the US API has none; elsewhere it is required.
   */
  function invoiceTax(
    body: Pick<QboInvoiceCreate, 'Line' | 'GlobalTaxCalculation'>,
    exp: number,
  ): { total: bigint; lines: QboTaxLine[] } {
    const global = body.GlobalTaxCalculation;
    if (state.country === 'US' && global && global !== 'NotApplicable') {
      throw validation(
        '2010',
        'Request has invalid or unsupported property',
        'Property Name:GlobalTaxCalculation is not supported for US companies',
        'GlobalTaxCalculation',
      );
    }
    if (
      state.country !== 'US' &&
      global === 'NotApplicable' &&
      body.Line.some((l) => l.SalesItemLineDetail.TaxCodeRef)
    ) {
      throw businessError('GlobalTaxCalculation NotApplicable cannot be used on a transaction with tax codes.');
    }
    const inclusive = global === 'TaxInclusive';
    const byRate = new Map<string, { ppm: bigint; net: bigint; ref: QboRef; percent: number }>();
    for (const l of body.Line) {
      const ref = l.SalesItemLineDetail.TaxCodeRef;
      if (!ref) continue;
      const amount = toMinor(l.Amount, exp) ?? 0n;
      const rates: Array<{ ref: QboRef; percent: number }> =
        state.country === 'US'
          ? ref.value === 'TAX'
            ? [{ ref: { value: 'AST', name: 'Automated Sales Tax' }, percent: state.automatedSalesTaxPercent }]
            : []
          : (state.taxCodes.get(ref.value)?.SalesTaxRateList?.TaxRateDetail ?? []).map((d) => {
              const rate = state.taxRates.get(d.TaxRateRef.value);
              return { ref: { value: d.TaxRateRef.value, name: rate?.Name ?? '' }, percent: rate?.RateValue ?? 0 };
            });
      for (const r of rates) {
        const entry = byRate.get(r.ref.value) ?? {
          ppm: BigInt(Math.round(r.percent * 10_000)),
          net: 0n,
          ref: r.ref,
          percent: r.percent,
        };
        entry.net += amount;
        byRate.set(r.ref.value, entry);
      }
    }
    let total = 0n;
    const lines: QboTaxLine[] = [];
    for (const e of byRate.values()) {
      const tax = taxPart(e.net, e.ppm, inclusive);
      total += tax;
      lines.push({
        Amount: fromMinor(tax, exp),
        DetailType: 'TaxLineDetail',
        TaxLineDetail: {
          TaxRateRef: e.ref,
          PercentBased: true,
          TaxPercent: e.percent,
          NetAmountTaxable: fromMinor(inclusive ? e.net - tax : e.net, exp),
        },
      });
    }
    return { total, lines };
  }

  /**
   * A sales form's grand total (minor units: the subtotal, plus the tax unless amounts are tax-inclusive) and its
   * TxnTaxDetail, from its lines and their subtotal (minor units).
   */
  function salesTotals(form: Pick<QboInvoiceCreate, 'Line' | 'GlobalTaxCalculation'>, subtotal: bigint, exp: number) {
    const tax = invoiceTax(form, exp);
    const grand = form.GlobalTaxCalculation === 'TaxInclusive' ? subtotal : subtotal + tax.total;
    return {
      grand,
      txnTaxDetail: { TotalTax: fromMinor(tax.total, exp), ...(tax.lines.length ? { TaxLine: tax.lines } : {}) },
    };
  }

  /** A sales form's customer, lines, tax and totals, checked as QuickBooks checks an invoice's (and an estimate's). */
  function priceSalesForm(
    body: Pick<QboInvoiceCreate, 'CustomerRef' | 'CurrencyRef' | 'Line' | 'GlobalTaxCalculation' | 'CustomField'>,
  ) {
    const customer = state.customers.get(body.CustomerRef.value);
    if (!customer) throw invalidReference('Customer', body.CustomerRef.value);
    if (!customer.Active) throw objectNotFound('Customer', customer.Id);
    const currency = body.CurrencyRef?.value ?? state.homeCurrency;
    const customerCurrency = customer.CurrencyRef?.value ?? state.homeCurrency;
    if (currency !== customerCurrency) {
      throw businessError(
        `The currency of the transaction (${currency}) must match the customer's currency (${customerCurrency}).`,
      );
    }
    const exp = exponentOf(currency);
    let total = 0n;
    const lines: QboSalesItemLine[] = body.Line.map((l, i) => {
      const item = state.items.get(l.SalesItemLineDetail.ItemRef.value);
      if (!item) throw invalidReference('Item', l.SalesItemLineDetail.ItemRef.value);
      if (!item.Active) throw objectNotFound('Item', item.Id);
      if (state.country !== 'US' && !l.SalesItemLineDetail.TaxCodeRef) {
        throw businessError('Make sure all your transactions have a GST/VAT rate before you save.');
      }
      const taxRef = l.SalesItemLineDetail.TaxCodeRef;
      const code = taxRef ? state.taxCodes.get(taxRef.value) : undefined;
      if (taxRef && !code?.Active) throw invalidReference('TaxCode', taxRef.value);
      if (code && state.country !== 'US' && !code.SalesTaxRateList?.TaxRateDetail.length) {
        throw businessError(`Tax code ${code.Name} cannot be used on sales (it has no sales tax rate).`);
      }
      const amount = toMinor(l.Amount, exp);
      if (amount === null)
        throw businessError(`Line ${i + 1} Amount ${l.Amount} has more decimal places than ${currency} allows.`);
      const { Qty, UnitPrice } = l.SalesItemLineDetail;
      if (Qty !== undefined && UnitPrice !== undefined && productMinor(Qty, UnitPrice, exp) !== amount) {
        throw validation(
          '6070',
          'Amount is not equal to UnitPrice * Qty',
          `Amount is not equal to UnitPrice * Qty. Supplied value:${l.Amount}`,
          `Line[${i}].Amount`,
        );
      }
      total += amount;
      return {
        Id: String(i + 1),
        LineNum: i + 1,
        Amount: l.Amount,
        DetailType: 'SalesItemLineDetail',
        ...(l.Description !== undefined ? { Description: l.Description } : {}),
        SalesItemLineDetail: { ...l.SalesItemLineDetail, ItemRef: { value: item.Id, name: item.Name } },
      };
    });
    if (total < 0n) throw businessError('Transaction amount must be positive.');
    const { grand, txnTaxDetail } = salesTotals(body, total, exp);
    // Values for custom fields that are not switched on are dropped, as the UI would drop them.
    const enabled = state.salesCustomFields;
    const customFields: QboCustomField[] = enabled.map((def) => {
      const given = body.CustomField?.find((f) => f.DefinitionId === def.definitionId);
      return {
        DefinitionId: def.definitionId,
        Name: def.name,
        Type: 'StringType',
        ...(given?.StringValue !== undefined ? { StringValue: given.StringValue } : {}),
      };
    });
    return {
      customer,
      currency,
      exp,
      lines: [
        ...lines,
        { Amount: fromMinor(total, exp), DetailType: 'SubTotalLineDetail' as const, SubTotalLineDetail: {} },
      ],
      grand,
      totalAmt: fromMinor(grand, exp),
      customFields,
      txnTaxDetail,
    };
  }

  /**
   * The estimate an invoice converts (LinkedTxn with TxnType Estimate): it must be this customer's and still open
   * (Pending or Accepted); a closed or rejected estimate cannot be converted again.
   */
  function estimateToConvert(body: QboInvoiceCreate): QboEstimate | undefined {
    const link = body.LinkedTxn?.find((t) => t.TxnType === 'Estimate');
    if (body.LinkedTxn?.some((t) => t.TxnType !== 'Estimate')) {
      throw businessError('An invoice can only be linked to an estimate when it is created.');
    }
    if (!link) return undefined;
    const estimate = state.estimates.get(link.TxnId);
    if (!estimate) throw invalidReference('Estimate', link.TxnId);
    if (estimate.CustomerRef.value !== body.CustomerRef.value) {
      throw businessError(`Estimate ${estimate.DocNumber ?? estimate.Id} belongs to another customer.`);
    }
    if (estimate.TxnStatus === 'Closed' || estimate.TxnStatus === 'Rejected') {
      throw businessError(
        `Estimate ${estimate.DocNumber ?? estimate.Id} is ${estimate.TxnStatus} and cannot be converted into an invoice.`,
      );
    }
    return estimate;
  }

  function createInvoice(raw: unknown): QboInvoice {
    const parsed = QBO_STRICT.InvoiceCreate.safeParse(raw);
    if (!parsed.success) throw schemaFault(parsed.error);
    const body = parsed.data;
    const priced = priceSalesForm(body);
    const { customer, currency, exp } = priced;
    const terms = termRef(body.SalesTermRef);
    const estimate = estimateToConvert(body);
    const id = nextId('Invoice');
    const invoice: QboInvoice = {
      Id: id,
      SyncToken: '0',
      DocNumber: nextId('DocNumber'),
      TxnDate: body.TxnDate,
      DueDate: body.DueDate,
      CustomerRef: { value: customer.Id, name: customer.DisplayName },
      ...(terms ? { SalesTermRef: terms } : {}),
      Line: priced.lines,
      TotalAmt: priced.totalAmt,
      Balance: priced.totalAmt,
      CurrencyRef: currencyRef(currency),
      ...(body.PrivateNote !== undefined ? { PrivateNote: body.PrivateNote } : {}),
      ...(body.CustomerMemo ? { CustomerMemo: body.CustomerMemo } : {}),
      ...(priced.customFields.length > 0 ? { CustomField: priced.customFields } : {}),
      EmailStatus: 'NotSet',
      ...(body.GlobalTaxCalculation ? { GlobalTaxCalculation: body.GlobalTaxCalculation } : {}),
      TxnTaxDetail: priced.txnTaxDetail,
      ...(estimate ? { LinkedTxn: [{ TxnId: estimate.Id, TxnType: 'Estimate' }] } : {}),
      MetaData: meta(),
      domain: 'QBO',
      sparse: false,
    };
    state.invoices.set(id, invoice);
    addToCustomerBalance(customer.Id, priced.grand, exp);
    if (estimate) {
      // Converting closes the estimate and links it back to its invoice, as QuickBooks does.
      estimate.TxnStatus = 'Closed';
      estimate.LinkedTxn = [...(estimate.LinkedTxn ?? []), { TxnId: id, TxnType: 'Invoice' }];
      estimate.SyncToken = bump(estimate.SyncToken);
      touch(estimate.MetaData);
    }
    emit('invoice', 'created', id);
    return structuredClone(invoice);
  }

  /** An Estimate: priced like an invoice, but non-posting (no balance, no accounts receivable), TxnStatus Pending. */
  function createEstimate(raw: unknown): QboEstimate {
    const parsed = QBO_STRICT.EstimateCreate.safeParse(raw);
    if (!parsed.success) throw schemaFault(parsed.error);
    const body = parsed.data;
    if (body.ExpirationDate && body.ExpirationDate < body.TxnDate) {
      throw businessError('The expiration date of an estimate cannot be before its date.');
    }
    const priced = priceSalesForm(body);
    const terms = termRef(body.SalesTermRef);
    const id = nextId('Estimate');
    const estimate: QboEstimate = {
      Id: id,
      SyncToken: '0',
      DocNumber: nextId('EstimateNumber'),
      TxnDate: body.TxnDate,
      ...(body.ExpirationDate ? { ExpirationDate: body.ExpirationDate } : {}),
      CustomerRef: { value: priced.customer.Id, name: priced.customer.DisplayName },
      ...(terms ? { SalesTermRef: terms } : {}),
      Line: priced.lines,
      TotalAmt: priced.totalAmt,
      TxnStatus: 'Pending',
      CurrencyRef: currencyRef(priced.currency),
      ...(body.PrivateNote !== undefined ? { PrivateNote: body.PrivateNote } : {}),
      ...(body.CustomerMemo ? { CustomerMemo: body.CustomerMemo } : {}),
      ...(priced.customFields.length > 0 ? { CustomField: priced.customFields } : {}),
      EmailStatus: 'NotSet',
      ...(body.GlobalTaxCalculation ? { GlobalTaxCalculation: body.GlobalTaxCalculation } : {}),
      TxnTaxDetail: priced.txnTaxDetail,
      MetaData: meta(),
      domain: 'QBO',
      sparse: false,
    };
    state.estimates.set(id, estimate);
    return structuredClone(estimate);
  }

  /** Deletes an estimate (Id + current SyncToken). One converted into an invoice stays: delete the invoice first. */
  function deleteEstimate(raw: unknown): { Id: string; status: 'Deleted'; domain: 'QBO' } {
    const parsed = QBO_STRICT.DeleteRequest.safeParse(raw);
    if (!parsed.success) throw schemaFault(parsed.error);
    const est = state.estimates.get(parsed.data.Id);
    if (!est) throw objectNotFound('Estimate', parsed.data.Id);
    if (est.SyncToken !== parsed.data.SyncToken)
      throw validation('5010', 'Stale Object Error', 'Stale Object Error : the estimate changed since you read it.');
    if (est.LinkedTxn?.some((t) => t.TxnType === 'Invoice' && state.invoices.has(t.TxnId))) {
      throw businessError(
        `Estimate ${est.DocNumber ?? est.Id} is linked to an invoice; delete or unlink the invoice before deleting it.`,
      );
    }
    state.estimates.delete(est.Id);
    return { Id: est.Id, status: 'Deleted', domain: 'QBO' };
  }

  // --- reads --------------------------------------------------------------------------------------------------

  /** Each entity's rows by Id. */
  function tables(): Record<Entity, Map<string, Row>> {
    return {
      Customer: state.customers,
      Term: state.terms,
      Invoice: state.invoices,
      Estimate: state.estimates,
      Payment: state.payments,
      CreditMemo: state.creditMemos,
      Item: state.items,
      Account: state.accounts,
      TaxCode: state.taxCodes,
      TaxRate: state.taxRates,
    };
  }

  function tableOf(entity: Entity): Row[] {
    return [...tables()[entity].values()].sort((a, b) => Number(a.Id) - Number(b.Id));
  }

  function matches(row: Row, entity: Entity, c: Condition): boolean {
    const key = Object.keys(FIELDS[entity]).find((k) => k.toLowerCase() === c.field.toLowerCase());
    if (!key) throw new QueryParseError(`property ${c.field} is not queryable on ${entity}`);
    const actual = (FIELDS[entity][key] as (r: Row) => Literal | undefined)(row);
    if (actual === undefined) return false;
    const eq = (v: Literal) =>
      typeof actual === 'string' && typeof v === 'string' ? actual.toLowerCase() === v.toLowerCase() : actual === v;
    if (c.op === '=') return eq(c.value as Literal);
    if (c.op === 'in') return (c.value as Literal[]).some(eq);
    const isTime = key.startsWith('MetaData.');
    const a = isTime ? Date.parse(String(actual)) : actual;
    const b = isTime ? Date.parse(String(c.value)) : (c.value as Literal);
    if (isTime && Number.isNaN(b)) throw new QueryParseError(`"${String(c.value)}" is not a time`);
    if (c.op === '>=') return a >= b;
    if (c.op === '>') return a > b;
    if (c.op === '<=') return a <= b;
    return a < b;
  }

  /** CompanyInfo and Preferences: one row each, whatever the WHERE. */
  function singletons(entity: string): Record<string, unknown> | null {
    if (entity.toLowerCase() === 'companyinfo') {
      return {
        CompanyInfo: [
          {
            Id: '1',
            SyncToken: '0',
            CompanyName: state.companyName,
            LegalName: state.companyName,
            Country: state.country,
            MetaData: meta(),
            domain: 'QBO',
            sparse: false,
          },
        ],
        startPosition: 1,
        maxResults: 1,
      };
    }
    if (entity.toLowerCase() === 'preferences') {
      return {
        Preferences: [
          {
            Id: '1',
            SyncToken: '0',
            TaxPrefs:
              state.country === 'US'
                ? { UsingSalesTax: true, PartnerTaxEnabled: true }
                : { UsingSalesTax: state.taxCodes.size > 0, PartnerTaxEnabled: false },
            MetaData: meta(),
            domain: 'QBO',
            sparse: false,
          },
        ],
        startPosition: 1,
        maxResults: 1,
      };
    }
    return null;
  }

  function runQuery(q: string) {
    let parsed: ReturnType<typeof parseQuery>;
    try {
      parsed = parseQuery(q);
    } catch (e) {
      throw validation('4000', 'Error parsing query', `QueryParserError: ${(e as Error).message}`);
    }
    const single = singletons(parsed.entity);
    if (single) return { QueryResponse: single, time: qboTime(now(), true) };
    const entity = ENTITIES.find((e) => e.toLowerCase() === parsed.entity.toLowerCase());
    if (!entity)
      throw validation('4001', 'Invalid query', `QueryValidationError: the sandbox does not model ${parsed.entity}`);
    try {
      for (const c of parsed.where) {
        if (!Object.keys(FIELDS[entity]).some((k) => k.toLowerCase() === c.field.toLowerCase())) {
          throw new QueryParseError(`property ${c.field} is not queryable on ${entity}`);
        }
      }
      let rows = tableOf(entity).filter((r) => parsed.where.every((c) => matches(r, entity, c)));
      const hasActive = parsed.where.some((c) => c.field.toLowerCase() === 'active');
      if (NAME_LISTS.includes(entity) && !hasActive)
        rows = rows.filter((r) => (r as QboCustomer | QboTerm | QboItem | QboAccount).Active);
      if (parsed.orderBy) {
        const get = Object.entries(FIELDS[entity]).find(
          ([k]) => k.toLowerCase() === parsed.orderBy?.field.toLowerCase(),
        )?.[1];
        if (!get) throw new QueryParseError(`cannot order by ${parsed.orderBy.field}`);
        const g = get as (r: Row) => Literal | undefined;
        rows.sort((a, b) => String(g(a) ?? '').localeCompare(String(g(b) ?? '')) * (parsed.orderBy?.desc ? -1 : 1));
      }
      const page = rows.slice(parsed.startPosition - 1, parsed.startPosition - 1 + parsed.maxResults);
      return {
        QueryResponse:
          page.length === 0
            ? {}
            : { [entity]: structuredClone(page), startPosition: parsed.startPosition, maxResults: page.length },
        time: qboTime(now(), true),
      };
    } catch (e) {
      if (e instanceof QueryParseError) throw validation('4001', 'Invalid query', `QueryValidationError: ${e.message}`);
      throw e;
    }
  }

  function runCdc(params: Record<string, string>) {
    const entities = (params.entities ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const since = Date.parse(params.changedSince ?? '');
    if (entities.length === 0 || Number.isNaN(since)) {
      throw validation(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'Required parameters entities and changedSince',
      );
    }
    if (now().getTime() - since > CDC_LOOKBACK_MS) {
      throw validation('2030', 'Invalid query parameter', 'changedSince must be within the last 30 days');
    }
    let budget = 1000;
    const responses: QboCdcQueryResponse[] = entities.map((name) => {
      const entity = (['Invoice', 'Payment', 'Customer'] as const).find((e) => e.toLowerCase() === name.toLowerCase());
      if (!entity)
        throw validation('2030', 'Invalid query parameter', `CDC is not available for ${name} in the sandbox`);
      const rows = tableOf(entity)
        .filter((r) => Date.parse((r as QboInvoice).MetaData.LastUpdatedTime) >= since)
        .slice(0, Math.max(0, budget));
      budget -= rows.length;
      return rows.length === 0 ? {} : { [entity]: structuredClone(rows), startPosition: 1, maxResults: rows.length };
    });
    return { CDCResponse: [{ QueryResponse: responses }], time: qboTime(now(), true) };
  }

  // --- HTTP ---------------------------------------------------------------------------------------------------

  function faultBody(f: FaultResponse) {
    return { Fault: { Error: f.errors, type: f.type }, time: qboTime(now(), true) };
  }

  function record(call: Omit<SandboxCall, 'at'>) {
    calls.push({ at: now().toISOString(), ...call });
  }

  async function route(
    method: string,
    path: string,
    params: Record<string, string>,
    body: unknown,
  ): Promise<{ route: string; status: number; body: unknown; headers?: Record<string, string> }> {
    const entityGet = ENTITY_GET.exec(path);
    if (method === 'GET' && entityGet) {
      const kind = entityGet[1] as string;
      const id = decodeURIComponent(entityGet[2] as string);
      const key = ENTITIES.find((e) => e.toLowerCase() === kind) as Entity;
      const row = tables()[key].get(id);
      if (!row) throw objectNotFound(key, id);
      return {
        route: `GET ${kind}/:id`,
        status: 200,
        body: { [key]: structuredClone(row), time: qboTime(now(), true) },
      };
    }
    if (method === 'GET' && path === 'query') {
      return { route: 'GET query', status: 200, body: runQuery(params.query ?? '') };
    }
    if (method === 'GET' && path === 'cdc') return { route: 'GET cdc', status: 200, body: runCdc(params) };
    if (method === 'POST' && path === 'customer') {
      const isUpdate = typeof body === 'object' && body !== null && 'Id' in body;
      if (isUpdate)
        return {
          route: 'POST customer',
          status: 200,
          body: { Customer: updateCustomer(body), time: qboTime(now(), true) },
        };
      const parsed = QBO_STRICT.CustomerCreate.safeParse(body);
      if (!parsed.success) throw schemaFault(parsed.error);
      return {
        route: 'POST customer',
        status: 200,
        body: { Customer: createCustomer(parsed.data), time: qboTime(now(), true) },
      };
    }
    if (method === 'POST' && path === 'term') {
      const parsed = QBO_STRICT.TermCreate.safeParse(body);
      if (!parsed.success) throw schemaFault(parsed.error);
      return { route: 'POST term', status: 200, body: { Term: createTerm(parsed.data), time: qboTime(now(), true) } };
    }
    if (method === 'POST' && path === 'invoice' && params.operation === 'void') {
      const b = body as { Id?: unknown; SyncToken?: unknown };
      if (typeof b?.Id !== 'string' || typeof b.SyncToken !== 'string')
        throw validation(
          '2020',
          'Required param missing, need to supply the required value for the API',
          'Required parameter Id, SyncToken',
        );
      const inv = state.invoices.get(b.Id);
      if (!inv) throw objectNotFound('Invoice', b.Id);
      if (inv.SyncToken !== b.SyncToken)
        throw validation('5010', 'Stale Object Error', 'Stale Object Error : the invoice changed since you read it.');
      return {
        route: 'POST invoice?operation=void',
        status: 200,
        body: { Invoice: voidInvoice(b.Id), time: qboTime(now(), true) },
      };
    }
    if (method === 'POST' && path === 'invoice') {
      return { route: 'POST invoice', status: 200, body: { Invoice: createInvoice(body), time: qboTime(now(), true) } };
    }
    if (method === 'POST' && path === 'estimate' && params.operation === 'delete') {
      return {
        route: 'POST estimate?operation=delete',
        status: 200,
        body: { Estimate: deleteEstimate(body), time: qboTime(now(), true) },
      };
    }
    if (method === 'POST' && path === 'estimate' && params.operation === undefined) {
      return {
        route: 'POST estimate',
        status: 200,
        body: { Estimate: createEstimate(body), time: qboTime(now(), true) },
      };
    }
    return {
      route: `${method} ${path}`,
      status: 404,
      body: faultBody(
        new FaultResponse(404, 'ValidationFault', [
          {
            Message: 'Unsupported Operation',
            Detail: `${method} ${path} is not supported by the sandbox`,
            code: '500',
          },
        ]),
      ),
    };
  }

  /** The route a call is logged under: entity ids folded into `:id` so that logs group by operation. */
  function routeOf(method: string, path: string, params: Record<string, string>): string {
    const entityGet = ENTITY_GET.exec(path);
    if (method === 'GET' && entityGet) return `GET ${entityGet[1]}/:id`;
    if (method === 'POST' && path === 'invoice' && params.operation === 'void') return 'POST invoice?operation=void';
    if (method === 'POST' && path === 'estimate' && params.operation === 'delete')
      return 'POST estimate?operation=delete';
    return `${method} ${path}`;
  }

  function bearer(request: Request): string | undefined {
    const h = request.headers.get('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    return m?.[1]?.trim();
  }

  function tokenValid(token: string | undefined): boolean {
    if (!token) return false;
    const expires = accessTokens.get(token);
    return expires !== undefined && expires > now().getTime();
  }

  async function handleApi(request: Request, url: URL): Promise<Response> {
    const m = /^\/v3\/company\/([^/]+)\/(.+)$/.exec(url.pathname);
    const params = Object.fromEntries(url.searchParams.entries());
    const method = request.method.toUpperCase();
    const text = method === 'POST' ? await request.text() : '';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const path = m?.[2] ?? url.pathname;
    const requestId = params.requestid;
    const base = { method, path, params, ...(requestId ? { requestId } : {}), ...(body !== undefined ? { body } : {}) };
    const answer = (
      routeName: string,
      status: number,
      payload: unknown,
      headers: Record<string, string> = {},
      replayed = false,
    ) => {
      record({ ...base, route: routeName, status, response: payload, replayed });
      const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
      if (!wantsJson) {
        // QuickBooks answers XML unless asked for JSON; the adapter must always ask.
        return new Response('<IntuitResponse xmlns="http://schema.intuit.com/finance/v3"/>', {
          status,
          headers: { 'content-type': 'application/xml', ...headers },
        });
      }
      return json(payload, status, headers);
    };

    if (!m)
      return answer(
        `${method} ${url.pathname}`,
        404,
        faultBody(new FaultResponse(404, 'ValidationFault', [{ Message: 'Not Found', code: '404' }])),
      );
    if (!tokenValid(bearer(request))) {
      return answer('auth', 401, {
        fault: {
          error: [
            {
              message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
              detail: 'Token expired or invalid',
              code: '3200',
              element: null,
            },
          ],
          type: 'AUTHENTICATION',
        },
        time: now().getTime(),
      });
    }
    if (decodeURIComponent(m[1] as string) !== realmId) {
      return answer(
        'auth',
        403,
        faultBody(
          new FaultResponse(403, 'AuthorizationFault', [
            {
              Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
              Detail: 'The token is not authorised for this company',
              code: '3100',
            },
          ]),
        ),
      );
    }
    const admission = limiter.admit();
    if (!admission.ok) {
      return answer(
        'throttled',
        429,
        faultBody(
          new FaultResponse(429, 'ThrottlingFault', [
            {
              Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
              Detail: `The request limit was reached: ${admission.reason} for this company.`,
              code: '3001',
            },
          ]),
        ),
        { 'retry-after': String(admission.retryAfterS) },
      );
    }
    try {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const fault = injected.find((f) => f.times > 0 && (!f.when || f.when(`${method} ${path}`)));
      if (fault) {
        fault.times--;
        return answer('injected', fault.status, fault.body, fault.headers);
      }
      const replayKey = method === 'POST' && requestId ? `${realmId}:${requestId}` : undefined;
      const previous = replayKey ? replays.get(replayKey) : undefined;
      if (previous) return answer(routeOf(method, path, params), previous.status, JSON.parse(previous.text), {}, true);
      let result: Awaited<ReturnType<typeof route>>;
      try {
        result = await route(method, path, params, body);
      } catch (e) {
        if (!(e instanceof FaultResponse)) throw e;
        return answer(routeOf(method, path, params), e.status, faultBody(e));
      }
      if (replayKey && result.status < 300)
        replays.set(replayKey, { status: result.status, text: JSON.stringify(result.body) });
      return answer(result.route, result.status, result.body, result.headers);
    } finally {
      admission.release();
    }
  }

  // --- OAuth token endpoint -----------------------------------------------------------------------------------

  function issueTokens(): QboTokenResponse {
    const n = counters.token++;
    const access = `qbo-access-${n}`;
    const refresh = `qbo-refresh-${n}`;
    const t = now().getTime();
    accessTokens.set(access, t + 3600 * 1000);
    refreshTokens.set(refresh, t + 100 * 24 * 3600 * 1000);
    return {
      token_type: 'bearer',
      access_token: access,
      refresh_token: refresh,
      expires_in: 3600,
      x_refresh_token_expires_in: 100 * 24 * 3600,
    };
  }

  async function handleToken(request: Request): Promise<Response> {
    const text = await request.text();
    const form = Object.fromEntries(new URLSearchParams(text).entries());
    const reply = (status: number, body: unknown) => {
      record({
        method: 'POST',
        route: 'POST oauth/token',
        path: 'oauth2/v1/tokens/bearer',
        params: {},
        body: form,
        status,
        response: body,
        replayed: false,
      });
      return json(body, status);
    };
    const cfg = options.oauth;
    const expected = cfg ? `Basic ${Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64')}` : undefined;
    const given = request.headers.get('authorization') ?? '';
    if (!expected || given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      return reply(401, { error: 'invalid_client' });
    }
    if (!(request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
      return reply(400, { error: 'invalid_request', error_description: 'form body expected' });
    }
    if (form.grant_type === 'authorization_code') {
      const code = form.code ? authCodes.get(form.code) : undefined;
      if (!code || !form.code) return reply(400, { error: 'invalid_grant' });
      if (form.redirect_uri !== code.redirectUri)
        return reply(400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
      authCodes.delete(form.code); // codes are single-use
      return reply(200, issueTokens());
    }
    if (form.grant_type === 'refresh_token') {
      const expires = form.refresh_token ? refreshTokens.get(form.refresh_token) : undefined;
      if (!form.refresh_token || expires === undefined || expires <= now().getTime())
        return reply(400, { error: 'invalid_grant' });
      refreshTokens.delete(form.refresh_token); // rotation: the old refresh token stops working
      return reply(200, issueTokens());
    }
    return reply(400, { error: 'unsupported_grant_type' });
  }

  const handle: SandboxHandler = async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/oauth2/v1/tokens/bearer' && request.method.toUpperCase() === 'POST')
      return handleToken(request);
    return handleApi(request, url);
  };

  // --- helpers for tests and the demo (what people or time do in QuickBooks) -------------------------------------

  function invoiceOrThrow(id: string): QboInvoice {
    const inv = state.invoices.get(id);
    if (!inv) throw new Error(`sandbox has no invoice ${id}`);
    return inv;
  }

  function voidInvoice(id: string): QboInvoice {
    const inv = invoiceOrThrow(id);
    if (inv.Balance !== inv.TotalAmt)
      throw validation(
        '6000',
        'A business validation error has occurred while processing your request',
        'Business Validation Error: This invoice has payments applied; remove them before voiding.',
      );
    const exp = exponentOf(inv.CurrencyRef?.value ?? state.homeCurrency);
    addToCustomerBalance(inv.CustomerRef.value, -(toMinor(inv.Balance, exp) ?? 0n), exp);
    inv.Line = inv.Line.map((l) =>
      l.DetailType === 'SalesItemLineDetail'
        ? { ...l, Amount: 0, SalesItemLineDetail: { ...l.SalesItemLineDetail, Qty: 0 } }
        : { ...l, Amount: 0 },
    );
    inv.TotalAmt = 0;
    inv.Balance = 0;
    inv.PrivateNote = inv.PrivateNote ? `Voided - ${inv.PrivateNote}` : 'Voided';
    inv.SyncToken = bump(inv.SyncToken);
    touch(inv.MetaData);
    emit('invoice', 'voided', id);
    return structuredClone(inv);
  }

  /** Whether an invoice was voided (see voidInvoice: amounts zeroed, private note starting "Voided"). */
  function isVoided(inv: QboInvoice): boolean {
    return inv.TotalAmt === 0 && /^Voided/.test(inv.PrivateNote ?? '');
  }

  /** Adds `deltaMinor` (minor units; negative to lower it) to a customer's Balance, when the customer exists. */
  function addToCustomerBalance(customerId: string, deltaMinor: bigint, exp: number) {
    const customer = state.customers.get(customerId);
    if (customer) customer.Balance = fromMinor((toMinor(customer.Balance ?? 0, exp) ?? 0n) + deltaMinor, exp);
  }

  /** An active item posting to `account`. */
  function itemRow(id: string, name: string, account: QboRef, type: QboItem['Type'] = 'Service'): QboItem {
    return {
      Id: id,
      SyncToken: '0',
      Name: name,
      FullyQualifiedName: name,
      Type: type,
      Active: true,
      IncomeAccountRef: { ...account },
      MetaData: meta(),
      domain: 'QBO',
      sparse: false,
    };
  }

  /**
   * The item of that name (case-insensitive), created as a non-inventory item when the company has none, posting to
   * the account named `account` (default: Bad debts for a name that says bad debt, else Services).
   */
  function itemNamed(name: string, account?: string): QboRef {
    const found = [...state.items.values()].find((i) => normName(i.Name) === normName(name));
    if (found) return { value: found.Id, name: found.Name };
    const accountName = account ?? (/bad[\s_-]*debt/i.test(name) ? 'Bad debts' : 'Services');
    const posting = [...state.accounts.values()].find((a) => normName(a.Name) === normName(accountName));
    if (!posting) {
      const known = [...state.accounts.values()].map((a) => a.Name).join(', ');
      throw new Error(`no account named "${accountName}" (the chart has ${known})`);
    }
    const id = nextId('Item');
    state.items.set(id, itemRow(id, name, { value: posting.Id, name: posting.Name }, 'NonInventory'));
    return { value: id, name };
  }

  /**
   * What a person does to take money off an invoice in QuickBooks: a CreditMemo for the customer on `itemName` for
   * `amount` (major units; default the whole balance), then Receive Payment applying it to the invoice — a Payment
   * of TotalAmt 0 whose lines link the invoice and the credit memo. The credit memo lowers the customer's balance;
   * the payment moves that credit onto the invoice (its Balance drops, the memo's RemainingCredit reaches 0).
   */
  function creditAndApply(
    invoiceId: string,
    opts: { itemName: string; account?: string; amount?: number; on?: string; memo?: string },
  ): { creditMemo: QboCreditMemo; payment: QboPayment } {
    const inv = invoiceOrThrow(invoiceId);
    if (isVoided(inv)) throw new Error(`invoice ${invoiceId} is voided`);
    const { currency, exp, amount, value } = amountOn(inv, opts.amount, 'credit');
    const on = opts.on ?? todayIn(options.timeZone ?? 'UTC', now());
    const memoId = nextId('CreditMemo');
    const creditMemo: QboCreditMemo = {
      Id: memoId,
      SyncToken: '0',
      DocNumber: nextId('DocNumber'),
      TxnDate: on,
      CustomerRef: { ...inv.CustomerRef },
      Line: [
        {
          Id: '1',
          LineNum: 1,
          Amount: value,
          DetailType: 'SalesItemLineDetail',
          Description: opts.memo ?? `Invoice ${inv.DocNumber ?? inv.Id}`,
          SalesItemLineDetail: {
            ItemRef: itemNamed(opts.itemName, opts.account),
            Qty: 1,
            UnitPrice: value,
            ...(state.country === 'US' ? { TaxCodeRef: { value: 'NON' } } : {}),
          },
        },
        { Amount: value, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
      ],
      TotalAmt: value,
      Balance: 0,
      RemainingCredit: 0,
      CurrencyRef: currencyRef(currency),
      MetaData: meta(),
      domain: 'QBO',
      sparse: false,
    };
    state.creditMemos.set(memoId, creditMemo);
    addToCustomerBalance(inv.CustomerRef.value, -amount, exp);
    emit('creditmemo', 'created', memoId);
    const payment = receivePayment(inv, amount, {
      on,
      totalAmt: 0,
      lines: [
        { Amount: value, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] },
        { Amount: value, LinkedTxn: [{ TxnId: memoId, TxnType: 'CreditMemo' }] },
      ],
    });
    return { creditMemo: structuredClone(creditMemo), payment };
  }

  /** What a payment or credit takes off an invoice, in minor units: the whole balance by default, never more. */
  function amountOn(inv: QboInvoice, major: number | undefined, what: 'pay' | 'credit') {
    const currency = inv.CurrencyRef?.value ?? state.homeCurrency;
    const exp = exponentOf(currency);
    const balance = toMinor(inv.Balance, exp) ?? 0n;
    const amount = major === undefined ? balance : toMinor(major, exp);
    if (amount === null || amount <= 0n || amount > balance) {
      throw new Error(`cannot ${what} ${major ?? 'the balance'} on invoice ${inv.Id} with balance ${inv.Balance}`);
    }
    return { currency, exp, amount, value: fromMinor(amount, exp) };
  }

  /**
   * Receive Payment: a Payment of the invoice's customer with these lines; the invoice's Balance drops by `amount`
   * (minor units) and it links the payment; the payment and invoice webhooks follow.
   */
  function receivePayment(
    inv: QboInvoice,
    amount: bigint,
    p: { on: string; totalAmt: number; lines: QboPayment['Line'] },
  ): QboPayment {
    const currency = inv.CurrencyRef?.value ?? state.homeCurrency;
    const exp = exponentOf(currency);
    const id = nextId('Payment');
    const payment: QboPayment = {
      Id: id,
      SyncToken: '0',
      TxnDate: p.on,
      TotalAmt: p.totalAmt,
      UnappliedAmt: 0,
      CustomerRef: { ...inv.CustomerRef },
      CurrencyRef: currencyRef(currency),
      Line: p.lines,
      MetaData: meta(),
      domain: 'QBO',
      sparse: false,
    };
    state.payments.set(id, payment);
    inv.Balance = fromMinor((toMinor(inv.Balance, exp) ?? 0n) - amount, exp);
    inv.LinkedTxn = [...(inv.LinkedTxn ?? []), { TxnId: id, TxnType: 'Payment' }];
    inv.SyncToken = bump(inv.SyncToken);
    touch(inv.MetaData);
    emit('payment', 'created', id);
    emit('invoice', 'updated', inv.Id);
    return structuredClone(payment);
  }

  return {
    handle,
    state,
    calls,
    realmId,
    accessToken: options.accessTokens?.[0] ?? SANDBOX_ACCESS_TOKEN,
    limits,

    /** Records a payment against an invoice (default: the whole balance, today). Amount in major units. */
    pay(invoiceId: string, opts: { amount?: number; on?: string } = {}): QboPayment {
      const inv = invoiceOrThrow(invoiceId);
      const { exp, amount, value } = amountOn(inv, opts.amount, 'pay');
      addToCustomerBalance(inv.CustomerRef.value, -amount, exp);
      return receivePayment(inv, amount, {
        on: opts.on ?? todayIn(options.timeZone ?? 'UTC', now()),
        totalAmt: value,
        lines: [{ Amount: value, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
      });
    },

    /**
     * Writes an invoice off as bad debt, Intuit's documented way: a credit memo on a "Bad debt" item (created when
     * missing, booked to `account`, default Bad debts) for `amount` (major units; default the whole balance),
     * applied with Receive Payment.
     */
    writeOff(
      invoiceId: string,
      opts: { itemName?: string; account?: string; amount?: number; on?: string } = {},
    ): { creditMemo: QboCreditMemo; payment: QboPayment } {
      return creditAndApply(invoiceId, { ...opts, itemName: opts.itemName ?? 'Bad debt' });
    },

    /** An ordinary credit (refund, price correction) applied to an invoice: credit memo on `itemName` + payment. */
    creditInvoice(
      invoiceId: string,
      opts: { itemName?: string; account?: string; amount?: number; on?: string } = {},
    ): { creditMemo: QboCreditMemo; payment: QboPayment } {
      return creditAndApply(invoiceId, { ...opts, itemName: opts.itemName ?? 'Services' });
    },

    /** Moves an invoice's date and due date `days` into the past, as if time had passed (demo: make it overdue). */
    age(invoiceId: string, days: number): QboInvoice {
      const inv = invoiceOrThrow(invoiceId);
      inv.TxnDate = plusDays(inv.TxnDate, -days);
      if (inv.DueDate) inv.DueDate = plusDays(inv.DueDate, -days);
      inv.SyncToken = bump(inv.SyncToken);
      touch(inv.MetaData);
      emit('invoice', 'updated', inv.Id);
      return structuredClone(inv);
    },

    /** Voids an invoice the way QuickBooks does (amounts zeroed, "Voided" prepended to the private note). */
    void(invoiceId: string): QboInvoice {
      return voidInvoice(invoiceId);
    },

    /**
     * Edits an invoice by hand, as a person would in QuickBooks: the customer memo (where the PO goes without a PO
     * custom field), a sales custom field (the PO field), and/or one sales line (1-based: description, Qty,
     * UnitPrice; Amount, tax and totals are worked out again). A voided invoice cannot be edited.
     */
    editInvoice(
      invoiceId: string,
      patch: {
        customerMemo?: string;
        customField?: { definitionId: string; value: string | null };
        line?: { index: number; description?: string; qty?: number; unitPrice?: number };
      },
    ): QboInvoice {
      const inv = invoiceOrThrow(invoiceId);
      if (isVoided(inv)) throw new Error(`invoice ${invoiceId} is voided`);
      if (patch.customerMemo !== undefined) inv.CustomerMemo = { value: patch.customerMemo };
      if (patch.customField) {
        const { definitionId, value } = patch.customField;
        const field = inv.CustomField?.find((f) => f.DefinitionId === definitionId);
        if (!field) throw new Error(`custom field ${definitionId} is not switched on for sales forms`);
        if (value === null) delete field.StringValue;
        else field.StringValue = value;
      }
      if (patch.line) {
        const sales = inv.Line.filter((l): l is QboSalesItemLine => l.DetailType === 'SalesItemLineDetail');
        const line = sales[patch.line.index - 1];
        if (!line) throw new Error(`invoice ${invoiceId} has no line ${patch.line.index}`);
        const exp = exponentOf(inv.CurrencyRef?.value ?? state.homeCurrency);
        const d = line.SalesItemLineDetail;
        if (patch.line.description !== undefined) line.Description = patch.line.description;
        if (patch.line.qty !== undefined) d.Qty = patch.line.qty;
        if (patch.line.unitPrice !== undefined) d.UnitPrice = patch.line.unitPrice;
        const amount = productMinor(d.Qty ?? 1, d.UnitPrice ?? line.Amount, exp);
        if (amount === null) throw new Error('Qty × UnitPrice is not a whole amount of the currency');
        const oldTotal = toMinor(inv.TotalAmt, exp) ?? 0n;
        line.Amount = fromMinor(amount, exp);
        const subtotal = sales.reduce((sum, l) => sum + (toMinor(l.Amount, exp) ?? 0n), 0n);
        const global = inv.GlobalTaxCalculation;
        const lines = { Line: sales, ...(global ? { GlobalTaxCalculation: global } : {}) };
        const { grand, txnTaxDetail } = salesTotals(lines, subtotal, exp);
        if (grand < 0n) throw new Error('Transaction amount must be positive.');
        const paid = oldTotal - (toMinor(inv.Balance, exp) ?? 0n);
        if (grand < paid) throw new Error('The new total is less than what has been paid');
        inv.Line = inv.Line.map((l) =>
          l.DetailType === 'SubTotalLineDetail' ? { ...l, Amount: fromMinor(subtotal, exp) } : l,
        );
        inv.TotalAmt = fromMinor(grand, exp);
        inv.Balance = fromMinor(grand - paid, exp);
        inv.TxnTaxDetail = txnTaxDetail;
        addToCustomerBalance(inv.CustomerRef.value, grand - oldTotal, exp);
      }
      inv.SyncToken = bump(inv.SyncToken);
      touch(inv.MetaData);
      emit('invoice', 'updated', inv.Id);
      return structuredClone(inv);
    },

    /** Changes a customer's terms as a person would in QuickBooks (creating the Term when needed). */
    setCustomerTerms(customerId: string, code: string): QboCustomer {
      const customer = state.customers.get(customerId);
      if (!customer) throw new Error(`sandbox has no customer ${customerId}`);
      const term =
        [...state.terms.values()].find((t) => t.Active && quickbooksTermToPaymentTerms(t) === code) ??
        createTerm(paymentTermsToQuickBooks(code));
      customer.SalesTermRef = { value: term.Id, name: term.Name };
      customer.SyncToken = bump(customer.SyncToken);
      touch(customer.MetaData);
      emit('customer', 'updated', customer.Id);
      return structuredClone(customer);
    },

    /** Edits a customer by hand, as a person would in QuickBooks: company name, email and/or billing address. */
    editCustomer(
      customerId: string,
      patch: { companyName?: string; email?: string; billAddr?: QboCustomer['BillAddr'] },
    ): QboCustomer {
      const customer = state.customers.get(customerId);
      if (!customer) throw new Error(`sandbox has no customer ${customerId}`);
      if (patch.companyName !== undefined) customer.CompanyName = patch.companyName;
      if (patch.email !== undefined) customer.PrimaryEmailAddr = { Address: patch.email };
      if (patch.billAddr) customer.BillAddr = { ...patch.billAddr };
      customer.SyncToken = bump(customer.SyncToken);
      touch(customer.MetaData);
      emit('customer', 'updated', customer.Id);
      return structuredClone(customer);
    },

    /** A customer somebody created by hand in QuickBooks (DisplayName uniqueness still applies). */
    addCustomer(fields: QboCustomerCreate): QboCustomer {
      return createCustomer(fields);
    },

    /** A vendor's or employee's name, which customers can then not use. */
    addOtherName(name: string): void {
      state.otherNames.push(name);
    },

    /** The next matching API request(s) get this answer instead (after auth and limits). */
    injectFault(fault: {
      status: number;
      body: unknown;
      headers?: Record<string, string>;
      times?: number;
      when?: (route: string) => boolean;
    }): void {
      injected.push({
        status: fault.status,
        body: fault.body,
        headers: fault.headers ?? {},
        times: fault.times ?? 1,
        ...(fault.when ? { when: fault.when } : {}),
      });
    },

    /** Every access token stops working (the next call gets 401), as after an hour or a revocation. */
    expireAccessTokens(): void {
      accessTokens.clear();
    },

    acceptAccessToken(token: string): void {
      accessTokens.set(token, Number.POSITIVE_INFINITY);
    },

    /** Forgets the per-minute window (tests that exhaust it on purpose). */
    resetLimits(): void {
      limiter.reset();
    },

    /**
     * Converts an estimate into an invoice by hand, as a person would in QuickBooks ("Create invoice" on the
     * estimate): same customer, lines, tax and custom fields, dated `on` (default today), due `dueDays` later; no
     * private note of ours. The estimate is closed and linked to it.
     */
    convertEstimate(estimateId: string, opts: { on?: string; dueDays?: number } = {}): QboInvoice {
      const est = state.estimates.get(estimateId);
      if (!est) throw new Error(`sandbox has no estimate ${estimateId}`);
      const on = opts.on ?? todayIn(options.timeZone ?? 'UTC', now());
      return createInvoice({
        CustomerRef: { value: est.CustomerRef.value },
        TxnDate: on,
        DueDate: plusDays(on, opts.dueDays ?? 30),
        Line: est.Line.flatMap((l) =>
          l.DetailType === 'SalesItemLineDetail'
            ? [
                {
                  Amount: l.Amount,
                  DetailType: l.DetailType,
                  ...(l.Description !== undefined ? { Description: l.Description } : {}),
                  SalesItemLineDetail: l.SalesItemLineDetail,
                },
              ]
            : [],
        ),
        ...(est.GlobalTaxCalculation ? { GlobalTaxCalculation: est.GlobalTaxCalculation } : {}),
        ...(est.CurrencyRef ? { CurrencyRef: { value: est.CurrencyRef.value } } : {}),
        ...(est.CustomField ? { CustomField: est.CustomField } : {}),
        LinkedTxn: [{ TxnId: est.Id, TxnType: 'Estimate' }],
      });
    },

    /** Forgets every requestid answered so far, as Intuit may after a while: a retried write then writes again. */
    forgetRequestIds(): void {
      replays.clear();
    },

    oauth: {
      /** What Intuit's consent screen would hand to our callback. */
      issueCode(): { code: string; realmId: string } {
        const code = `auth-code-${counters.code++}`;
        authCodes.set(code, { redirectUri: options.oauth?.redirectUri ?? '' });
        return { code, realmId };
      },
    },

    webhooks: {
      verifierToken,
      pending(): QboCloudEvent[] {
        return structuredClone(state.events);
      },
      /** All pending events as one signed CloudEvents delivery (and clears them); null when nothing happened. */
      takeDelivery(): SignedDelivery | null {
        if (state.events.length === 0) return null;
        const events = state.events.splice(0);
        return this.deliver(events);
      },
      /** A signed delivery of any body (CloudEvents array or the legacy shape). */
      deliver(payload: QboCloudEvent[] | QboLegacyWebhook): SignedDelivery {
        const body = JSON.stringify(payload);
        return {
          body,
          headers: {
            'content-type': 'application/json',
            'intuit-signature': signQuickBooksWebhook(verifierToken, body),
          },
        };
      },
    },
  };
}

export type QuickBooksSandbox = ReturnType<typeof createQuickBooksSandbox>;
