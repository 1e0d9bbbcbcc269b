/**
 * The Stripe adapter of the FinanceSystem port, over the `stripe` SDK (types from the SDK: Stripe.Customer,
 * Stripe.Invoice…).
 *
 * - Every POST carries an idempotency key (the SDK's `idempotencyKey`; Stripe keeps them 24 hours and refuses a
 *   reused key with different parameters). Creating an invoice is several POSTs; each gets the caller's key plus a
 *   step suffix (`:invoice`, `:item:1`, `:finalize`), so a retry after a crash replays the steps already done and
 *   does the rest. Keys over Stripe's 255 characters are replaced by their SHA-256.
 * - Customers are matched by stored id, then `metadata['rh_external_ref']` (Stripe search), then email (list filter,
 *   strongly consistent), then name (search). Stripe's search index can lag a fresh write by up to a minute: a
 *   customer created moments ago may not be found by reference yet, which is why the create itself is idempotent.
 *   Two customers matching one key is a conflict a person settles; we never pick one silently.
 * - listInvoices with changedSince reads Stripe's event log (`invoice.*` events since then, newest first, so the
 *   first event of an invoice carries its latest state); Stripe keeps events for 30 days, so an older changedSince
 *   falls back to listing every invoice.
 * Retries are not done here (SDK retries off): the job layer retries FinanceErrors that are retryable.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { BooksTaxSetup, FinanceCapabilities } from '../../../billing/capabilities.js';
import { STRIPE_CAPABILITIES } from '../../../billing/vendor-capabilities.js';
import type { InvoiceSnapshot } from '../../../receivables/invoice.js';
import type { CreatedInvoice, CustomerDraft, FinanceCustomer, FinanceSystem, InvoiceDraft } from '../port.js';
import { FinanceError } from '../port.js';
import { isLiveKey, stripeFromKey } from './client.js';
import { customerDraftToStripe, STRIPE_METADATA } from './customer-draft-to-stripe.js';
import { invoiceDraftToStripe, type StripeInvoiceSettings } from './invoice-draft-to-stripe.js';
import { stripeCustomerUrl } from './links.js';
import { parseStripeError } from './parse-stripe-error.js';
import { paymentTermsToStripe } from './payment-terms-to-stripe.js';
import { stripeCustomerToCustomer } from './stripe-customer-to-customer.js';
import { stripeInvoiceToCreated, stripeInvoiceToSnapshot } from './stripe-invoice-to-snapshot.js';

/** Stripe keeps events for 30 days. */
const EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type StripeFinanceSystemOptions = StripeInvoiceSettings & {
  capabilities?: FinanceCapabilities;
  /** Clock for the 30-day event window. */
  now?: () => Date;
} & ({ stripe: Stripe; livemode?: boolean } | { secretKey: string; baseUrl?: string });

/**
 * Stripe takes idempotency keys of up to 255 characters; a longer key is replaced by its SHA-256 (hex).
 * @example stripeIdempotencyKey('setup-1:invoice-3', ':item:1') // 'setup-1:invoice-3:item:1'
 */
export function stripeIdempotencyKey(key: string, step = ''): string {
  if (!key) throw new FinanceError('stripe', 'validation', 'an idempotency key is required for every Stripe write');
  const full = `${key}${step}`;
  return full.length <= 255 ? full : createHash('sha256').update(full).digest('hex');
}

/** Stripe search strings are single-quoted; a quote or backslash inside is escaped with a backslash. */
function searchString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}

const isCustomer = (c: Stripe.Customer | Stripe.DeletedCustomer): c is Stripe.Customer => !c.deleted;

/**
 * The Stripe FinanceSystem for one account.
 * @example const stripe = createStripeFinanceSystem({ secretKey: process.env.STRIPE_SECRET_KEY! });
 */
