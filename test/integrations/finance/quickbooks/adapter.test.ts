import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { QUICKBOOKS_CAPABILITIES } from '../../../../src/billing/vendor-capabilities.js';
import { money } from '../../../../src/core/money.js';
import {
  type CustomerDraft,
  FinanceError,
  type FinanceSystem,
  type InvoiceDraft,
} from '../../../../src/integrations/finance/port.js';
import {
  createQuickBooksFinanceSystem,
  type QuickBooksFinanceSystemOptions,
} from '../../../../src/integrations/finance/quickbooks/adapter.js';
import { FAULTS } from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import {
  createQuickBooksSandbox,
  type QuickBooksSandbox,
  type QuickBooksSandboxOptions,
} from '../../../../src/integrations/finance/quickbooks/sandbox/index.js';
import { InvoiceSnapshotSchema } from '../../../../src/receivables/invoice.js';
import { mockVendors } from '../../../support/msw.js';

const BASE = 'https://sandbox-quickbooks.api.intuit.com';
let clock = new Date('2026-03-21T10:00:00Z');
let qbo: QuickBooksSandbox;
const vendors = mockVendors({ [BASE]: (r) => qbo.handle(r) });
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());

function setup(
  sandbox: QuickBooksSandboxOptions = {},
  adapter: Partial<QuickBooksFinanceSystemOptions> = {},
): FinanceSystem {
  clock = new Date('2026-03-21T10:00:00Z');
  qbo = createQuickBooksSandbox({ now: () => clock, ...sandbox });
  return createQuickBooksFinanceSystem({
    realmId: qbo.realmId,
    accessToken: async () => qbo.accessToken,
    baseUrl: BASE,
    minorVersion: 75,
    poCustomField: { definitionId: '1', name: 'P.O. Number' },
    now: () => clock,
    ...adapter,
  });
}

const customer: CustomerDraft = {
  legalName: "O'Brien & Sons Ltd",
  email: 'ap@obrien.example',
  apContactName: 'Aoife Byrne',
  address: { line1: '12 Harbour Road', city: 'San Francisco', region: 'CA', postalCode: '94107', country: 'US' },
  currency: 'USD',
  paymentTerms: 'net_30',
  externalRef: 'hs-company-4711',
};

function invoice(customerId: string, over: Partial<InvoiceDraft> = {}): InvoiceDraft {
  return {
    customerId,
    reference: 'setup-81:2026-03',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    currency: 'USD',
    paymentTerms: 'net_30',
    poNumber: 'PO-4500012345',
    status: 'issued',
    lines: [
      { description: 'Retainer', quantity: 1, unitAmount: money(100000, 'USD'), amount: money(100000, 'USD') },
      { description: 'Hours', quantity: 3, unitAmount: money(8350, 'USD'), amount: money(25050, 'USD') },
    ],
    ...over,
  };
}

const writes = () => qbo.calls.filter((c) => c.method === 'POST' && !c.replayed && c.status === 200);
const routes = () => qbo.calls.map((c) => c.route);

