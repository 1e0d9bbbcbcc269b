import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { XERO_CAPABILITIES } from '../../../../src/billing/vendor-capabilities.js';
import { money } from '../../../../src/core/money.js';
import {
  type CustomerDraft,
  FinanceError,
  type FinanceSystem,
  type InvoiceDraft,
} from '../../../../src/integrations/finance/port.js';
import { createXeroFinanceSystem } from '../../../../src/integrations/finance/xero/adapter.js';
import { createXeroSandbox, type XeroSandbox } from '../../../../src/integrations/finance/xero/sandbox/index.js';
import { InvoiceSnapshotSchema } from '../../../../src/receivables/invoice.js';
import { mockVendors } from '../../../support/msw.js';

let sandbox: XeroSandbox;
let clock: Date;
const vendors = mockVendors({ 'https://api.xero.com': (r) => sandbox.handle(r) });
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());

function fresh(options: Parameters<typeof createXeroSandbox>[0] = {}) {
  clock = new Date('2026-03-02T09:00:00Z');
  sandbox = createXeroSandbox({ now: () => clock, ...options });
  return createXeroFinanceSystem({
    tenantId: sandbox.tenantId,
    accessToken: async () => sandbox.accessToken,
    salesAccountCode: '200',
  });
}

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
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
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

const creates = () => sandbox.calls.filter((c) => c.operation === 'createContacts');

