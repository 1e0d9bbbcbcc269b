/**
 * An in-memory Stripe (test mode): the v1 endpoints the adapter reaches through the SDK — customers (create,
 * retrieve, update, list by email, search), invoices (create, retrieve, list, finalize, pay, void,
 * mark_uncollectible), invoice items, events — plus signed webhook deliveries. One function from Request to
 * Response (SandboxHandler), reached through msw in tests and over loopback HTTP in the demo.
 *
 * Honest where it matters to us:
 * - objects carry every field of Stripe's own example objects (fixtures3.json; the contract test checks it) and
 *   are typed with the SDK's types; amounts are integers, invoice totals the exact sum of their lines;
 * - the secret key is checked (401 in Stripe's words); form parameters are decoded as Stripe reads them and an
 *   unknown parameter is refused (`parameter_unknown`), as Stripe does;
 * - `Idempotency-Key` on POST: a repeat with the same parameters returns the first answer with
 *   `Idempotent-Replayed: true` and creates nothing; different parameters → 400 idempotency_error; the same key
 *   still in flight → 409; keys expire after 24 hours; only successful answers are kept;
 * - test mode's 25 requests per second (sliding one-second window, configurable) → 429 `rate_limit`;
 * - search lags writes by `searchLagMs` (Stripe: "under a minute"; default 0 here), lists do not;
 * - invoices are numbered `<customer prefix>-0001` on finalisation, with a hosted invoice URL;
 * - deterministic ids, a settable clock, an event log (`GET /v1/events`) that webhooks are delivered from.
 * Not modelled: taxes, discounts, payment methods and charges, subscriptions, credit notes.
 */
import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import { json, type SandboxHandler } from '../../../sandbox/transport.js';
import { STRIPE_METADATA } from '../customer-draft-to-stripe.js';
import { decodeStripeForm, type FormValue } from './form.js';
import {
  lineFor,
  newCustomer,
  newInvoice,
  type WireCustomer,
  type WireEvent,
  type WireInvoice,
  type WireInvoiceItem,
} from './objects.js';
import { compileCustomerSearch, SearchQueryError } from './search.js';

export interface StripeSandboxOptions {
  /** Secret keys the sandbox accepts; default ['sk_test_sandbox']. */
  apiKeys?: string[];
  webhookSecret?: string;
  accountId?: string;
  /** Requests per rolling second; Stripe test mode allows 25. */
  perSecond?: number;
  /** How long a write takes to show in search results. */
  searchLagMs?: number;
  /** Each request takes this long (so concurrent requests overlap, e.g. to hit an in-flight idempotency key). */
  latencyMs?: number;
  now?: () => Date;
  /** Tax rates the account has (Dashboard → Tax rates), created with ids txr_…; `createTaxRate` adds more. */
  taxRates?: Array<{
    display_name: string;
    percentage: number;
    inclusive: boolean;
    country?: string;
    description?: string;
  }>;
}

export interface StripeSandboxCall {
  method: string;
  path: string;
  /** Decoded query (GET) or form body (POST). */
  params: Record<string, FormValue>;
  idempotencyKey?: string;
  status: number;
  responseBody?: unknown;
  replayed?: boolean;
}

export interface StripeWebhookDelivery {
  headers: { 'stripe-signature': string; 'content-type': 'application/json' };
  body: Buffer;
  event: WireEvent;
}

const API_VERSION = '2026-10-28.endive';
const DAY = 86_400;

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: { type: string; message: string; code?: string; param?: string; doc_url?: string },
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

const invalid = (message: string, param?: string, code?: string) =>
  new StripeHttpError(400, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });

function missing(kind: string, id: string, param = 'id'): StripeHttpError {
  return new StripeHttpError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

function only(params: Record<string, FormValue>, allowed: string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw invalid(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
    }
  }
}

function str(params: Record<string, FormValue>, key: string): string | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(`Invalid string: ${key}`, key);
  return v;
}