describe('QuickBooks adapter: customers', () => {
  let finance: FinanceSystem;
  beforeEach(() => {
    finance = setup();
  });

  it('is the quickbooks system with its capability descriptor and links into the QuickBooks app', () => {
    expect(finance.id).toBe('quickbooks');
    expect(finance.capabilities).toBe(QUICKBOOKS_CAPABILITIES);
    expect(finance.customerUrl('58')).toBe('https://app.sandbox.qbo.intuit.com/app/customerdetail?nameId=58');
  });

  it('find-or-create never creates twice: the retry replays, and every lookup finds the one customer', async () => {
    expect(
      await finance.findCustomer({
        externalRef: customer.externalRef,
        email: customer.email,
        legalName: customer.legalName,
      }),
    ).toBeNull();
    const created = await finance.createCustomer(customer, 'setup-81:customer');
    const again = await finance.createCustomer(customer, 'setup-81:customer');
    expect(again).toEqual(created);
    expect(qbo.state.customers.size).toBe(1);
    expect(created).toMatchObject({
      legalName: "O'Brien & Sons Ltd",
      email: 'ap@obrien.example',
      externalRef: 'hs-company-4711',
      paymentTerms: 'net_30',
      currency: 'USD',
    });
    expect(qbo.calls.filter((c) => c.route === 'POST customer').map((c) => c.replayed)).toEqual([false, true]);

    for (const query of [
      { id: created.id },
      { externalRef: customer.externalRef },
      { email: customer.email },
      { legalName: customer.legalName },
    ]) {
      expect((await finance.findCustomer(query))?.id).toBe(created.id);
    }
  });

  it('matches by stored id first, then external ref, then email, then name', async () => {
    const ours = await finance.createCustomer(customer, 'k1');
    // A hand-made customer using the same AP email, and one carrying the legal name we will look for next.
    const sameEmail = qbo.addCustomer({
      DisplayName: 'OBrien Holdings',
      PrimaryEmailAddr: { Address: 'ap@obrien.example' },
    });
    const initech = qbo.addCustomer({ DisplayName: 'Initech', CompanyName: 'Initech Inc.' });

    // stored id wins over everything
    expect((await finance.findCustomer({ id: initech.Id, externalRef: customer.externalRef }))?.id).toBe(initech.Id);
    // a stale id falls through to the external ref
    expect((await finance.findCustomer({ id: '999999', externalRef: customer.externalRef }))?.id).toBe(ours.id);
    // the ref wins over an email match, found by scanning when the cheap candidates do not carry it
    qbo.calls.length = 0;
    expect(
      (
        await finance.findCustomer({
          externalRef: customer.externalRef,
          email: 'nobody@else.example',
          legalName: 'Nobody',
        })
      )?.id,
    ).toBe(ours.id);
    expect(
      qbo.calls.some(
        (c) => c.route === 'GET query' && c.params.query?.startsWith('select * from Customer startposition'),
      ),
    ).toBe(true);
    // no ref match: the email decides, skipping a customer bound to another company's ref
    expect((await finance.findCustomer({ externalRef: 'hs-company-9', email: 'ap@obrien.example' }))?.id).toBe(
      sameEmail.Id,
    );
    // no ref, no email: the legal name (DisplayName, else CompanyName)
    expect((await finance.findCustomer({ externalRef: 'hs-company-9', legalName: 'Initech Inc.' }))?.id).toBe(
      initech.Id,
    );
    expect(await finance.findCustomer({ externalRef: 'hs-company-9', legalName: "O'Brien & Sons Ltd" })).toBeNull();
  });

  it('escapes quotes and backslashes in lookups', async () => {
    const odd = qbo.addCustomer({ DisplayName: "Ann's \\ Bob's", PrimaryEmailAddr: { Address: "o'hara@x.example" } });
    expect((await finance.findCustomer({ legalName: "Ann's \\ Bob's" }))?.id).toBe(odd.Id);
    expect((await finance.findCustomer({ email: "o'hara@x.example" }))?.id).toBe(odd.Id);
    const q = qbo.calls.find((c) => c.params.query?.includes('DisplayName'))?.params.query;
    expect(q).toContain("DisplayName = 'Ann\\'s \\\\ Bob\\'s'");
  });

  it('6240 duplicate name: a customer we created earlier (our marker) is returned, not duplicated', async () => {
    const first = await finance.createCustomer(customer, 'key-a');
    // A new idempotency key (e.g. Intuit forgot the requestid): QuickBooks answers 6240, the holder carries our ref.
    const second = await finance.createCustomer(customer, 'key-b');
    expect(second.id).toBe(first.id);
    expect(qbo.state.customers.size).toBe(1);
    expect(qbo.calls.some((c) => c.route === 'POST customer' && c.status === 400)).toBe(true);
  });

  it('6240 duplicate name held by someone else is a conflict a person must resolve', async () => {
    qbo.addCustomer({ DisplayName: "o'brien & sons ltd" }); // names are unique case-insensitively
    const e1 = await finance.createCustomer(customer, 'k').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(FinanceError);
    expect((e1 as FinanceError).kind).toBe('conflict');
    expect((e1 as FinanceError).vendorMessage).toMatch(/not linked to hs-company-4711/);

    finance = setup();
    qbo.addOtherName("O'Brien & Sons Ltd"); // a vendor
    const e2 = await finance.createCustomer(customer, 'k').catch((e: unknown) => e);
    expect((e2 as FinanceError).kind).toBe('conflict');
    expect((e2 as FinanceError).vendorMessage).toMatch(/vendor, an employee/);
    expect(qbo.state.customers.size).toBe(0);
  });

  it('updates a customer sparsely, keeping hand-written notes, and survives one stale SyncToken', async () => {
    const created = await finance.createCustomer(customer, 'k1');
    const stored = qbo.state.customers.get(created.id);
    if (stored) stored.Notes = `${stored.Notes}\nCall before invoicing.`;
    qbo.injectFault({ status: 400, body: FAULTS.staleObject, when: (r) => r === 'POST customer' });
    const updated = await finance.updateCustomer(
      created.id,
      { ...customer, email: 'finance@obrien.example', paymentTerms: 'net_45' },
      'k2',
    );
    expect(updated).toMatchObject({
      email: 'finance@obrien.example',
      paymentTerms: 'net_45',
      externalRef: 'hs-company-4711',
    });
    expect(qbo.state.customers.get(created.id)?.Notes).toBe(
      'Revenue Handoff ref: hs-company-4711\nCall before invoicing.',
    );
  });
});