describe('Xero adapter against the sandbox', () => {
  let xero: FinanceSystem;
  beforeEach(() => {
    xero = fresh();
  });

  it('describes itself with the Xero capabilities', () => {
    expect(xero.id).toBe('xero');
    expect(xero.capabilities).toBe(XERO_CAPABILITIES);
  });

  it('creates a contact carrying our reference in ContactNumber, terms in PaymentTerms.Sales, and reads it back', async () => {
    const created = await xero.createCustomer(acme, 'setup-1:customer');
    expect(created).toMatchObject({
      legalName: 'Acme Ltd',
      email: 'ap@acme.test',
      externalRef: 'hs-company-1',
      paymentTerms: 'net_30',
      currency: 'USD',
    });
    expect(created.url).toBe(`https://go.xero.com/Contacts/View/${created.id}`);
    const sent = creates()[0]?.requestBody as { Contacts: Array<Record<string, unknown>> };
    expect(sent.Contacts[0]).toMatchObject({
      ContactNumber: 'hs-company-1',
      PaymentTerms: { Sales: { Day: 30, Type: 'DAYSAFTERBILLDATE' } },
      FirstName: 'Ada',
      LastName: 'Lovelace',
    });
    expect(creates()[0]?.idempotencyKey).toBe('setup-1:customer');
  });

  it('replays an idempotent create: same contact back, nothing created twice', async () => {
    const first = await xero.createCustomer(acme, 'setup-1:customer');
    const again = await xero.createCustomer(acme, 'setup-1:customer');
    expect(again.id).toBe(first.id);
    const org = sandbox.state.orgs.get(sandbox.tenantId);
    expect(org?.contacts.size).toBe(1);
    expect(sandbox.calls.filter((c) => c.replayed)).toHaveLength(1);
  });

  describe('find-or-create never creates twice', () => {
    it('finds by stored id first', async () => {
      const c = await xero.createCustomer(acme, 'k1');
      expect((await xero.findCustomer({ id: c.id }))?.id).toBe(c.id);
    });

    it('falls through a stale id to our external reference (ContactNumber)', async () => {
      const c = await xero.createCustomer(acme, 'k1');
      const found = await xero.findCustomer({
        id: '00000000-0000-4000-8000-00000000dead',
        externalRef: 'hs-company-1',
      });
      expect(found?.id).toBe(c.id);
      const lookup = sandbox.calls.find((call) => call.operation === 'getContacts');
      expect(lookup?.query.where).toBe('ContactNumber=="hs-company-1"');
    });

    it('finds a contact a person created in Xero by billing email, ignoring case', async () => {
      const id = sandbox.addContact({ Name: 'ACME Limited', EmailAddress: 'AP@acme.test' });
      expect((await xero.findCustomer({ externalRef: 'hs-company-9', email: 'ap@acme.test' }))?.id).toBe(id);
    });

    it('finds by exact legal name last, not by a name that only contains it', async () => {
      sandbox.addContact({ Name: 'Acme Ltd Europe' });
      const id = sandbox.addContact({ Name: 'Acme Ltd' });
      expect((await xero.findCustomer({ email: 'nobody@acme.test', legalName: 'acme ltd' }))?.id).toBe(id);
    });

    it('returns null when nothing matches, and a sync that then creates finds it next time', async () => {
      const query = { externalRef: 'hs-company-1', email: 'ap@acme.test', legalName: 'Acme Ltd' };
      expect(await xero.findCustomer(query)).toBeNull();
      const created = await xero.createCustomer(acme, 'k1');
      expect((await xero.findCustomer(query))?.id).toBe(created.id);
      expect(creates()).toHaveLength(1);
    });

    it('refuses to pick between two contacts with one email (conflict, vendor ids in the message)', async () => {
      sandbox.addContact({ Name: 'Acme A', EmailAddress: 'ap@acme.test' });
      sandbox.addContact({ Name: 'Acme B', EmailAddress: 'ap@acme.test' });
      await expect(xero.findCustomer({ email: 'ap@acme.test' })).rejects.toMatchObject({
        kind: 'conflict',
        vendorMessage: expect.stringContaining('2 Xero contacts have the email'),
      });
    });
  });

  it('a duplicate name is a conflict with Xero’s own message', async () => {
    sandbox.addContact({ Name: 'Acme Ltd' });
    await expect(xero.createCustomer(acme, 'k1')).rejects.toMatchObject({
      kind: 'conflict',
      status: 400,
      vendorMessage: expect.stringContaining('The contact name Acme Ltd is already assigned to another contact'),
    });
  });

  it('a draft Xero could not hold is refused before any call, as a rejected promise', async () => {
    await expect(xero.createCustomer({ ...acme, externalRef: 'x'.repeat(51) }, 'k1')).rejects.toMatchObject({
      kind: 'validation',
      vendorMessage: expect.stringContaining('ContactNumber'),
    });
    expect(sandbox.calls).toHaveLength(0);
  });

  it('updates a contact’s terms (eofm → OFFOLLOWINGMONTH)', async () => {
    const c = await xero.createCustomer(acme, 'k1');
    const updated = await xero.updateCustomer(c.id, { ...acme, paymentTerms: 'eofm_20' }, 'k2');
    expect(updated.paymentTerms).toBe('eofm_20');
    const stored = sandbox.state.orgs.get(sandbox.tenantId)?.contacts.get(c.id);
    expect(stored?.contact.PaymentTerms?.Sales).toEqual({ Day: 20, Type: 'OFFOLLOWINGMONTH' });
  });

  it('ensurePaymentTerms checks the code without calling Xero (terms live on the contact)', async () => {
    await expect(xero.ensurePaymentTerms('net_45', 'k')).resolves.toEqual({});
    await expect(xero.ensurePaymentTerms('net_1000', 'k')).rejects.toMatchObject({ kind: 'validation' });
    expect(sandbox.calls).toHaveLength(0);
  });

  describe('invoices', () => {
    let customerId: string;
    beforeEach(async () => {
      customerId = (await xero.createCustomer(acme, 'k-customer')).id;
    });

    it('creates a DRAFT with our reference as InvoiceNumber, the PO in Reference, and the exact total', async () => {
      const created = await xero.createInvoice(invoice(customerId), 'setup-1:inv-m01');
      expect(created).toMatchObject({ number: 'rh-setup-1-m01', status: 'draft', total: money(1_099_99, 'USD') });
      const sent = sandbox.calls.find((c) => c.operation === 'createInvoices');
      expect(sent?.idempotencyKey).toBe('setup-1:inv-m01');
      expect((sent?.requestBody as { Invoices: unknown[] } | undefined)?.Invoices[0]).toMatchObject({
        Type: 'ACCREC',
        Status: 'DRAFT',
        InvoiceNumber: 'rh-setup-1-m01',
        Reference: 'PO-4711',
        LineAmountTypes: 'Exclusive',
        Date: '2026-03-01',
        DueDate: '2026-03-31',
      });
    });

    it('creates an issued invoice as AUTHORISED (open)', async () => {
      const created = await xero.createInvoice(invoice(customerId, { status: 'issued' }), 'k-inv');
      expect(created.status).toBe('open');
      const stored = sandbox.state.orgs.get(sandbox.tenantId)?.invoices.get(created.id);
      expect(stored?.status).toBe('AUTHORISED');
    });

    it('keeps totals exact when Xero’s Quantity × UnitAmount would round (fractional hours)', async () => {
      const draft = invoice(customerId, {
        lines: [
          { description: 'Consulting', quantity: 1.5, unitAmount: money(33_33, 'USD'), amount: money(50_00, 'USD') },
          { description: 'Hours', quantity: 2.5, unitAmount: money(100_00, 'USD'), amount: money(250_00, 'USD') },
        ],
      });
      const created = await xero.createInvoice(draft, 'k-frac');
      expect(created.total).toEqual(money(300_00, 'USD'));
    });

    it('replays a create with the same Idempotency-Key: one invoice, same id', async () => {
      const a = await xero.createInvoice(invoice(customerId), 'k-inv');
      const b = await xero.createInvoice(invoice(customerId), 'k-inv');
      expect(b.id).toBe(a.id);
      expect(sandbox.state.orgs.get(sandbox.tenantId)?.invoices.size).toBe(1);
    });

    it('a second create with the same reference but a new key is refused by Xero (Invoice # must be unique)', async () => {
      await xero.createInvoice(invoice(customerId), 'k-1');
      await expect(xero.createInvoice(invoice(customerId), 'k-2')).rejects.toMatchObject({
        kind: 'conflict',
        vendorMessage: 'Invoice # must be unique.',
      });
    });

    it('finds the invoice we created by reference (crash recovery), and not for another customer', async () => {
      const created = await xero.createInvoice(invoice(customerId), 'k-inv');
      expect(await xero.findInvoiceByReference(customerId, 'rh-setup-1-m01')).toEqual(created);
      expect(await xero.findInvoiceByReference(customerId, 'rh-setup-1-m02')).toBeNull();
      const other = (await xero.createCustomer({ ...acme, legalName: 'Other', externalRef: 'hs-2' }, 'k-o')).id;
      expect(await xero.findInvoiceByReference(other, 'rh-setup-1-m01')).toBeNull();
    });

    it('validation errors come back as kind validation with Xero’s message', async () => {
      const noAccount = createXeroFinanceSystem({
        tenantId: sandbox.tenantId,
        accessToken: async () => sandbox.accessToken,
      });
      await expect(noAccount.createInvoice(invoice(customerId, { status: 'issued' }), 'k-x')).rejects.toMatchObject({
        kind: 'validation',
        status: 400,
        vendorMessage: "Account code '' is not a valid code for this document.",
      });
    });

    it('lists a customer’s invoices as snapshots (paid, open, void) that pass the snapshot schema', async () => {
      const a = await xero.createInvoice(invoice(customerId, { status: 'issued' }), 'k-a');
      const b = await xero.createInvoice(invoice(customerId, { status: 'issued', reference: 'rh-2' }), 'k-b');
      const c = await xero.createInvoice(invoice(customerId, { reference: 'rh-3' }), 'k-c');
      sandbox.payInvoice(a.id, { on: '2026-03-10' });
      sandbox.payInvoice(b.id, { amount: 100, on: '2026-03-11' });
      sandbox.voidInvoice(c.id);
      const list = await xero.listInvoices({ customerId });
      for (const snap of list) expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
      const byId = new Map(list.map((s) => [s.id, s]));
      expect(byId.get(a.id)).toMatchObject({ status: 'paid', paidOn: '2026-03-10', amountDue: money(0, 'USD') });
      expect(byId.get(b.id)).toMatchObject({
        status: 'open',
        amountDue: money(999_99, 'USD'),
        payments: [{ on: '2026-03-11', amount: money(100_00, 'USD') }],
        dueDate: '2026-03-31',
        issueDate: '2026-03-01',
      });
      expect(byId.get(c.id)?.status).toBe('void');
      const read = sandbox.calls.find(
        (call) => call.operation === 'getInvoices' && call.query.ContactIDs === customerId,
      );
      // A customer's list is paged without summaryOnly, so it carries the line items (no extra call).
      expect(read?.query).toMatchObject({ page: '1', where: 'Type=="ACCREC"' });
      expect(read?.query.summaryOnly).toBeUndefined();
      expect(byId.get(b.id)).toMatchObject({
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
      });
    });

    it('a PO number and a line edited by hand in Xero read back changed; the sweep’s list stays summaryOnly', async () => {
      const a = await xero.createInvoice(invoice(customerId, { status: 'issued' }), 'k-edit');
      sandbox.editInvoice(a.id, { reference: 'PO-4712', line: { index: 2, quantity: 2 } });
      const [snap] = await xero.listInvoices({ customerId });
      expect(snap?.poNumber).toBe('PO-4712');
      expect(snap?.lines?.[1]).toMatchObject({ quantity: 2, amount: money(66_66, 'USD') });
      expect(snap?.total).toEqual(money(1_066_66, 'USD'));
      const swept = await xero.listInvoices({ changedSince: new Date('2026-01-01T00:00:00Z') });
      expect(swept.find((s) => s.id === a.id)?.lines).toBeUndefined();
      const read = sandbox.calls.filter((c) => c.operation === 'getInvoices').at(-1);
      expect(read?.query).toMatchObject({ summaryOnly: 'true' });
    });

    it('lists only invoices changed since a time, sending If-Modified-Since', async () => {
      const old = await xero.createInvoice(invoice(customerId, { status: 'issued' }), 'k-old');
      clock = new Date('2026-03-05T12:00:00Z');
      const since = new Date('2026-03-04T00:00:00Z');
      const recent = await xero.createInvoice(invoice(customerId, { reference: 'rh-new' }), 'k-new');
      let list = await xero.listInvoices({ changedSince: since });
      expect(list.map((s) => s.id)).toEqual([recent.id]);
      clock = new Date('2026-03-06T12:00:00Z');
      sandbox.payInvoice(old.id);
      list = await xero.listInvoices({ changedSince: since });
      expect(list.map((s) => s.id).sort()).toEqual([old.id, recent.id].sort());
      const read = sandbox.calls.filter((c) => c.operation === 'getInvoices').at(-1);
      expect(read?.ifModifiedSince).toBe('2026-03-04T00:00:00.000Z');
    });

    it('pages through more than 100 invoices', async () => {
      const small = money(1_00, 'USD');
      for (let i = 0; i < 120; i++) {
        await xero.createInvoice(
          invoice(customerId, {
            reference: `rh-p-${i}`,
            lines: [{ description: 'x', quantity: 1, unitAmount: small, amount: small }],
          }),
          `k-p-${i}`,
        );
        clock = new Date(clock.getTime() + 1_100); // stay under 60 calls/minute
      }
      const list = await xero.listInvoices({ customerId });
      expect(list).toHaveLength(120);
      expect(sandbox.calls.filter((c) => c.operation === 'getInvoices').map((c) => c.query.page)).toEqual(['1', '2']);
    });
  });

  it('customerUrl links into Xero (with the organisation short code when known)', () => {
    expect(xero.customerUrl('abc')).toBe('https://go.xero.com/Contacts/View/abc');
    const withCode = createXeroFinanceSystem({ tenantId: 't', accessToken: async () => 'x', shortCode: '!abc' });
    expect(withCode.customerUrl('abc')).toBe(
      'https://go.xero.com/organisationlogin/default.aspx?shortcode=!abc&redirecturl=%2FContacts%2FView%2Fabc',
    );
  });
});

