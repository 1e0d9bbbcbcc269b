import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { STRIPE_CAPABILITIES } from '../../../../src/billing/vendor-capabilities.js';
import { money } from '../../../../src/core/money.js';
import {
  type CustomerDraft,
  FinanceError,
  type FinanceSystem,
  type InvoiceDraft,
} from '../../../../src/integrations/finance/port.js';
import { createStripeFinanceSystem } from '../../../../src/integrations/finance/stripe/adapter.js';
import { stripeFromKey } from '../../../../src/integrations/finance/stripe/client.js';
import { createStripeSandbox, type StripeSandbox } from '../../../../src/integrations/finance/stripe/sandbox/index.js';
import { InvoiceSnapshotSchema } from '../../../../src/receivables/invoice.js';
import { mockVendors } from '../../../support/msw.js';

let sandbox: StripeSandbox;
let clock: Date;
const vendors = mockVendors({ 'https://api.stripe.com': (r) => sandbox.handle(r) });
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());

function fresh(options: Parameters<typeof createStripeSandbox>[0] = {}): FinanceSystem {
  clock = new Date('2026-03-02T09:00:00Z');
  sandbox = createStripeSandbox({ now: () => clock, ...options });
  return createStripeFinanceSystem({ secretKey: sandbox.apiKey, now: () => clock });
}

const tick = (ms = 1000) => {
  clock = new Date(clock.getTime() + ms);
};