describe('QuickBooks adapter: payment terms', () => {
  it('finds existing terms and creates a missing one exactly once', async () => {
    const finance = setup();
    expect(await finance.ensurePaymentTerms('net_30', 't1')).toEqual({ vendorTermsId: '3' });
    expect(await finance.ensurePaymentTerms('due_on_receipt', 't2')).toEqual({ vendorTermsId: '1' });
    const net45 = await finance.ensurePaymentTerms('net_45', 't3');
    expect(await finance.ensurePaymentTerms('net_45', 't4')).toEqual(net45);
    const eofm = await finance.ensurePaymentTerms('eofm_20', 't5');
    expect(qbo.state.terms.get(eofm.vendorTermsId as string)).toMatchObject({
      Type: 'DATE_DRIVEN',
      DayOfMonthDue: 20,
      DueNextMonthDays: 19,
      Name: '20th of the following month',
    });
    // another adapter instance (another worker) finds them instead of creating again
    const other = createQuickBooksFinanceSystem({
      realmId: qbo.realmId,
      accessToken: async () => qbo.accessToken,
      baseUrl: BASE,
    });
    expect(await other.ensurePaymentTerms('net_45', 't6')).toEqual(net45);
    expect(writes().filter((c) => c.route === 'POST term')).toHaveLength(2);
  });

  it('refuses a code it cannot read before calling QuickBooks', async () => {
    const finance = setup();
    await expect(finance.ensurePaymentTerms('net_thirty', 'k')).rejects.toMatchObject({ kind: 'validation' });
    expect(qbo.calls).toHaveLength(0);
  });

  it('reports a same-named term with other days as a conflict', async () => {
    const finance = setup();
    const stored = qbo.state.terms.get('2');
    if (stored) stored.Active = false; // an inactive "Net 15"
    await expect(finance.ensurePaymentTerms('net_15', 'k')).rejects.toMatchObject({ kind: 'conflict' });
  });
});