function int(params: Record<string, FormValue>, key: string): number | undefined {
  const v = str(params, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw invalid(`Invalid integer: ${v}`, key);
  return Number(v);
}

function bool(params: Record<string, FormValue>, key: string): boolean | undefined {
  const v = str(params, key);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw invalid(`Invalid boolean: ${v}`, key);
  return v === 'true';
}

function metadataOf(params: Record<string, FormValue>, current: Record<string, string> = {}): Record<string, string> {
  const v = params.metadata;
  if (v === undefined) return current;
  if (v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid('Invalid hash', 'metadata');
  const out = { ...current };
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw invalid('Invalid metadata value', `metadata[${k}]`);
    if (k.length > 40) throw invalid('Metadata keys can be at most 40 characters long.', `metadata[${k}]`);
    if (value.length > 500) throw invalid('Metadata values can be at most 500 characters long.', `metadata[${k}]`);
    if (value === '') delete out[k];
    else out[k] = value;
  }
  if (Object.keys(out).length > 50) throw invalid('Metadata can have at most 50 keys.', 'metadata');
  return out;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A fresh in-memory Stripe account in test mode.
 * @example const stripe = createStripeSandbox(); mockVendors({ 'https://api.stripe.com': stripe.handle })
 */
export function createStripeSandbox(options: StripeSandboxOptions = {}) {
  const now = options.now ?? (() => new Date());
  const seconds = () => Math.floor(now().getTime() / 1000);
  const apiKeys = options.apiKeys ?? ['sk_test_sandbox'];
  const webhookSecret = options.webhookSecret ?? 'whsec_sandbox';
  const accountId = options.accountId ?? 'acct_sandbox';
  const limits = { perSecond: options.perSecond ?? 25, searchLagMs: options.searchLagMs ?? 0 };
  const latencyMs = options.latencyMs ?? 0;

  let counter = 0;
  const nextId = (prefix: string) => `${prefix}_sbx${String(++counter).padStart(11, '0')}`;

  const customers = new Map<string, WireCustomer>();
  /** Search sees each customer as it was `searchLagMs` ago. */
  const searchVersions = new Map<string, Array<{ visibleAt: number; customer: WireCustomer }>>();
  const invoices = new Map<string, WireInvoice>();
  const invoiceItems = new Map<string, WireInvoiceItem>();
  const taxRates = new Map<string, Stripe.TaxRate>();
  const events: WireEvent[] = [];
  let delivered = 0;
  const idempotency = new Map<
    string,
    { fingerprint: string; at: number; result?: { status: number; body: unknown }; inFlight: boolean }
  >();
  const stamps: number[] = [];
  const calls: StripeSandboxCall[] = [];

  function emit(
    type: string,
    object: unknown,
    request: { idempotencyKey?: string } = {},
    previous?: Record<string, unknown>,
  ) {
    const event: WireEvent = {
      id: nextId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: seconds(),
      data: { object: clone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: request.idempotencyKey ? nextId('req') : null, idempotency_key: request.idempotencyKey ?? null },
      type,
    };
    events.push(event);
  }

  function indexForSearch(c: WireCustomer) {
    const versions = searchVersions.get(c.id) ?? [];
    versions.push({ visibleAt: now().getTime() + limits.searchLagMs, customer: clone(c) });
    searchVersions.set(c.id, versions);
  }

  /** Tax of one line under one rate, rounded on the line (half away from zero), as Stripe does for tax rates. */
  function lineTax(amount: number, rate: Stripe.TaxRate): number {
    const ppm = BigInt(Math.round(rate.percentage * 10_000));
    const d = rate.inclusive ? 1_000_000n + ppm : 1_000_000n;
    const n = BigInt(amount) * ppm;
    const a = n < 0n ? -n : n;
    const q = (a * 2n + d) / (d * 2n);
    return Number(n < 0n ? -q : q);
  }

  function recompute(inv: WireInvoice) {
    const subtotal = inv.lines.data.reduce((s, l) => s + l.amount, 0);
    const totals = new Map<string, { amount: number; taxable: number; inclusive: boolean }>();
    let exclusiveTax = 0;
    let inclusiveTax = 0;
    for (const line of inv.lines.data) {
      const itemId = line.parent?.invoice_item_details?.invoice_item;
      const rates = (itemId ? invoiceItems.get(itemId)?.tax_rates : undefined) ?? [];
      line.taxes = rates.map((rate) => {
        const amount = lineTax(line.amount, rate);
        if (rate.inclusive) inclusiveTax += amount;
        else exclusiveTax += amount;
        const taxable = rate.inclusive ? line.amount - amount : line.amount;
        const t = totals.get(rate.id) ?? { amount: 0, taxable: 0, inclusive: rate.inclusive };
        totals.set(rate.id, { ...t, amount: t.amount + amount, taxable: t.taxable + taxable });
        return {
          amount,
          tax_behavior: rate.inclusive ? ('inclusive' as const) : ('exclusive' as const),
          tax_rate_details: { tax_rate: rate.id },
          taxability_reason: 'standard_rated' as const,
          taxable_amount: taxable,
          type: 'tax_rate_details' as const,
        };
      });
    }
    inv.total_taxes = [...totals.entries()].map(([id, t]) => ({
      amount: t.amount,
      tax_behavior: t.inclusive ? ('inclusive' as const) : ('exclusive' as const),
      tax_rate_details: { tax_rate: id },
      taxability_reason: 'standard_rated' as const,
      taxable_amount: t.taxable,
      type: 'tax_rate_details' as const,
    }));
    const total = subtotal + exclusiveTax;
    inv.subtotal = subtotal;
    inv.subtotal_excluding_tax = subtotal - inclusiveTax;
    inv.total = total;
    inv.total_excluding_tax = total - exclusiveTax - inclusiveTax;
    inv.amount_due = Math.max(0, total);
    inv.amount_remaining = Math.max(0, inv.amount_due - inv.amount_paid);
  }

  // ---- customers -----------------------------------------------------------------------------------------

  const CUSTOMER_PARAMS = [
    'address',
    'description',
    'email',
    'expand',
    'metadata',
    'name',
    'phone',
    'preferred_locales',
  ];

  function applyCustomer(c: WireCustomer, p: Record<string, FormValue>) {
    if (p.name !== undefined) c.name = str(p, 'name') || null;
    if (p.email !== undefined) c.email = str(p, 'email') || null;
    if (p.phone !== undefined) c.phone = str(p, 'phone') || null;
    if (p.description !== undefined) c.description = str(p, 'description') || null;
    if (p.address !== undefined) {
      const a = p.address;
      if (a === '') c.address = null;
      else if (typeof a === 'object' && !Array.isArray(a)) {
        const field = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : null);
        c.address = {
          city: field('city'),
          country: field('country'),
          line1: field('line1'),
          line2: field('line2'),
          postal_code: field('postal_code'),
          state: field('state'),
        };
      } else throw invalid('Invalid hash', 'address');
    }
    c.metadata = metadataOf(p, c.metadata);
    if (c.email && !/^[^\s@]+@[^\s@]+$/.test(c.email))
      throw invalid(`Invalid email address: ${c.email}`, 'email', 'email_invalid');
  }

  function createCustomer(p: Record<string, FormValue>, key?: string) {
    only(p, CUSTOMER_PARAMS);
    const id = nextId('cus');
    const c = newCustomer(id, seconds(), `SBX${(counter % 0xffff).toString(16).toUpperCase().padStart(4, '0')}`);
    applyCustomer(c, p);
    customers.set(id, c);
    indexForSearch(c);
    emit('customer.created', c, { idempotencyKey: key });
    return c;
  }

  function updateCustomer(id: string, p: Record<string, FormValue>, key?: string) {
    only(p, CUSTOMER_PARAMS);
    const c = customers.get(id);
    if (!c) throw missing('customer', id);
    const before = clone(c);
    applyCustomer(c, p);
    indexForSearch(c);
    const previous = Object.fromEntries(
      Object.entries(before).filter(
        ([k, v]) => JSON.stringify(v) !== JSON.stringify((c as unknown as Record<string, unknown>)[k]),
      ),
    );
    emit('customer.updated', c, { idempotencyKey: key }, previous);
    return c;
  }

  // ---- lists -------------------------------------------------------------------------------------------------

  function page<T extends { id: string; created: number }>(items: T[], p: Record<string, FormValue>, url: string) {
    const limit = Math.min(Math.max(int(p, 'limit') ?? 10, 1), 100);
    // Newest first, ties by creation order (ids are sequential).
    const sorted = [...items].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const after = str(p, 'starting_after');
    let start = 0;
    if (after) {
      const i = sorted.findIndex((x) => x.id === after);
      if (i < 0) throw invalid(`No such object: '${after}'`, 'starting_after', 'resource_missing');
      start = i + 1;
    }
    const data = sorted.slice(start, start + limit);
    return { object: 'list' as const, data, has_more: start + limit < sorted.length, url };
  }

  function createdFilter(p: Record<string, FormValue>): (created: number) => boolean {
    const c = p.created;
    if (c === undefined) return () => true;
    if (typeof c === 'string') return (t) => t === Number(c);
    if (typeof c !== 'object' || Array.isArray(c)) throw invalid('Invalid created', 'created');
    const bound = (k: string) => (typeof c[k] === 'string' ? Number(c[k]) : undefined);
    const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
    return (t) =>
      (gt === undefined || t > gt) &&
      (gte === undefined || t >= gte) &&
      (lt === undefined || t < lt) &&
      (lte === undefined || t <= lte);
  }

  function searchCustomers(p: Record<string, FormValue>) {
    only(p, ['query', 'limit', 'page', 'expand']);
    const query = str(p, 'query');
    if (!query) throw invalid('Missing required param: query.', 'query', 'parameter_missing');
    let match: ReturnType<typeof compileCustomerSearch>;
    try {
      match = compileCustomerSearch(query);
    } catch (e) {
      if (e instanceof SearchQueryError) throw invalid(e.message, 'query');
      throw e;
    }
    const t = now().getTime();
    const visible: WireCustomer[] = [];
    for (const versions of searchVersions.values()) {
      const latest = [...versions].reverse().find((v) => v.visibleAt <= t);
      if (latest && customers.has(latest.customer.id) && match(latest.customer)) {
        // Search finds by the indexed version but answers with the object as it is now.
        visible.push(customers.get(latest.customer.id) as WireCustomer);
      }
    }
    const limit = Math.min(Math.max(int(p, 'limit') ?? 10, 1), 100);
    const offset = Number(str(p, 'page') ?? '0') || 0;
    const sorted = visible.sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const data = sorted.slice(offset, offset + limit);
    const more = offset + limit < sorted.length;
    return {
      object: 'search_result' as const,
      data,
      has_more: more,
      next_page: more ? String(offset + limit) : null,
      url: '/v1/customers/search',
    };
  }

  // ---- invoices ------------------------------------------------------------------------------------------

  const INVOICE_PARAMS = [
    'auto_advance',
    'collection_method',
    'currency',
    'custom_fields',
    'customer',
    'days_until_due',
    'description',
    'due_date',
    'effective_at',
    'expand',
    'footer',
    'metadata',
    'pending_invoice_items_behavior',
    'statement_descriptor',
  ];

  function customFields(p: Record<string, FormValue>): Stripe.Invoice['custom_fields'] {
    const v = p.custom_fields;
    if (v === undefined || v === '') return null;
    if (!Array.isArray(v)) throw invalid('Invalid array', 'custom_fields');
    if (v.length > 4) throw invalid('You can have at most 4 custom fields.', 'custom_fields');
    return v.map((f, i) => {
      if (typeof f !== 'object' || Array.isArray(f) || typeof f.name !== 'string' || typeof f.value !== 'string') {
        throw invalid('Custom fields need a name and a value.', `custom_fields[${i}]`);
      }
      if (f.name.length > 40)
        throw invalid('Custom field names can be at most 40 characters.', `custom_fields[${i}][name]`);
      if (f.value.length > 140) {
        throw invalid('Custom field values can be at most 140 characters.', `custom_fields[${i}][value]`);
      }
      return { name: f.name, value: f.value };
    });
  }

  function createInvoice(p: Record<string, FormValue>, key?: string) {
    only(p, INVOICE_PARAMS);
    const customerId = str(p, 'customer');
    if (!customerId) throw invalid('Missing required param: customer.', 'customer', 'parameter_missing');
    const customer = customers.get(customerId);
    if (!customer) throw missing('customer', customerId, 'customer');
    const method = (str(p, 'collection_method') ?? 'charge_automatically') as Stripe.Invoice.CollectionMethod;
    if (method !== 'send_invoice' && method !== 'charge_automatically') {
      throw invalid(`Invalid collection_method: ${method}`, 'collection_method');
    }
    const days = int(p, 'days_until_due');
    const due = int(p, 'due_date');
    if (method === 'send_invoice' && days === undefined && due === undefined) {
      throw invalid(
        'Invoices with `collection_method=send_invoice` must have a `days_until_due` or a `due_date`.',
        'days_until_due',
      );
    }
    if (method === 'charge_automatically' && (days !== undefined || due !== undefined)) {
      throw invalid(
        '`days_until_due` and `due_date` are only valid for `collection_method=send_invoice`.',
        'days_until_due',
      );
    }
    if (days !== undefined && days < 0) throw invalid('days_until_due must be 0 or more.', 'days_until_due');
    const currency = (str(p, 'currency') ?? customer.currency ?? 'usd').toLowerCase();
    if (customer.currency && customer.currency !== currency) {
      throw invalid(
        `You cannot create an invoice in ${currency} for a customer whose currency is ${customer.currency}.`,
        'currency',
      );
    }
    const created = seconds();
    const inv = newInvoice(nextId('in'), created, customer, 'Sandbox Company');
    inv.collection_method = method;
    inv.currency = currency;
    inv.auto_advance = bool(p, 'auto_advance') ?? false;
    inv.custom_fields = customFields(p);
    inv.description = str(p, 'description') ?? null;
    inv.footer = str(p, 'footer') ?? null;
    inv.statement_descriptor = str(p, 'statement_descriptor') ?? null;
    inv.metadata = metadataOf(p);
    inv.effective_at = int(p, 'effective_at') ?? null;
    // "The number of days from when the invoice is created until it is due."
    inv.due_date = due ?? (days !== undefined ? created + days * DAY : null);
    if (str(p, 'pending_invoice_items_behavior') === 'include') {
      for (const item of invoiceItems.values()) {
        if (item.customer === customerId && item.invoice === null) attachItem(inv, item);
      }
    }
    recompute(inv);
    invoices.set(inv.id, inv);
    customer.currency ??= currency;
    emit('invoice.created', inv, { idempotencyKey: key });
    return inv;
  }

  /** `tax_rates[]` of an invoice item: ids of active rates of this account, or a refusal naming the parameter. */
  function taxRatesOf(p: Record<string, FormValue>): Stripe.TaxRate[] {
    const raw = p.tax_rates;
    if (raw === undefined || raw === '') return [];
    const ids = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw) : [raw];
    return ids.map((id, i) => {
      const rate = typeof id === 'string' ? taxRates.get(id) : undefined;
      if (!rate) throw invalid(`No such tax rate: '${String(id)}'`, `tax_rates[${i}]`);
      if (!rate.active) throw invalid(`Tax rate ${rate.id} is archived and cannot be applied.`, `tax_rates[${i}]`);
      return clone(rate);
    });
  }

  function createTaxRate(p: {
    display_name: string;
    percentage: number;
    inclusive: boolean;
    country?: string;
    description?: string;
  }): Stripe.TaxRate {
    const rate: Stripe.TaxRate = {
      id: nextId('txr'),
      object: 'tax_rate',
      active: true,
      country: p.country ?? null,
      created: seconds(),
      description: p.description ?? null,
      display_name: p.display_name,
      effective_percentage: p.percentage,
      flat_amount: null,
      inclusive: p.inclusive,
      jurisdiction: p.country ?? null,
      jurisdiction_level: null,
      livemode: false,
      metadata: {},
      percentage: p.percentage,
      rate_type: 'percentage',
      state: null,
      tax_type: 'vat',
    };
    taxRates.set(rate.id, rate);
    return rate;
  }

  function attachItem(inv: WireInvoice, item: WireInvoiceItem) {
    item.invoice = inv.id;
    inv.lines.data.push(lineFor(item, nextId('il')));
  }

  function createInvoiceItem(p: Record<string, FormValue>, key?: string) {
    only(p, [
      'amount',
      'currency',
      'customer',
      'description',
      'discountable',
      'expand',
      'invoice',
      'metadata',
      'period',
      'tax_rates',
    ]);
    const customerId = str(p, 'customer');
    if (!customerId) throw invalid('Missing required param: customer.', 'customer', 'parameter_missing');
    const customer = customers.get(customerId);
    if (!customer) throw missing('customer', customerId, 'customer');
    const amount = int(p, 'amount');
    if (amount === undefined) throw invalid('Missing required param: amount.', 'amount', 'parameter_missing');
    const invoiceId = str(p, 'invoice');
    const inv = invoiceId ? invoices.get(invoiceId) : undefined;
    if (invoiceId && !inv) throw missing('invoice', invoiceId, 'invoice');
    if (inv && inv.status !== 'draft') {
      throw invalid(
        `You can only add invoice items to draft invoices; ${inv.id} is ${inv.status}.`,
        'invoice',
        'invoice_not_editable',
      );
    }
    if (inv && inv.customer !== customerId) throw invalid('The invoice belongs to another customer.', 'invoice');
    const currency = (str(p, 'currency') ?? inv?.currency ?? customer.currency ?? 'usd').toLowerCase();
    if (inv && inv.currency !== currency) {
      throw invalid(`The currency ${currency} does not match the invoice's currency ${inv.currency}.`, 'currency');
    }
    const created = seconds();
    let period = { start: created, end: created };
    if (p.period !== undefined) {
      const pr = p.period;
      if (typeof pr !== 'object' || Array.isArray(pr) || typeof pr.start !== 'string' || typeof pr.end !== 'string') {
        throw invalid('Invalid period', 'period');
      }
      period = { start: Number(pr.start), end: Number(pr.end) };
      if (period.end < period.start) throw invalid('The period end must be on or after its start.', 'period[end]');
    }
    const item: WireInvoiceItem = {
      id: nextId('ii'),
      object: 'invoiceitem',
      amount,
      currency,
      customer: customerId,
      customer_account: null,
      date: created,
      description: str(p, 'description') ?? null,
      discountable: bool(p, 'discountable') ?? true,
      discounts: [],
      invoice: null,
      livemode: false,
      metadata: metadataOf(p),
      net_amount: amount,
      parent: null,
      period,
      pricing: {
        type: 'price_details',
        price_details: { price: nextId('price'), product: nextId('prod') },
        unit_amount_decimal: String(amount),
      },
      proration: false,
      quantity: 1,
      quantity_decimal: '1',
      tax_rates: taxRatesOf(p),
      test_clock: null,
    };
    invoiceItems.set(item.id, item);
    if (inv) {
      attachItem(inv, item);
      recompute(inv);
    }
    emit('invoiceitem.created', item, { idempotencyKey: key });
    if (inv) emit('invoice.updated', inv, { idempotencyKey: key });
    return item;
  }

  function invoice(id: string): WireInvoice {
    const inv = invoices.get(id);
    if (!inv) throw missing('invoice', id);
    return inv;
  }

  function finalize(id: string, p: Record<string, FormValue>, key?: string) {
    only(p, ['auto_advance', 'expand']);
    const inv = invoice(id);
    if (inv.status !== 'draft') {
      throw invalid(
        `This invoice is already finalized, you can't re-finalize a non-draft invoice.`,
        undefined,
        'invoice_not_editable',
      );
    }
    const customer = customers.get(inv.customer as string) as WireCustomer;
    const t = seconds();
    const seq = customer.next_invoice_sequence ?? 1;
    customer.next_invoice_sequence = seq + 1;
    inv.number = `${customer.invoice_prefix}-${String(seq).padStart(4, '0')}`;
    inv.status = 'open';
    inv.status_transitions.finalized_at = t;
    inv.effective_at ??= t;
    inv.auto_advance = bool(p, 'auto_advance') ?? inv.auto_advance;
    inv.hosted_invoice_url = `https://invoice.stripe.com/i/${accountId}/test_${inv.id}`;
    inv.invoice_pdf = `https://pay.stripe.com/invoice/${accountId}/test_${inv.id}/pdf`;
    inv.ending_balance = 0;
    inv.webhooks_delivered_at = t;
    if (inv.collection_method === 'send_invoice' && inv.amount_due === 0) {
      // Stripe marks a zero invoice paid on finalisation.
      inv.status = 'paid';
      inv.status_transitions.paid_at = t;
    }
    emit('invoice.finalized', inv, { idempotencyKey: key });
    if (inv.status === 'paid') emit('invoice.paid', inv, { idempotencyKey: key });
    return inv;
  }

  function pay(id: string, paidAt = seconds(), key?: string) {
    const inv = invoice(id);
    if (inv.status !== 'open')
      throw invalid(`Invoice ${id} is ${inv.status}; only open invoices can be paid.`, undefined, 'invoice_not_open');
    inv.amount_paid = inv.amount_due;
    inv.amount_remaining = 0;
    inv.status = 'paid';
    inv.status_transitions.paid_at = paidAt;
    inv.attempted = true;
    emit('invoice.paid', inv, { idempotencyKey: key });
    return inv;
  }

  function voidInvoice(id: string, key?: string) {
    const inv = invoice(id);
    if (inv.status !== 'open' && inv.status !== 'uncollectible') {
      throw invalid(
        `You can only void open or uncollectible invoices; ${id} is ${inv.status}.`,
        undefined,
        'invoice_not_open',
      );
    }
    inv.status = 'void';
    inv.status_transitions.voided_at = seconds();
    emit('invoice.voided', inv, { idempotencyKey: key });
    return inv;
  }

  function markUncollectible(id: string, key?: string) {
    const inv = invoice(id);
    if (inv.status !== 'open') throw invalid(`Only open invoices can be marked uncollectible; ${id} is ${inv.status}.`);
    inv.status = 'uncollectible';
    inv.status_transitions.marked_uncollectible_at = seconds();
    emit('invoice.marked_uncollectible', inv, { idempotencyKey: key });
    return inv;
  }

  function listInvoices(p: Record<string, FormValue>) {
    only(p, [
      'customer',
      'status',
      'limit',
      'starting_after',
      'ending_before',
      'created',
      'collection_method',
      'expand',
    ]);
    const customer = str(p, 'customer');
    const status = str(p, 'status');
    const created = createdFilter(p);
    const list = [...invoices.values()].filter(
      (i) => (!customer || i.customer === customer) && (!status || i.status === status) && created(i.created),
    );
    return page(list, p, '/v1/invoices');
  }

  function listEvents(p: Record<string, FormValue>) {
    only(p, ['type', 'types', 'created', 'limit', 'starting_after', 'ending_before', 'delivery_success']);
    const type = str(p, 'type');
    const types = p.types;
    if (types !== undefined && !Array.isArray(types)) throw invalid('Invalid array', 'types');
    const created = createdFilter(p);
    const matches = (t: string) => {
      if (type) return type.endsWith('.*') ? t.startsWith(type.slice(0, -1)) : t === type;
      if (Array.isArray(types)) return types.includes(t);
      return true;
    };
    return page(
      events.filter((e) => matches(e.type) && created(e.created)),
      p,
      '/v1/events',
    );
  }

  // ---- routing -------------------------------------------------------------------------------------------

  function route(method: string, parts: string[], p: Record<string, FormValue>, key?: string): unknown {
    const [resource, id, action] = parts;
    if (resource === 'customers') {
      if (method === 'POST' && !id) return createCustomer(p, key);
      if (method === 'GET' && id === 'search' && !action) return searchCustomers(p);
      if (method === 'GET' && !id) {
        only(p, ['email', 'limit', 'starting_after', 'ending_before', 'created', 'expand']);
        const email = str(p, 'email');
        const created = createdFilter(p);
        // The email filter is case-sensitive, as Stripe documents it.
        const list = [...customers.values()].filter((c) => (!email || c.email === email) && created(c.created));
        return page(list, p, '/v1/customers');
      }
      if (method === 'GET' && id && !action) {
        only(p, ['expand']);
        const c = customers.get(id);
        if (!c) throw missing('customer', id);
        return c;
      }
      if (method === 'POST' && id && !action) return updateCustomer(id, p, key);
    }
    if (resource === 'invoices') {
      if (method === 'POST' && !id) return createInvoice(p, key);
      if (method === 'GET' && !id) return listInvoices(p);
      if (method === 'GET' && id && !action) {
        only(p, ['expand']);
        return invoice(id);
      }
      if (method === 'POST' && id && action === 'finalize') return finalize(id, p, key);
      if (method === 'POST' && id && action === 'pay') {
        only(p, ['paid_out_of_band', 'expand']);
        return pay(id, seconds(), key);
      }
      if (method === 'POST' && id && action === 'void') {
        only(p, ['expand']);
        return voidInvoice(id, key);
      }
      if (method === 'POST' && id && action === 'mark_uncollectible') {
        only(p, ['expand']);
        return markUncollectible(id, key);
      }
    }
    if (resource === 'tax_rates' && method === 'GET' && !id) {
      only(p, ['active', 'limit', 'starting_after', 'expand']);
      const active = str(p, 'active');
      const list = [...taxRates.values()].filter((r) => active === undefined || String(r.active) === active);
      return page(list, p, '/v1/tax_rates');
    }
    if (resource === 'invoiceitems') {
      if (method === 'POST' && !id) return createInvoiceItem(p, key);
      if (method === 'GET' && id) {
        const item = invoiceItems.get(id);
        if (!item) throw missing('invoiceitem', id);
        return item;
      }
    }
    if (resource === 'events') {
      if (method === 'GET' && !id) return listEvents(p);
      if (method === 'GET' && id) {
        const e = events.find((x) => x.id === id);
        if (!e) throw missing('event', id);
        return e;
      }
    }
    throw new StripeHttpError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: /v1/${parts.join('/')}). The Stripe sandbox does not implement it.`,
    });
  }

  function errorResponse(e: StripeHttpError): Response {
    return json({ error: e.error }, e.status, { 'request-id': nextId('req'), ...e.headers });
  }

  const handle: SandboxHandler = async (request) => {
    const url = new URL(request.url);
    const m = /^\/v1\/(.+?)\/?$/.exec(url.pathname);
    const call: StripeSandboxCall = { method: request.method, path: url.pathname, params: {}, status: 0 };
    calls.push(call);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      call.responseBody = body;
      return json(body, status, { 'request-id': nextId('req'), 'stripe-version': API_VERSION, ...headers });
    };
    try {
      if (!m)
        throw new StripeHttpError(404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${request.method}: ${url.pathname}).`,
        });
      const key = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
      if (!key || !apiKeys.includes(key)) {
        const shown = key ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '';
        throw new StripeHttpError(401, {
          type: 'invalid_request_error',
          message: key ? `Invalid API Key provided: ${shown}` : 'You did not provide an API key.',
        });
      }
      const t = now().getTime();
      while (stamps.length > 0 && (stamps[0] as number) <= t - 1000) stamps.shift();
      if (stamps.length >= limits.perSecond) {
        throw new StripeHttpError(
          429,
          {
            type: 'invalid_request_error',
            code: 'rate_limit',
            message:
              'Testmode request rate limit exceeded, the rate limits in testmode are lower than livemode. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
          },
          { 'stripe-should-retry': 'true' },
        );
      }
      stamps.push(t);
      // The work takes latencyMs; for a keyed request the key is held (in flight) meanwhile.
      const work = async () => {
        if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      };
      const params =
        request.method === 'GET' || request.method === 'DELETE'
          ? decodeStripeForm(url.searchParams)
          : decodeStripeForm(await request.text());
      call.params = params;
      const parts = (m[1] as string).split('/').map(decodeURIComponent);
      const idemKey = request.method === 'POST' ? (request.headers.get('idempotency-key') ?? undefined) : undefined;
      call.idempotencyKey = idemKey;
      if (!idemKey) {
        await work();
        return answer(200, route(request.method, parts, params));
      }

      for (const [k, v] of idempotency) if (t - v.at >= DAY * 1000) idempotency.delete(k);
      const fingerprint = JSON.stringify([request.method, url.pathname, params]);
      const seen = idempotency.get(idemKey);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          throw new StripeHttpError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
          });
        }
        if (seen.inFlight || !seen.result) {
          throw new StripeHttpError(409, {
            type: 'invalid_request_error',
            code: 'idempotency_key_in_use',
            message:
              'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ' +
              `${idemKey}. Please try again later.`,
          });
        }
        call.replayed = true;
        return answer(seen.result.status, seen.result.body, {
          'idempotent-replayed': 'true',
          'idempotency-key': idemKey,
        });
      }
      const entry: { fingerprint: string; at: number; result?: { status: number; body: unknown }; inFlight: boolean } =
        {
          fingerprint,
          at: t,
          inFlight: true,
        };
      idempotency.set(idemKey, entry);
      try {
        await work();
        const body = clone(route(request.method, parts, params, idemKey));
        entry.result = { status: 200, body };
        entry.inFlight = false;
        return answer(200, body, { 'idempotency-key': idemKey });
      } catch (e) {
        // A refused request is not remembered: it may be corrected and sent again with its key.
        idempotency.delete(idemKey);
        throw e;
      }
    } catch (e) {
      if (!(e instanceof StripeHttpError)) throw e;
      call.status = e.status;
      call.responseBody = { error: e.error };
      return errorResponse(e);
    }
  };

  // ---- webhooks and helpers ----------------------------------------------------------------------------------

  function sign(body: string, timestamp = seconds(), secret = webhookSecret): string {
    const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    return `t=${timestamp},v1=${v1}`;
  }

  function deliveryOf(event: WireEvent, timestamp?: number, secret?: string): StripeWebhookDelivery {
    const body = JSON.stringify(event, null, 2);
    return {
      headers: { 'stripe-signature': sign(body, timestamp, secret), 'content-type': 'application/json' },
      body: Buffer.from(body),
      event,
    };
  }

  function dayStartSeconds(day: string): number {
    return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);
  }

  for (const r of options.taxRates ?? []) createTaxRate(r);

  return {
    handle,
    apiKey: apiKeys[0] as string,
    accountId,
    webhookSecret,
    /** Mutable, so tests can lower the rate or add search lag mid-test. */
    limits,
    calls,
    state: { customers, invoices, invoiceItems, events, taxRates },

    /** A tax rate created in the Dashboard (Products → Tax rates). */
    createTaxRate(p: {
      display_name: string;
      percentage: number;
      inclusive: boolean;
      country?: string;
      description?: string;
    }) {
      return clone(createTaxRate(p));
    },

    /** A customer created directly (as a person would in the Dashboard). */
    addCustomer(fields: { name?: string; email?: string; metadata?: Record<string, string> }): string {
      const p: Record<string, FormValue> = {};
      if (fields.name) p.name = fields.name;
      if (fields.email) p.email = fields.email;
      if (fields.metadata) p.metadata = fields.metadata;
      return createCustomer(p).id;
    },

    /** Changes the terms we keep on a customer (metadata rh_payment_terms), as a person would in the Dashboard. */
    setCustomerTerms(customerId: string, code: string): void {
      updateCustomer(customerId, { metadata: { [STRIPE_METADATA.paymentTerms]: code } });
    },

    /** Edits a customer by hand in the Dashboard: name, email and/or address. */
    editCustomer(
      customerId: string,
      patch: {
        name?: string;
        email?: string;
        address?: { line1: string; line2?: string; city: string; state?: string; postal_code: string; country: string };
      },
    ): void {
      const p: Record<string, FormValue> = {};
      if (patch.name !== undefined) p.name = patch.name;
      if (patch.email !== undefined) p.email = patch.email;
      if (patch.address) {
        p.address = Object.fromEntries(
          Object.entries(patch.address).filter((e): e is [string, string] => e[1] !== undefined),
        );
      }
      updateCustomer(customerId, p);
    },

    /**
     * Edits an invoice by hand in the Dashboard: a custom field (how the PO number travels) on a draft or open
     * invoice, and/or one line (1-based: its invoice item's description and amount), which Stripe allows on drafts
     * only (a finalised invoice's amounts are fixed).
     */
    editInvoice(
      invoiceId: string,
      patch: {
        customField?: { name: string; value: string | null };
        line?: { index: number; description?: string; amount?: number };
      },
    ): void {
      const inv = invoice(invoiceId);
      if (inv.status !== 'draft' && inv.status !== 'open') {
        throw new Error(`Stripe cannot edit a ${inv.status} invoice`);
      }
      const previous: Record<string, unknown> = {};
      if (patch.customField) {
        const { name, value } = patch.customField;
        previous.custom_fields = clone(inv.custom_fields);
        const others = (inv.custom_fields ?? []).filter((f) => f.name !== name);
        const fields = value === null ? others : [...others, { name, value }];
        if (fields.length > 4) throw new Error('You can have at most 4 custom fields.');
        inv.custom_fields = fields.length > 0 ? fields : null;
      }
      if (patch.line) {
        if (inv.status !== 'draft') throw new Error("A finalized invoice's lines cannot be edited; revise it instead");
        const line = inv.lines.data[patch.line.index - 1];
        const itemId = line?.parent?.invoice_item_details?.invoice_item;
        const item = itemId ? invoiceItems.get(itemId) : undefined;
        if (!line || !item) throw new Error(`invoice ${invoiceId} has no line ${patch.line.index}`);
        previous.lines = clone(inv.lines);
        if (patch.line.description !== undefined) item.description = patch.line.description;
        if (patch.line.amount !== undefined) {
          if (!Number.isSafeInteger(patch.line.amount)) throw new Error('amount must be whole minor units');
          item.amount = patch.line.amount;
          item.net_amount = patch.line.amount;
          if (item.pricing) item.pricing.unit_amount_decimal = String(patch.line.amount);
        }
        inv.lines.data[patch.line.index - 1] = lineFor(item, line.id);
        recompute(inv);
        emit('invoiceitem.updated', item);
      }
      emit('invoice.updated', inv, {}, previous);
    },

    /** Marks an open invoice paid (out of band), optionally on a given day. */
    payInvoice(invoiceId: string, on?: string): void {
      pay(invoiceId, on ? dayStartSeconds(on) : seconds());
    },

    voidInvoice(invoiceId: string): void {
      voidInvoice(invoiceId);
    },

    markUncollectible(invoiceId: string): void {
      markUncollectible(invoiceId);
    },

    /** Moves an invoice's dates back by `days`, to make it overdue for the demo. */
    ageInvoice(invoiceId: string, days: number): void {
      const inv = invoice(invoiceId);
      const shift = days * DAY;
      inv.created -= shift;
      if (inv.effective_at) inv.effective_at -= shift;
      if (inv.due_date) inv.due_date -= shift;
      if (inv.status_transitions.finalized_at) inv.status_transitions.finalized_at -= shift;
    },

    webhooks: {
      secret: webhookSecret,
      /** Signed deliveries of every event not yet delivered, oldest first (Stripe sends one event per request). */
      flush(): StripeWebhookDelivery[] {
        const out = events.slice(delivered).map((e) => deliveryOf(e));
        delivered = events.length;
        return out;
      },
      /** A delivery of one event, signed at a given time or with another secret (for tests of refusals). */
      deliver(event: WireEvent, options: { timestamp?: number; secret?: string } = {}): StripeWebhookDelivery {
        return deliveryOf(event, options.timestamp, options.secret);
      },
      sign,
    },
  };
}

export type StripeSandbox = ReturnType<typeof createStripeSandbox>;