const acme: CustomerDraft = {
  legalName: 'Acme Ltd',
  email: 'ap@acme.test',
  apContactName: 'Ada Lovelace',
  address: { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
  currency: 'USD',
  paymentTerms: 'net_30',
  externalRef: 'hs-company-1',
};

function invoice(customerId: string, overrides: Partial<InvoiceDraft> = {}): InvoiceDraft {
  return {
    customerId,
    reference: 'rh-setup-1-m01',
    issueDate: '2026-03-02',
    dueDate: '2026-04-01',
    currency: 'USD',
    paymentTerms: 'net_30',
    poNumber: 'PO-4711',
    lines: [
      {
        description: 'Retainer March',
        quantity: 1,
        unitAmount: money(1_000_00, 'USD'),
        amount: money(1_000_00, 'USD'),
      },
      { description: 'Seats', quantity: 3, unitAmount: money(33_33, 'USD'), amount: money(99_99, 'USD') },
    ],
    status: 'draft',
    ...overrides,
  };
}

describe('Stripe adapter against the sandbox (through the stripe SDK)', () => {
  let stripe: FinanceSystem;
  beforeEach(() => {
    stripe = fresh();
  });

  it('describes itself with the Stripe capabilities', () => {
    expect(stripe.id).toBe('stripe');
    expect(stripe.capabilities).toBe(STRIPE_CAPABILITIES);
  });

  it('creates a customer with our reference and terms in metadata, sending the Idempotency-Key', async () => {
    const c = await stripe.createCustomer(acme, 'setup-1:customer');
    expect(c).toMatchObject({
      legalName: 'Acme Ltd',
      email: 'ap@acme.test',
      externalRef: 'hs-company-1',
      paymentTerms: 'net_30',
      currency: 'USD',
      url: `https://dashboard.stripe.com/test/customers/${c.id}`,
    });
    const call = sandbox.calls.find((x) => x.method === 'POST' && x.path === '/v1/customers');
    expect(call?.idempotencyKey).toBe('setup-1:customer');
    expect(call?.params).toMatchObject({
      metadata: { rh_external_ref: 'hs-company-1', rh_payment_terms: 'net_30', rh_ap_contact_name: 'Ada Lovelace' },
      address: { state: 'IL', postal_code: '62701' },
    });
  });

  it('replays an idempotent create: same customer back, nothing created twice', async () => {
    const a = await stripe.createCustomer(acme, 'k1');
    const b = await stripe.createCustomer(acme, 'k1');
    expect(b.id).toBe(a.id);
    expect(sandbox.state.customers.size).toBe(1);
    expect(sandbox.calls.filter((c) => c.replayed)).toHaveLength(1);
  });

  it('the same key with different parameters is a conflict (Stripe idempotency_error), not a second customer', async () => {
    await stripe.createCustomer(acme, 'k1');
    await expect(stripe.createCustomer({ ...acme, legalName: 'Acme Inc' }, 'k1')).rejects.toMatchObject({
      kind: 'conflict',
      vendorMessage: expect.stringContaining('Keys for idempotent requests can only be used with the same parameters'),
    });
    expect(sandbox.state.customers.size).toBe(1);
  });

  describe('find-or-create never creates twice', () => {
    it('finds by stored id, skipping a stale one', async () => {
      const c = await stripe.createCustomer(acme, 'k1');
      expect((await stripe.findCustomer({ id: c.id }))?.id).toBe(c.id);
      expect(await stripe.findCustomer({ id: 'cus_gone' })).toBeNull();
    });

    it('finds by our reference through search on metadata', async () => {
      const c = await stripe.createCustomer(acme, 'k1');
      expect((await stripe.findCustomer({ id: 'cus_gone', externalRef: 'hs-company-1' }))?.id).toBe(c.id);
      const search = sandbox.calls.find((x) => x.path === '/v1/customers/search');
      expect(search?.params.query).toBe("metadata['rh_external_ref']:'hs-company-1'");
    });

    it('finds a customer a person created in the Dashboard by email, then by exact name', async () => {
      const byEmail = sandbox.addCustomer({ name: 'ACME Limited', email: 'ap@acme.test' });
      expect((await stripe.findCustomer({ externalRef: 'hs-9', email: 'ap@acme.test' }))?.id).toBe(byEmail);
      const byName = sandbox.addCustomer({ name: "O'Brien & Co" });
      expect((await stripe.findCustomer({ email: 'x@y.test', legalName: "o'brien & co" }))?.id).toBe(byName);
    });

    it('returns null when nothing matches, and a create followed by a find finds it', async () => {
      const query = { externalRef: 'hs-company-1', email: 'ap@acme.test', legalName: 'Acme Ltd' };
      expect(await stripe.findCustomer(query)).toBeNull();
      const c = await stripe.createCustomer(acme, 'k1');
      expect((await stripe.findCustomer(query))?.id).toBe(c.id);
      expect(sandbox.state.customers.size).toBe(1);
    });

    it('while search lags a fresh write, email still finds the customer (list is consistent)', async () => {
      sandbox.limits.searchLagMs = 60_000;
      const c = await stripe.createCustomer(acme, 'k1');
      expect(await stripe.findCustomer({ externalRef: 'hs-company-1' })).toBeNull();
      expect((await stripe.findCustomer({ externalRef: 'hs-company-1', email: 'ap@acme.test' }))?.id).toBe(c.id);
      // ...and a retried create with the job's key replays instead of duplicating.
      expect((await stripe.createCustomer(acme, 'k1')).id).toBe(c.id);
    });

    it('refuses to pick between two customers with one email (conflict)', async () => {
      sandbox.addCustomer({ name: 'A', email: 'ap@acme.test' });
      sandbox.addCustomer({ name: 'B', email: 'ap@acme.test' });
      await expect(stripe.findCustomer({ email: 'ap@acme.test' })).rejects.toMatchObject({
        kind: 'conflict',
        vendorMessage: expect.stringContaining('2 Stripe customers have the email'),
      });
    });
  });

  it('updates a customer (terms in metadata) and refuses eofm terms with the alternative named', async () => {
    const c = await stripe.createCustomer(acme, 'k1');
    expect((await stripe.updateCustomer(c.id, { ...acme, paymentTerms: 'net_45' }, 'k2')).paymentTerms).toBe('net_45');
    await expect(stripe.updateCustomer(c.id, { ...acme, paymentTerms: 'eofm_20' }, 'k3')).rejects.toMatchObject({
      kind: 'validation',
      vendorMessage: expect.stringContaining('use net terms instead'),
    });
    await expect(stripe.ensurePaymentTerms('eofm_20', 'k')).rejects.toMatchObject({ kind: 'validation' });
    await expect(stripe.ensurePaymentTerms('net_30', 'k')).resolves.toEqual({});
  });

  describe('invoices', () => {
    let customerId: string;
    beforeEach(async () => {
      customerId = (await stripe.createCustomer(acme, 'k-customer')).id;
    });

    it('creates a draft: send_invoice, days_until_due, auto_advance false, rh_reference, PO custom field, exact total', async () => {
      const created = await stripe.createInvoice(invoice(customerId), 'setup-1:inv-m01');
      expect(created).toMatchObject({ status: 'draft', total: money(1_099_99, 'USD') });
      expect(created.number).toBeUndefined();
      const post = sandbox.calls.find((c) => c.method === 'POST' && c.path === '/v1/invoices');
      expect(post?.idempotencyKey).toBe('setup-1:inv-m01:invoice');
      expect(post?.params).toMatchObject({
        collection_method: 'send_invoice',
        days_until_due: '30',
        auto_advance: 'false',
        pending_invoice_items_behavior: 'exclude',
        metadata: { rh_reference: 'rh-setup-1-m01' },
        custom_fields: [{ name: 'PO number', value: 'PO-4711' }],
      });
      const items = sandbox.calls.filter((c) => c.path === '/v1/invoiceitems');
      expect(items.map((c) => c.idempotencyKey)).toEqual(['setup-1:inv-m01:item:1', 'setup-1:inv-m01:item:2']);
      expect(items[1]?.params).toMatchObject({
        amount: '9999',
        description: 'Seats (3 × $33.33)',
        invoice: created.id,
      });
      const stored = sandbox.state.invoices.get(created.id);
      expect(stored?.status).toBe('draft');
      expect(stored?.due_date).toBe(Date.parse('2026-04-01T09:00:00Z') / 1000);
    });

    it('creates an issued invoice: finalized, numbered, open', async () => {
      const created = await stripe.createInvoice(invoice(customerId, { status: 'issued' }), 'k-issued');
      expect(created.status).toBe('open');
      expect(created.number).toMatch(/^SBX[0-9A-F]{4}-0001$/);
      const fin = sandbox.calls.find((c) => c.path.endsWith('/finalize'));
      expect(fin?.idempotencyKey).toBe('k-issued:finalize');
    });

    it('a retry after a crash between steps replays what was done and finishes: one invoice, two lines', async () => {
      const draft = invoice(customerId, { status: 'issued' });
      const fail = new Error('crash after the first line');
      let calls = 0;
      const crashing = createStripeFinanceSystem({
        stripe: stripeFromKey(sandbox.apiKey, {
          fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
            if (String(input).includes('/invoiceitems') && ++calls === 2) throw fail;
            return globalThis.fetch(input, init);
          }) as typeof fetch,
        }),
      });
      await expect(crashing.createInvoice(draft, 'k-crash')).rejects.toMatchObject({ kind: 'temporary' });
      const created = await stripe.createInvoice(draft, 'k-crash');
      expect(sandbox.state.invoices.size).toBe(1);
      expect(sandbox.state.invoices.get(created.id)?.lines.data).toHaveLength(2);
      expect(created).toMatchObject({ status: 'open', total: money(1_099_99, 'USD') });
    });

    it('finds the invoice we created by reference, and not for another customer', async () => {
      const created = await stripe.createInvoice(invoice(customerId), 'k-a');
      expect(await stripe.findInvoiceByReference(customerId, 'rh-setup-1-m01')).toEqual(created);
      expect(await stripe.findInvoiceByReference(customerId, 'rh-other')).toBeNull();
      const other = (await stripe.createCustomer({ ...acme, externalRef: 'hs-2', email: 'b@b.test' }, 'k-o')).id;
      expect(await stripe.findInvoiceByReference(other, 'rh-setup-1-m01')).toBeNull();
    });

    it('lists snapshots: paid, open, void, uncollectible → written_off, draft; all pass the snapshot schema', async () => {
      const ids: string[] = [];
      for (const [i, status] of (['issued', 'issued', 'issued', 'issued', 'draft'] as const).entries()) {
        ids.push((await stripe.createInvoice(invoice(customerId, { status, reference: `rh-${i}` }), `k-${i}`)).id);
        tick();
      }
      const [paid, open, voided, bad, draft] = ids as [string, string, string, string, string];
      sandbox.payInvoice(paid, '2026-03-10');
      sandbox.voidInvoice(voided);
      sandbox.markUncollectible(bad);
      const list = await stripe.listInvoices({ customerId });
      for (const s of list) expect(InvoiceSnapshotSchema.safeParse(s).success).toBe(true);
      const by = new Map(list.map((s) => [s.id, s]));
      expect(by.get(paid)).toMatchObject({ status: 'paid', paidOn: '2026-03-10', amountDue: money(0, 'USD') });
      expect(by.get(open)).toMatchObject({
        status: 'open',
        amountDue: money(1_099_99, 'USD'),
        issueDate: '2026-03-02',
        dueDate: '2026-04-01',
      });
      expect(by.get(voided)?.status).toBe('void');
      expect(by.get(bad)?.status).toBe('written_off');
      expect(by.get(draft)).toMatchObject({ status: 'draft', number: 'rh-4' });
    });

    it('lists only invoices changed since a time, from the event log', async () => {
      const old = await stripe.createInvoice(invoice(customerId, { status: 'issued', reference: 'rh-old' }), 'k-old');
      clock = new Date('2026-03-05T12:00:00Z');
      const since = new Date('2026-03-04T00:00:00Z');
      const recent = await stripe.createInvoice(invoice(customerId, { reference: 'rh-new' }), 'k-new');
      expect((await stripe.listInvoices({ changedSince: since })).map((s) => s.id)).toEqual([recent.id]);
      tick();
      sandbox.payInvoice(old.id);
      const list = await stripe.listInvoices({ changedSince: since, customerId });
      expect(list.map((s) => s.id).sort()).toEqual([old.id, recent.id].sort());
      expect(list.find((s) => s.id === old.id)?.status).toBe('paid');
      const read = sandbox.calls.filter((c) => c.path === '/v1/events').at(-1);
      expect(read?.params).toMatchObject({ type: 'invoice.*', created: { gte: String(since.getTime() / 1000) } });
    });

    it('falls back to listing every invoice when changedSince is older than Stripe keeps events (30 days)', async () => {
      await stripe.createInvoice(invoice(customerId), 'k-a');
      await stripe.listInvoices({ changedSince: new Date('2026-01-01T00:00:00Z') });
      expect(sandbox.calls.some((c) => c.path === '/v1/events')).toBe(false);
      expect(sandbox.calls.some((c) => c.method === 'GET' && c.path === '/v1/invoices')).toBe(true);
    });

    it('pages through more than 100 invoices', async () => {
      const one = money(1_00, 'USD');
      for (let i = 0; i < 105; i++) {
        await stripe.createInvoice(
          invoice(customerId, {
            reference: `rh-p${i}`,
            lines: [{ description: 'x', quantity: 1, unitAmount: one, amount: one }],
          }),
          `k-p${i}`,
        );
        tick(200); // two calls per invoice: under 25 per second
      }
      expect(await stripe.listInvoices({ customerId })).toHaveLength(105);
      expect(sandbox.calls.filter((c) => c.method === 'GET' && c.path === '/v1/invoices')).toHaveLength(2);
    });
  });

  it('customerUrl links into the Dashboard (test mode under /test/)', () => {
    expect(stripe.customerUrl('cus_1')).toBe('https://dashboard.stripe.com/test/customers/cus_1');
    expect(createStripeFinanceSystem({ secretKey: 'sk_live_x' }).customerUrl('cus_1')).toBe(
      'https://dashboard.stripe.com/customers/cus_1',
    );
  });
});