describe('Xero adapter errors', () => {
  it('429 from the 60/minute limit → rate_limited with Retry-After in ms', async () => {
    const xero = fresh({ limits: { perMinute: 2 } });
    await xero.findCustomer({ externalRef: 'a' });
    clock = new Date(clock.getTime() + 15_000);
    await xero.findCustomer({ externalRef: 'b' });
    const error = await xero.findCustomer({ externalRef: 'c' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FinanceError);
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 45_000, retryable: true });
    expect((error as FinanceError).vendorMessage).toContain('60 calls per minute');
  });

  it('429 from the daily limit says so', async () => {
    const xero = fresh({ limits: { perDay: 1 } });
    await xero.findCustomer({ externalRef: 'a' });
    await expect(xero.findCustomer({ externalRef: 'b' })).rejects.toMatchObject({
      kind: 'rate_limited',
      vendorMessage: expect.stringContaining('5,000 calls per day'),
    });
  });

  it('more than 5 calls at once → the 6th is rate limited (concurrent)', async () => {
    const xero = fresh({ latencyMs: 30 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => xero.findCustomer({ externalRef: `r${i}` })),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
  });

  it('401 (expired or wrong token) → auth', async () => {
    fresh();
    const xero = createXeroFinanceSystem({ tenantId: sandbox.tenantId, accessToken: async () => 'expired' });
    await expect(xero.findCustomer({ externalRef: 'a' })).rejects.toMatchObject({
      kind: 'auth',
      status: 401,
      vendorMessage: 'Unauthorized: AuthenticationUnsuccessful',
    });
  });

  it('403 (organisation not connected) → auth', async () => {
    fresh();
    const xero = createXeroFinanceSystem({
      tenantId: '00000000-0000-4000-8000-000000000bad',
      accessToken: async () => sandbox.accessToken,
    });
    await expect(xero.findCustomer({ externalRef: 'a' })).rejects.toMatchObject({ kind: 'auth', status: 403 });
  });

  it('a network failure → temporary', async () => {
    const xero = createXeroFinanceSystem({
      tenantId: 't',
      accessToken: async () => 'x',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(xero.findCustomer({ externalRef: 'a' })).rejects.toMatchObject({ kind: 'temporary' });
  });
});