describe('QuickBooks adapter: invoices', () => {
  let finance: FinanceSystem;
  let customerId: string;
  beforeEach(async () => {
    finance = setup();
    customerId = (await finance.createCustomer(customer, 'c1')).id;
  });

  it('refuses a draft with a clear message, before any call', async () => {
    qbo.calls.length = 0;
    const e = await finance.createInvoice(invoice(customerId, { status: 'draft' }), 'i1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FinanceError);
    expect((e as FinanceError).kind).toBe('validation');
    expect((e as FinanceError).vendorMessage).toMatch(/QuickBooks Online has no draft invoices/);
    expect((e as FinanceError).vendorMessage).toMatch(/scheduled/);
    expect(qbo.calls).toHaveLength(0);
  });

  it('creates an issued invoice that posts at once, with exact total, PO in the custom field and our reference in the private note', async () => {
    const created = await finance.createInvoice(invoice(customerId), 'setup-81:invoice:2026-03');
    expect(created).toEqual({
      id: '130',
      number: '1001',
      url: 'https://app.sandbox.qbo.intuit.com/app/invoice?txnId=130',
      status: 'open',
      total: { amount: 125050, currency: 'USD' },
    });
    const stored = qbo.state.invoices.get('130');
    expect(stored?.CustomField).toEqual([
      { DefinitionId: '1', Name: 'P.O. Number', Type: 'StringType', StringValue: 'PO-4500012345' },
    ]);
    expect(stored?.PrivateNote).toBe('Revenue Handoff invoice ref: setup-81:2026-03');
    expect(stored?.SalesTermRef?.value).toBe('3');
    expect(await finance.findInvoiceByReference(customerId, 'setup-81:2026-03')).toEqual(created);
    expect(await finance.findInvoiceByReference(customerId, 'setup-81:2026-04')).toBeNull();
  });

  it('replays a retried create (same requestid) instead of posting a second invoice', async () => {
    const a = await finance.createInvoice(invoice(customerId), 'inv-key');
    const b = await finance.createInvoice(invoice(customerId), 'inv-key');
    expect(b).toEqual(a);
    expect(qbo.state.invoices.size).toBe(1);
    const posts = qbo.calls.filter((c) => c.route === 'POST invoice');
    expect(posts.map((c) => [c.requestId, c.replayed])).toEqual([
      ['inv-key', false],
      ['inv-key', true],
    ]);
  });

  it('sends a requestid on every write and minorversion on every call', async () => {
    await finance.createInvoice(
      invoice(customerId),
      'a-very-long-idempotency-key/with spaces and more than fifty characters!',
    );
    for (const call of qbo.calls) {
      expect(call.params.minorversion).toBe('75');
      if (call.method === 'POST') expect(call.requestId).toMatch(/^[A-Za-z0-9._:-]{1,50}$/);
    }
  });

  it('puts the PO into the invoice message when no custom field is configured', async () => {
    finance = setup({}, { poCustomField: undefined });
    customerId = (await finance.createCustomer(customer, 'c1')).id;
    const created = await finance.createInvoice(invoice(customerId, { memo: 'Thanks!' }), 'i');
    expect(qbo.state.invoices.get(created.id)?.CustomerMemo).toEqual({ value: 'PO: PO-4500012345\nThanks!' });
  });

  it('keeps the vendor message of a validation error (non-US company without tax codes), and succeeds with one', async () => {
    finance = setup({ country: 'GB', homeCurrency: 'GBP' });
    customerId = (await finance.createCustomer({ ...customer, currency: 'GBP' }, 'c1')).id;
    const lines = [
      { description: 'Retainer', quantity: 1, unitAmount: money(1000, 'GBP'), amount: money(1000, 'GBP') },
    ];
    const e = await finance
      .createInvoice(invoice(customerId, { currency: 'GBP', lines }), 'i1')
      .catch((x: unknown) => x);
    expect((e as FinanceError).kind).toBe('validation');
    expect((e as FinanceError).vendorMessage).toMatch(/GST\/VAT rate/);

    const taxed = lines.map((l) => ({ ...l, tax: { code: '6', ratePercent: 0, inclusive: false } }));
    await expect(
      finance.createInvoice(invoice(customerId, { currency: 'GBP', lines: taxed }), 'i1'),
    ).resolves.toMatchObject({ total: { amount: 1000, currency: 'GBP' } });
  });

  it('a non-US (UK) company: the right tax code on each line, tax per rate over the invoice, total with tax', async () => {
    finance = setup({ country: 'GB', homeCurrency: 'GBP', companyName: 'Brixton Analytics Ltd' });
    const setupRead = await finance.taxSetup?.();
    expect(setupRead).toMatchObject({ mode: 'codes', country: 'GB', rounding: 'per_invoice', mixedInclusive: false });
    expect(setupRead?.codes.map((c) => [c.code, c.name, c.ratePercent])).toEqual([
      ['2', '20.0% S', 20],
      ['4', '5.0% R', 5],
      ['6', '0.0% Z', 0],
      ['8', 'Exempt', 0],
    ]);
    customerId = (await finance.createCustomer({ ...customer, currency: 'GBP' }, 'c1')).id;
    const vat = { code: '20.0% S', ratePercent: 20, inclusive: false };
    const reduced = { code: '4', ratePercent: 5, inclusive: false };
    const gbp = (n: number) => money(n, 'GBP');
    const lines = [
      { description: 'Platform', quantity: 1, unitAmount: gbp(1_03), amount: gbp(1_03), tax: vat },
      { description: 'Seats', quantity: 1, unitAmount: gbp(1_03), amount: gbp(1_03), tax: vat },
      { description: 'Training books', quantity: 1, unitAmount: gbp(50_00), amount: gbp(50_00), tax: reduced },
    ];
    const created = await finance.createInvoice(invoice(customerId, { currency: 'GBP', lines }), 'uk-1');
    const stored = qbo.state.invoices.get(created.id);
    const sales = stored?.Line.filter((l) => l.DetailType === 'SalesItemLineDetail') ?? [];
    expect(
      sales.map((l) => (l.DetailType === 'SalesItemLineDetail' ? l.SalesItemLineDetail.TaxCodeRef?.value : null)),
    ).toEqual(['2', '2', '4']);
    expect(stored?.GlobalTaxCalculation).toBe('TaxExcluded');
    // 20% of £2.06 = £0.41 (once over the invoice, not 2 × £0.21), 5% of £50 = £2.50.
    expect(stored?.TxnTaxDetail?.TotalTax).toBe(2.91);
    expect(stored?.TxnTaxDetail?.TaxLine?.map((t) => [t.TaxLineDetail.TaxRateRef.value, t.Amount])).toEqual([
      ['3', 0.41],
      ['5', 2.5],
    ]);
    expect(created.total).toEqual(gbp(52_06 + 2_91));
  });

  it('refuses an unknown tax code before writing anything, naming the code and the nearest valid ones', async () => {
    finance = setup({ country: 'GB', homeCurrency: 'GBP' });
    customerId = (await finance.createCustomer({ ...customer, currency: 'GBP' }, 'c1')).id;
    const before = qbo.calls.filter((c) => c.method === 'POST').length;
    const lines = [
      {
        description: 'Platform',
        quantity: 1,
        unitAmount: money(100, 'GBP'),
        amount: money(100, 'GBP'),
        tax: { code: 'VAT', ratePercent: 20, inclusive: false },
      },
    ];
    const e = (await finance
      .createInvoice(invoice(customerId, { currency: 'GBP', lines }), 'uk-bad')
      .catch((x: unknown) => x)) as FinanceError;
    expect(e.kind).toBe('validation');
    expect(e.vendorMessage).toMatch(/"VAT" does not exist.*20\.0% S/);
    expect(qbo.calls.filter((c) => c.method === 'POST').length).toBe(before);
    expect(qbo.state.invoices.size).toBe(0);
  });

  it('a US company with automated sales tax: TAX / NON per line, tax at the rate for the address', async () => {
    finance = setup({ automatedSalesTaxPercent: 8.875 });
    expect((await finance.taxSetup?.())?.mode).toBe('us_automated');
    customerId = (await finance.createCustomer(customer, 'c1')).id;
    const lines = [
      {
        description: 'Platform',
        quantity: 1,
        unitAmount: money(1000_00, 'USD'),
        amount: money(1000_00, 'USD'),
        tax: { code: 'TAX', ratePercent: 8.875, inclusive: false },
      },
      {
        description: 'Support',
        quantity: 1,
        unitAmount: money(100_00, 'USD'),
        amount: money(100_00, 'USD'),
        tax: { code: 'NON', ratePercent: 0, inclusive: false },
      },
    ];
    const created = await finance.createInvoice(invoice(customerId, { lines }), 'us-1');
    const stored = qbo.state.invoices.get(created.id);
    expect(stored?.GlobalTaxCalculation).toBeUndefined();
    expect(stored?.TxnTaxDetail?.TotalTax).toBe(88.75);
    expect(created.total).toEqual(money(1100_00 + 88_75, 'USD'));
  });

  it("refuses an invoice in another currency than the customer's, with QuickBooks' reason", async () => {
    const lines = [{ description: 'x', quantity: 1, unitAmount: money(1000, 'EUR'), amount: money(1000, 'EUR') }];
    await expect(finance.createInvoice(invoice(customerId, { currency: 'EUR', lines }), 'i')).rejects.toMatchObject({
      kind: 'validation',
      vendorMessage: expect.stringMatching(/must match the customer's currency/),
    });
  });

  it('sums awkward decimals exactly', async () => {
    const lines = [
      { description: 'a', quantity: 1, unitAmount: money(10, 'USD'), amount: money(10, 'USD') },
      { description: 'b', quantity: 1, unitAmount: money(20, 'USD'), amount: money(20, 'USD') },
      { description: 'c', quantity: 3, unitAmount: money(3333, 'USD'), amount: money(9999, 'USD') },
    ];
    const created = await finance.createInvoice(invoice(customerId, { lines }), 'i');
    expect(created.total).toEqual({ amount: 10029, currency: 'USD' });
    expect(qbo.state.invoices.get(created.id)?.TotalAmt).toBe(100.29);
  });
});

describe('QuickBooks adapter: listing invoices', () => {
  let finance: FinanceSystem;
  let a: string;
  let b: string;
  beforeEach(async () => {
    finance = setup();
    a = (await finance.createCustomer(customer, 'ca')).id;
    b = (
      await finance.createCustomer(
        { ...customer, legalName: 'Globex', email: 'ap@globex.example', externalRef: 'hs-company-2' },
        'cb',
      )
    ).id;
  });

  it("lists one customer's invoices with statuses, amounts due and payments", async () => {
    const i1 = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    const i2 = await finance.createInvoice(invoice(a, { reference: 'r2' }), 'i2');
    const i3 = await finance.createInvoice(invoice(a, { reference: 'r3' }), 'i3');
    await finance.createInvoice(invoice(b, { reference: 'r4' }), 'i4');
    qbo.pay(i1.id, { amount: 1000, on: '2026-03-10' });
    qbo.pay(i2.id, { on: '2026-03-15' });
    qbo.void(i3.id);

    const list = await finance.listInvoices({ customerId: a });
    expect(list.map((s) => [s.id, s.status, s.amountDue.amount])).toEqual([
      [i1.id, 'open', 25050],
      [i2.id, 'paid', 0],
      [i3.id, 'void', 0],
    ]);
    expect(list[0]?.payments).toEqual([{ on: '2026-03-10', amount: { amount: 100000, currency: 'USD' } }]);
    expect(list[1]?.paidOn).toBe('2026-03-15');
    for (const s of list) expect(InvoiceSnapshotSchema.safeParse(s).success).toBe(true);
    // the voided invoice is still found by its reference, as void
    expect(await finance.findInvoiceByReference(a, 'r3')).toMatchObject({ id: i3.id, status: 'void' });
  });

  it('reads each invoice’s PO custom field and sales lines; a PO and a line edited by hand read back changed', async () => {
    const i1 = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    let [snap] = await finance.listInvoices({ customerId: a });
    expect(snap).toMatchObject({
      poNumber: 'PO-4500012345',
      lines: [
        { description: 'Retainer', quantity: 1, unitAmount: money(100000, 'USD'), amount: money(100000, 'USD') },
        { description: 'Hours', quantity: 3, unitAmount: money(8350, 'USD'), amount: money(25050, 'USD') },
      ],
    });
    qbo.editInvoice(i1.id, {
      customField: { definitionId: '1', value: 'PO-4500012399' },
      line: { index: 2, qty: 2, unitPrice: 90 },
    });
    [snap] = await finance.listInvoices({ customerId: a });
    expect(snap?.poNumber).toBe('PO-4500012399');
    expect(snap?.lines?.[1]).toEqual({
      description: 'Hours',
      quantity: 2,
      unitAmount: money(9000, 'USD'),
      amount: money(18000, 'USD'),
    });
    // Amount, total and balance are worked out again, as QuickBooks does.
    expect(snap).toMatchObject({ total: money(118000, 'USD'), amountDue: money(118000, 'USD') });
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('lists what changed since a time through CDC, across customers', async () => {
    const i1 = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    await finance.createInvoice(invoice(b, { reference: 'r2' }), 'i2');
    clock = new Date('2026-03-22T10:00:00Z');
    const since = new Date('2026-03-22T09:00:00Z');
    qbo.pay(i1.id, { on: '2026-03-22' });
    qbo.calls.length = 0;
    const changed = await finance.listInvoices({ changedSince: since });
    expect(changed.map((s) => [s.id, s.status, s.paidOn])).toEqual([[i1.id, 'paid', '2026-03-22']]);
    expect(routes()).toEqual(['GET cdc']);
    expect(qbo.calls[0]?.params).toMatchObject({ entities: 'Invoice,Payment', changedSince: since.toISOString() });
  });

  it('uses paged queries for a sweep older than the 30 days CDC covers', async () => {
    await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    qbo.calls.length = 0;
    const all = await finance.listInvoices({ changedSince: new Date('2026-01-01T00:00:00Z') });
    expect(all).toHaveLength(1);
    expect(routes()).toEqual(['GET query', 'GET query']);
    expect(qbo.calls[0]?.params.query).toContain("MetaData.LastUpdatedTime >= '2026-01-01T00:00:00.000Z'");
  });

  it('pages through more than 1000 invoices', async () => {
    finance = setup({ limits: { requestsPerMinute: 5000 } });
    a = (await finance.createCustomer(customer, 'ca')).id;
    for (let i = 0; i < 1005; i++) await finance.createInvoice(invoice(a, { reference: `r${i}` }), `k${i}`);
    const list = await finance.listInvoices({ customerId: a });
    expect(list).toHaveLength(1005);
    expect(new Set(list.map((s) => s.id)).size).toBe(1005);
  }, 30_000);
});

describe('QuickBooks adapter: bad-debt write-offs (credit memo on a "Bad debt" item, applied by Receive Payment)', () => {
  let finance: FinanceSystem;
  let a: string;
  beforeEach(async () => {
    finance = setup();
    a = (await finance.createCustomer(customer, 'ca')).id;
  });
  const byId = async (id: string) => (await finance.listInvoices({ customerId: a })).find((s) => s.id === id);
  const queries = () => qbo.calls.filter((c) => c.route === 'GET query').map((c) => c.params.query ?? '');

  it('an invoice written off reads written_off with nothing due, and the write-off is not a payment', async () => {
    const inv = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    qbo.pay(inv.id, { amount: 200, on: '2026-03-10' });
    qbo.writeOff(inv.id, { on: '2026-03-20' });
    const snap = await byId(inv.id);
    expect(snap).toMatchObject({ status: 'written_off', amountDue: money(0, 'USD'), total: money(125050, 'USD') });
    expect(snap?.paidOn).toBeUndefined();
    // Only the real payment is in the customer's payment history.
    expect(snap?.payments).toEqual([{ on: '2026-03-10', amount: money(20000, 'USD') }]);
    expect(InvoiceSnapshotSchema.safeParse(snap).success).toBe(true);
  });

  it('a write-off of an invoice nobody paid has no payment history at all; any item named bad debt counts', async () => {
    const inv = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    qbo.writeOff(inv.id, { itemName: 'BAD DEBTS write-off', on: '2026-03-20' });
    const snap = await byId(inv.id);
    expect(snap?.status).toBe('written_off');
    expect(snap?.payments).toBeUndefined();
  });

  it('an ordinary credit memo (refund, price correction) still reads as paid by credit, as before', async () => {
    const inv = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    qbo.creditInvoice(inv.id, { itemName: 'Services', on: '2026-03-18' });
    const snap = await byId(inv.id);
    expect(snap).toMatchObject({ status: 'paid', paidOn: '2026-03-18', amountDue: money(0, 'USD') });
    expect(snap?.payments).toEqual([{ on: '2026-03-18', amount: money(125050, 'USD') }]);
  });

  it('a partial write-off leaves the invoice open with the rest due, and no payment for the written-off part', async () => {
    const inv = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    qbo.writeOff(inv.id, { amount: 250.5, on: '2026-03-20' });
    const snap = await byId(inv.id);
    expect(snap).toMatchObject({ status: 'open', amountDue: money(100000, 'USD') });
    expect(snap?.payments).toBeUndefined();
    // Paying the rest later makes it paid, with only that payment in its history.
    qbo.pay(inv.id, { on: '2026-03-25' });
    const later = await byId(inv.id);
    expect(later).toMatchObject({ status: 'paid', paidOn: '2026-03-25', amountDue: money(0, 'USD') });
    expect(later?.payments).toEqual([{ on: '2026-03-25', amount: money(100000, 'USD') }]);
  });

  it('reads credit memos with one query only when a payment applies one', async () => {
    const i1 = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    qbo.pay(i1.id, { on: '2026-03-10' });
    qbo.calls.length = 0;
    await finance.listInvoices({ customerId: a });
    expect(queries().some((q) => q.includes('CreditMemo'))).toBe(false);
    const i2 = await finance.createInvoice(invoice(a, { reference: 'r2' }), 'i2');
    const { creditMemo } = qbo.writeOff(i2.id);
    qbo.calls.length = 0;
    await finance.listInvoices({ customerId: a });
    // Only the memos the payments link, by id.
    expect(queries().filter((q) => q.includes('CreditMemo'))).toEqual([
      `select * from CreditMemo where Id IN ('${creditMemo.Id}') startposition 1 maxresults 1000`,
    ]);
  });

  it('an item named otherwise but booked to the Bad debts account writes off too; one on an income account does not', async () => {
    const i1 = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    const i2 = await finance.createInvoice(invoice(a, { reference: 'r2' }), 'i2');
    qbo.writeOff(i1.id, { itemName: 'Uncollectible', account: 'Bad debts', on: '2026-03-20' });
    qbo.creditInvoice(i2.id, { itemName: 'Goodwill credit', account: 'Discounts given', on: '2026-03-20' });
    qbo.calls.length = 0;
    const list = await finance.listInvoices({ customerId: a });
    expect(list.map((s) => [s.id, s.status])).toEqual([
      [i1.id, 'written_off'],
      [i2.id, 'paid'],
    ]);
    // The two items in one Item query (inactive ones too), their accounts in one Account query.
    const items = queries().filter((q) => /from (Item|Account)/.test(q));
    expect(items).toHaveLength(2);
    expect(items[0]).toMatch(/^select \* from Item where Id IN \('\d+', '\d+'\) and Active IN \(true, false\)/);
    expect(items[1]).toMatch(/^select \* from Account where Id IN \('\d+', '\d+'\) and Active IN \(true, false\)/);
    // Read once per adapter instance; items named bad debt are never looked up.
    qbo.calls.length = 0;
    const i3 = await finance.createInvoice(invoice(a, { reference: 'r3' }), 'i3');
    qbo.writeOff(i3.id);
    expect((await finance.listInvoices({ customerId: a })).find((s) => s.id === i3.id)?.status).toBe('written_off');
    expect(queries().filter((q) => /from (Item|Account)/.test(q))).toEqual([]);
  });

  it('a write-off item made inactive later still counts, and a fresh adapter reads it again', async () => {
    const inv = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    const { creditMemo } = qbo.writeOff(inv.id, { itemName: 'Uncollectible', account: 'Bad debts' });
    const line = creditMemo.Line.find((l) => l.DetailType === 'SalesItemLineDetail');
    const itemId = line?.DetailType === 'SalesItemLineDetail' ? line.SalesItemLineDetail.ItemRef.value : '';
    const item = qbo.state.items.get(itemId);
    if (item) item.Active = false;
    expect((await byId(inv.id))?.status).toBe('written_off');
    // The same item moved to an income account reads as an ordinary credit for an adapter that reads it anew.
    if (item) item.IncomeAccountRef = { value: '1', name: 'Services' };
    const fresh = createQuickBooksFinanceSystem({
      realmId: qbo.realmId,
      accessToken: async () => qbo.accessToken,
      baseUrl: BASE,
      now: () => clock,
    });
    expect((await fresh.listInvoices({ customerId: a })).find((s) => s.id === inv.id)?.status).toBe('paid');
  });

  it('a write-off seen through CDC reads written_off too', async () => {
    const inv = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    clock = new Date('2026-03-22T10:00:00Z');
    qbo.writeOff(inv.id, { on: '2026-03-22' });
    const changed = await finance.listInvoices({ changedSince: new Date('2026-03-22T09:00:00Z') });
    expect(changed.map((s) => [s.id, s.status])).toEqual([[inv.id, 'written_off']]);
  });

  it('a company-wide sweep reads the credit memos the payments link, of every customer, in one query by id', async () => {
    const b = (
      await finance.createCustomer(
        { ...customer, legalName: 'Globex', email: 'ap@globex.example', externalRef: 'hs-company-2' },
        'cb',
      )
    ).id;
    const i1 = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    const i2 = await finance.createInvoice(invoice(b, { reference: 'r2' }), 'i2');
    const off = qbo.writeOff(i1.id).creditMemo;
    const credit = qbo.creditInvoice(i2.id).creditMemo;
    qbo.calls.length = 0;
    const all = await finance.listInvoices({ changedSince: new Date('2026-01-01T00:00:00Z') });
    expect(all.map((s) => [s.id, s.status])).toEqual([
      [i1.id, 'written_off'],
      [i2.id, 'paid'],
    ]);
    expect(queries().filter((q) => q.includes('from CreditMemo'))).toEqual([
      `select * from CreditMemo where Id IN ('${off.Id}', '${credit.Id}') startposition 1 maxresults 1000`,
    ]);
  });

  it('an invoice written off earlier and changed again later stays written off through CDC (its payment read by id)', async () => {
    const inv = await finance.createInvoice(invoice(a, { reference: 'r1' }), 'i1');
    qbo.writeOff(inv.id, { on: '2026-03-21' });
    clock = new Date('2026-03-25T10:00:00Z');
    qbo.editInvoice(inv.id, { customerMemo: 'Written off, see credit memo' });
    qbo.calls.length = 0;
    const changed = await finance.listInvoices({ changedSince: new Date('2026-03-25T09:00:00Z') });
    expect(changed.map((s) => [s.id, s.status])).toEqual([[inv.id, 'written_off']]);
    expect(queries().filter((q) => q.includes('from Payment'))).toHaveLength(1);
  });
});

describe('QuickBooks adapter: errors', () => {
  it('maps 429 from the per-minute limit to rate_limited with the Retry-After it was given', async () => {
    const finance = setup({ limits: { requestsPerMinute: 4 } });
    await finance.findCustomer({ legalName: 'a' }); // DisplayName miss, then CompanyName: 2 requests each
    await finance.findCustomer({ legalName: 'b' });
    const e = await finance.findCustomer({ legalName: 'c' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FinanceError);
    expect((e as FinanceError).kind).toBe('rate_limited');
    expect((e as FinanceError).retryAfterMs).toBe(60_000);
    expect((e as FinanceError).retryable).toBe(true);
  });

  it('maps 429 from the concurrency limit to rate_limited', async () => {
    const finance = setup({ limits: { concurrentRequests: 2 }, latencyMs: 30 });
    const results = await Promise.allSettled([1, 2, 3].map((n) => finance.findCustomer({ id: String(n) })));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ kind: 'rate_limited' });
  });

  it('maps an expired token to auth', async () => {
    const finance = setup();
    qbo.expireAccessTokens();
    await expect(finance.findCustomer({ id: '1' })).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });

  it('maps a token getter failure to auth and a 503 to temporary', async () => {
    const noToken = setup({}, { accessToken: async () => Promise.reject(new Error('refresh token revoked')) });
    await expect(noToken.findCustomer({ id: '1' })).rejects.toMatchObject({ kind: 'auth', vendorMessage: /revoked/ });
    const finance = setup();
    qbo.injectFault({ status: 503, body: FAULTS.system });
    await expect(finance.findCustomer({ legalName: 'x' })).rejects.toMatchObject({ kind: 'temporary' });
  });

  it('reports an answer missing fields we rely on as unknown rather than reading undefined', async () => {
    const finance = setup();
    qbo.injectFault({ status: 200, body: { Customer: { Id: '1' }, time: 'x' } });
    await expect(finance.findCustomer({ id: '1' })).rejects.toMatchObject({
      kind: 'unknown',
      vendorMessage: /unexpected shape/,
    });
  });
});