describe('Stripe adapter errors', () => {
  it('429 from the 25 requests per second test-mode limit → rate_limited with a wait', async () => {
    const stripe = fresh({ perSecond: 2 });
    await stripe.findCustomer({ email: 'a@a.test' });
    await stripe.findCustomer({ email: 'b@a.test' });
    const error = await stripe.findCustomer({ email: 'c@a.test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinanceError);
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 1000, retryable: true });
    expect((error as FinanceError).vendorMessage).toContain('Testmode request rate limit exceeded');
    tick(1000);
    await expect(stripe.findCustomer({ email: 'c@a.test' })).resolves.toBeNull();
  });

  it('401 (wrong key) → auth, with Stripe’s message', async () => {
    fresh();
    const stripe = createStripeFinanceSystem({ secretKey: 'sk_test_wrong_key_1234' });
    await expect(stripe.findCustomer({ email: 'a@a.test' })).rejects.toMatchObject({
      kind: 'auth',
      status: 401,
      vendorMessage: expect.stringContaining('Invalid API Key provided'),
    });
  });

  it('a refused parameter → validation with Stripe’s message and the parameter', async () => {
    const stripe = fresh();
    const c = await stripe.createCustomer(acme, 'k');
    await expect(stripe.createInvoice(invoice(c.id, { poNumber: 'P'.repeat(141) }), 'k-inv')).rejects.toMatchObject({
      kind: 'validation',
      vendorMessage: expect.stringContaining("Stripe's 140 characters"),
    });
    await expect(stripe.createCustomer({ ...acme, email: 'not an email' }, 'k2')).rejects.toMatchObject({
      kind: 'validation',
      status: 400,
      vendorMessage: 'Invalid email address: not an email',
    });
  });

  it('an invoice for a customer that does not exist → not_found', async () => {
    const stripe = fresh();
    await expect(stripe.createInvoice(invoice('cus_missing'), 'k')).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
      vendorMessage: "No such customer: 'cus_missing'",
    });
  });

  it('a network failure → temporary', async () => {
    fresh();
    const stripe = createStripeFinanceSystem({
      stripe: stripeFromKey('sk_test_sandbox', {
        fetch: (async () => {
          throw new TypeError('fetch failed');
        }) as typeof fetch,
      }),
    });
    await expect(stripe.findCustomer({ email: 'a@a.test' })).rejects.toMatchObject({ kind: 'temporary' });
  });
});