export function createStripeFinanceSystem(options: StripeFinanceSystemOptions): FinanceSystem {
  const stripe = 'stripe' in options ? options.stripe : stripeFromKey(options.secretKey, { baseUrl: options.baseUrl });
  const livemode = 'stripe' in options ? (options.livemode ?? false) : isLiveKey(options.secretKey);
  const now = options.now ?? (() => new Date());

  let taxSetup: Promise<BooksTaxSetup> | undefined;
  /** The account's active tax rates, read once per adapter (a billing run). Stripe rounds tax on each line and
   * each rate says whether it is inclusive, so one invoice may mix both. */
  function loadTaxSetup(): Promise<BooksTaxSetup> {
    taxSetup ??= guard(async () => {
      const codes: BooksTaxSetup['codes'] = [];
      for await (const r of stripe.taxRates.list({ active: true, limit: 100 })) {
        const where = r.jurisdiction ?? r.country;
        codes.push({
          code: r.id,
          name: where ? `${r.display_name} ${where}` : r.display_name,
          ratePercent: r.percentage,
          inclusive: r.inclusive,
        });
      }
      return { mode: 'codes' as const, codes, rounding: 'per_line' as const, mixedInclusive: true };
    }).catch((e: unknown) => {
      taxSetup = undefined;
      throw e;
    });
    return taxSetup;
  }

  async function guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw parseStripeError(e);
    }
  }

  function one(matches: Stripe.Customer[], what: string, value: string): FinanceCustomer | null {
    if (matches.length === 0) return null;
    if (matches.length > 1) {
      const ids = matches.map((c) => c.id).join(', ');
      throw new FinanceError(
        'stripe',
        'conflict',
        `${matches.length} Stripe customers have the ${what} "${value}" (${ids}); link the right one by hand`,
      );
    }
    return stripeCustomerToCustomer(matches[0] as Stripe.Customer);
  }

  async function byId(id: string): Promise<Stripe.Customer | null> {
    try {
      const c = await stripe.customers.retrieve(id);
      return isCustomer(c) ? c : null;
    } catch (e) {
      const err = parseStripeError(e);
      if (err.kind === 'not_found') return null;
      throw err;
    }
  }

  const search = (query: string) => all(stripe.customers.search({ query, limit: 100 }));

  async function snapshotsFromEvents(since: Date, customerId?: string): Promise<InvoiceSnapshot[]> {
    const latest = new Map<string, Stripe.Invoice>();
    const events = stripe.events.list({
      type: 'invoice.*',
      created: { gte: Math.floor(since.getTime() / 1000) },
      limit: 100,
    });
    for await (const event of events) {
      const object = event.data.object as { object?: string; id?: string };
      // invoice.upcoming and similar carry previews without an id; invoice.deleted removes a draft.
      if (object.object !== 'invoice' || !object.id || latest.has(object.id)) continue;
      latest.set(object.id, object as Stripe.Invoice);
    }
    const invoices = [...latest.values()].filter((inv) => {
      const c = typeof inv.customer === 'string' ? inv.customer : inv.customer?.id;
      return !customerId || c === customerId;
    });
    return invoices.map((inv) => stripeInvoiceToSnapshot(inv, options));
  }

  return {
    id: 'stripe',
    capabilities: options.capabilities ?? STRIPE_CAPABILITIES,

    findCustomer(query) {
      return guard(async () => {
        if (query.id) {
          const c = await byId(query.id);
          if (c) return stripeCustomerToCustomer(c);
        }
        if (query.externalRef) {
          const ref = query.externalRef;
          const hits = await search(`metadata['${STRIPE_METADATA.externalRef}']:${searchString(ref)}`);
          const found = one(
            hits.filter((c) => c.metadata?.[STRIPE_METADATA.externalRef] === ref),
            'reference',
            ref,
          );
          if (found) return found;
        }
        if (query.email) {
          const email = query.email;
          const found = one(
            (await all(stripe.customers.list({ email, limit: 100 }))).filter(isCustomer),
            'email',
            email,
          );
          if (found) return found;
        }
        if (query.legalName) {
          const name = query.legalName.trim();
          const hits = await search(`name:${searchString(name)}`);
          const found = one(
            hits.filter((c) => c.name?.trim().toLowerCase() === name.toLowerCase()),
            'name',
            name,
          );
          if (found) return found;
        }
        return null;
      });
    },

    // async: a draft the mapper refuses rejects the promise instead of throwing at the call.
    async createCustomer(draft: CustomerDraft, idempotencyKey: string) {
      const params = customerDraftToStripe(draft);
      return guard(async () =>
        stripeCustomerToCustomer(
          await stripe.customers.create(params, { idempotencyKey: stripeIdempotencyKey(idempotencyKey) }),
        ),
      );
    },

    async updateCustomer(id: string, draft: CustomerDraft, idempotencyKey: string) {
      const params: Stripe.CustomerUpdateParams = customerDraftToStripe(draft);
      return guard(async () =>
        stripeCustomerToCustomer(
          await stripe.customers.update(id, params, { idempotencyKey: stripeIdempotencyKey(idempotencyKey) }),
        ),
      );
    },

    async ensurePaymentTerms(code: string) {
      // Stripe has no terms entity: terms become each invoice's days_until_due. Only check Stripe can express it.
      paymentTermsToStripe(code);
      return {};
    },

    async createInvoice(draft: InvoiceDraft, idempotencyKey: string): Promise<CreatedInvoice> {
      // Lines with tax are checked against the account's rates before anything is written.
      const tax = draft.lines.some((l) => l.tax) ? await loadTaxSetup() : undefined;
      const plan = invoiceDraftToStripe(draft, { ...options, ...(tax ? { tax } : {}) });
      return guard(async () => {
        const invoice = await stripe.invoices.create(plan.invoice, {
          idempotencyKey: stripeIdempotencyKey(idempotencyKey, ':invoice'),
        });
        for (const [i, item] of plan.items.entries()) {
          await stripe.invoiceItems.create(
            { ...item, invoice: invoice.id },
            { idempotencyKey: stripeIdempotencyKey(idempotencyKey, `:item:${i + 1}`) },
          );
        }
        const final = plan.finalize
          ? await stripe.invoices.finalizeInvoice(
              invoice.id,
              // auto_advance: Stripe then emails the invoice and follows up, as for any invoice sent for payment.
              { auto_advance: true },
              { idempotencyKey: stripeIdempotencyKey(idempotencyKey, ':finalize') },
            )
          : await stripe.invoices.retrieve(invoice.id);
        return stripeInvoiceToCreated(final);
      });
    },

    taxSetup() {
      return loadTaxSetup();
    },

    findInvoiceByReference(customerId: string, reference: string) {
      return guard(async () => {
        for await (const invoice of stripe.invoices.list({ customer: customerId, limit: 100 })) {
          if (invoice.metadata?.[STRIPE_METADATA.reference] === reference) return stripeInvoiceToCreated(invoice);
        }
        return null;
      });
    },

    listInvoices(query) {
      return guard(async () => {
        const since = query.changedSince;
        if (since && now().getTime() - since.getTime() < EVENT_RETENTION_MS) {
          return snapshotsFromEvents(since, query.customerId);
        }
        const params: Stripe.InvoiceListParams = { limit: 100 };
        if (query.customerId) params.customer = query.customerId;
        return (await all(stripe.invoices.list(params))).map((inv) => stripeInvoiceToSnapshot(inv, options));
      });
    },

    customerUrl(customerId: string) {
      return stripeCustomerUrl(customerId, livemode);
    },
  };
}
