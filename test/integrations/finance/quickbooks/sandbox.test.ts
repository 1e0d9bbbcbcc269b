import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CUSTOMER_CREATE, INVOICE_CREATE } from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import { qboString } from '../../../../src/integrations/finance/quickbooks/query.js';
import {
  createQuickBooksSandbox,
  type QuickBooksSandbox,
  type QuickBooksSandboxOptions,
} from '../../../../src/integrations/finance/quickbooks/sandbox/index.js';
import { parseQuery } from '../../../../src/integrations/finance/quickbooks/sandbox/query-language.js';
import { createQuickBooksWebhookVerifier } from '../../../../src/integrations/finance/quickbooks/webhooks.js';
import { mockVendors } from '../../../support/msw.js';

const BASE = 'https://qbo.sandbox.test';
let qbo: QuickBooksSandbox;
let clock: Date;
const vendors = mockVendors({ [BASE]: (r) => qbo.handle(r) });
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());

function fresh(options: QuickBooksSandboxOptions = {}) {
  clock = new Date('2026-03-21T10:00:00Z');
  qbo = createQuickBooksSandbox({ now: () => clock, ...options });
  return qbo;
}

async function api(
  method: 'GET' | 'POST',
  path: string,
  opts: {
    params?: Record<string, string>;
    body?: unknown;
    token?: string | null;
    realm?: string;
    accept?: string;
  } = {},
) {
  const url = new URL(`${BASE}/v3/company/${opts.realm ?? qbo.realmId}/${path}`);
  for (const [k, v] of Object.entries(opts.params ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? qbo.accessToken}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // XML or empty
  }
  // biome-ignore lint/suspicious/noExplicitAny: these tests read raw vendor JSON by path; the contract test types it.
  return { status: res.status, headers: res.headers, body: body as Record<string, any> };
}

const query = (q: string) => api('GET', 'query', { params: { query: q } });
const customerBody = { ...CUSTOMER_CREATE };

describe('QuickBooks sandbox: access', () => {
  it('requires a Bearer token and answers 401 in the lower-case gateway shape', async () => {
    fresh();
    const none = await api('GET', 'customer/1', { token: null });
    expect(none.status).toBe(401);
    expect(none.body.fault.error[0].code).toBe('3200');
    expect((await api('GET', 'customer/1', { token: 'forged' })).status).toBe(401);
  });

  it('refuses a token for another company with 403', async () => {
    fresh();
    expect((await api('GET', 'query', { realm: '123', params: { query: 'select * from Term' } })).status).toBe(403);
  });

  it('answers XML unless asked for JSON, as QuickBooks does', async () => {
    fresh();
    const res = await api('GET', 'query', { params: { query: 'select * from Term' }, accept: '*/*' });
    expect(res.headers.get('content-type')).toBe('application/xml');
  });
});

describe('QuickBooks sandbox: limits', () => {
  it('allows 500 requests a minute per realm by default and answers the 501st with 429 and Retry-After', async () => {
    fresh();
    expect(qbo.limits).toEqual({ requestsPerMinute: 500, concurrentRequests: 10 });
    for (let i = 0; i < 500; i++) expect((await api('GET', 'term/1')).status).toBe(200);
    clock = new Date(clock.getTime() + 20_000);
    const over = await api('GET', 'term/1');
    expect(over.status).toBe(429);
    expect(over.body.Fault.Error[0].code).toBe('3001');
    expect(over.headers.get('retry-after')).toBe('40');
    clock = new Date(clock.getTime() + 40_000); // the window has slid past the first requests
    expect((await api('GET', 'term/1')).status).toBe(200);
  }, 30_000);

  it('allows 10 concurrent requests by default and throttles the 11th', async () => {
    fresh({ latencyMs: 40 });
    const statuses = await Promise.all(Array.from({ length: 11 }, () => api('GET', 'term/1').then((r) => r.status)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  });

  it('takes lower limits for tests', async () => {
    fresh({ limits: { requestsPerMinute: 1 } });
    expect((await api('GET', 'term/1')).status).toBe(200);
    expect((await api('GET', 'term/1')).status).toBe(429);
  });
});

describe('QuickBooks sandbox: writes', () => {
  it('replays a requestid with the first answer and never writes twice, even if the body changed', async () => {
    fresh();
    const first = await api('POST', 'customer', { params: { requestid: 'r1' }, body: customerBody });
    const second = await api('POST', 'customer', {
      params: { requestid: 'r1' },
      body: { ...customerBody, DisplayName: 'Other' },
    });
    expect(second.body).toEqual(first.body);
    expect(qbo.state.customers.size).toBe(1);
    expect(qbo.calls.map((c) => c.replayed)).toEqual([false, true]);
  });

  it('does not remember failed writes, so a corrected retry under the same requestid succeeds', async () => {
    fresh();
    qbo.addOtherName(customerBody.DisplayName);
    expect((await api('POST', 'customer', { params: { requestid: 'r1' }, body: customerBody })).status).toBe(400);
    qbo.state.otherNames.length = 0;
    expect((await api('POST', 'customer', { params: { requestid: 'r1' }, body: customerBody })).status).toBe(200);
  });

  it('keeps DisplayName unique across customers, vendors and employees, ignoring case', async () => {
    fresh();
    await api('POST', 'customer', { body: customerBody });
    const dup = await api('POST', 'customer', {
      body: { ...customerBody, DisplayName: customerBody.DisplayName.toUpperCase() },
    });
    expect(dup.status).toBe(400);
    expect(dup.body.Fault.Error[0]).toMatchObject({ code: '6240', Message: 'Duplicate Name Exists Error' });
    qbo.addOtherName('Acme Supplies');
    expect((await api('POST', 'customer', { body: { DisplayName: 'acme supplies' } })).body.Fault.Error[0].code).toBe(
      '6240',
    );
  });

  it('rejects properties QuickBooks does not know (2010) and missing ones (2020)', async () => {
    fresh();
    const unknown = await api('POST', 'customer', { body: { ...customerBody, ExternalId: 'x' } });
    expect(unknown.body.Fault.Error[0].code).toBe('2010');
    expect(unknown.body.Fault.Error[0].Detail).toContain('ExternalId');
    const missing = await api('POST', 'customer', { body: { CompanyName: 'x' } });
    expect(missing.body.Fault.Error[0].code).toBe('2020');
  });

  it('posts invoices on create: no draft state exists, a Status field is refused', async () => {
    fresh();
    await api('POST', 'customer', { body: customerBody });
    const draft = await api('POST', 'invoice', { body: { ...INVOICE_CREATE, Status: 'Draft' } });
    expect(draft.status).toBe(400);
    expect(draft.body.Fault.Error[0].Detail).toContain('Status');
    const posted = await api('POST', 'invoice', { body: INVOICE_CREATE });
    expect(posted.body.Invoice).toMatchObject({
      Id: '130',
      DocNumber: '1001',
      TotalAmt: 1250.5,
      Balance: 1250.5,
      EmailStatus: 'NotSet',
    });
    expect(posted.body.Invoice.Line.at(-1)).toEqual({
      Amount: 1250.5,
      DetailType: 'SubTotalLineDetail',
      SubTotalLineDetail: {},
    });
  });

  it('checks Amount = Qty × UnitPrice and sums decimals exactly', async () => {
    fresh();
    await api('POST', 'customer', { body: customerBody });
    const line = (Amount: number, Qty: number, UnitPrice: number) => ({
      Amount,
      DetailType: 'SalesItemLineDetail',
      SalesItemLineDetail: { ItemRef: { value: '1' }, Qty, UnitPrice },
    });
    const wrong = await api('POST', 'invoice', {
      body: { ...INVOICE_CREATE, CustomField: undefined, Line: [line(10, 3, 3.33)] },
    });
    expect(wrong.body.Fault.Error[0].code).toBe('6070');
    const ok = await api('POST', 'invoice', {
      body: {
        ...INVOICE_CREATE,
        CustomField: undefined,
        Line: [line(0.1, 1, 0.1), line(0.2, 1, 0.2), line(9.99, 3, 3.33)],
      },
    });
    expect(ok.body.Invoice.TotalAmt).toBe(10.29);
    const cents = await api('POST', 'invoice', {
      body: { ...INVOICE_CREATE, CustomField: undefined, Line: [line(0.001, 1, 0.001)] },
    });
    expect(cents.body.Fault.Error[0].Detail).toMatch(/more decimal places than USD/);
  });

  it('drops values for custom fields the company has not switched on', async () => {
    fresh({ salesCustomFields: [] });
    await api('POST', 'customer', { body: customerBody });
    const posted = await api('POST', 'invoice', { body: INVOICE_CREATE });
    expect(posted.body.Invoice.CustomField).toBeUndefined();
  });

  it('gives deterministic ids', async () => {
    fresh();
    const c = await api('POST', 'customer', { body: customerBody });
    const t = await api('POST', 'term', { body: { Name: 'Net 45', DueDays: 45 } });
    expect([c.body.Customer.Id, t.body.Term.Id]).toEqual(['58', '5']);
  });

  it('refuses a stale SyncToken with 5010', async () => {
    fresh();
    const c = (await api('POST', 'customer', { body: customerBody })).body.Customer;
    const update = { Id: c.Id, SyncToken: c.SyncToken, sparse: true, Notes: 'x' };
    expect((await api('POST', 'customer', { body: update })).status).toBe(200);
    expect((await api('POST', 'customer', { body: update })).body.Fault.Error[0].code).toBe('5010');
  });
});

describe('QuickBooks sandbox: query and CDC', () => {
  it('supports equality with escaped quotes, IN, paging and active-only by default', async () => {
    fresh();
    qbo.addCustomer({ DisplayName: "Amy's Bird Sanctuary", PrimaryEmailAddr: { Address: 'amy@x.example' } });
    qbo.addCustomer({ DisplayName: 'Bill\\Ben' });
    const inactive = qbo.addCustomer({ DisplayName: 'Gone Ltd' });
    const stored = qbo.state.customers.get(inactive.Id);
    if (stored) stored.Active = false;

    const amy = await query(`select * from Customer where DisplayName = ${qboString("amy's bird sanctuary")}`);
    expect(amy.body.QueryResponse.Customer.map((c: { DisplayName: string }) => c.DisplayName)).toEqual([
      "Amy's Bird Sanctuary",
    ]);
    const bill = await query(`select * from Customer where DisplayName = ${qboString('Bill\\Ben')}`);
    expect(bill.body.QueryResponse.Customer).toHaveLength(1);
    expect(
      (await query("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'amy@x.example'")).body.QueryResponse.Customer,
    ).toHaveLength(1);
    expect((await query('select * from Customer')).body.QueryResponse.Customer).toHaveLength(2);
    expect(
      (await query('select * from Customer where Active in (true, false)')).body.QueryResponse.Customer,
    ).toHaveLength(3);
    const page = await query('select * from Customer where Active in (true, false) startposition 2 maxresults 1');
    expect(page.body.QueryResponse).toMatchObject({ startPosition: 2, maxResults: 1 });
    expect((await query("select * from Customer where DisplayName = 'nobody'")).body.QueryResponse).toEqual({});
  });

  it('rejects fields that cannot be filtered and malformed queries', async () => {
    fresh();
    expect((await query("select * from Customer where Notes = 'x'")).body.Fault.Error[0].Detail).toMatch(
      /not queryable/,
    );
    expect((await query("select * from Customer where DisplayName = 'x")).body.Fault.Error[0].code).toBe('4000');
    expect((await query('select * from Customer maxresults 5000')).status).toBe(400);
  });

  it('returns the invoices and payments changed since a time, and refuses a look-back over 30 days', async () => {
    fresh();
    await api('POST', 'customer', { body: customerBody });
    const inv = (await api('POST', 'invoice', { body: INVOICE_CREATE })).body.Invoice;
    await api('POST', 'invoice', { body: INVOICE_CREATE });
    clock = new Date('2026-03-23T10:00:00Z');
    qbo.pay(inv.Id, { amount: 250.5 });
    const cdc = await api('GET', 'cdc', {
      params: { entities: 'Invoice,Payment', changedSince: '2026-03-22T00:00:00Z' },
    });
    const [invoices, payments] = cdc.body.CDCResponse[0].QueryResponse;
    expect(invoices.Invoice.map((i: { Id: string; Balance: number }) => [i.Id, i.Balance])).toEqual([[inv.Id, 1000]]);
    expect(payments.Payment).toHaveLength(1);
    const old = await api('GET', 'cdc', { params: { entities: 'Invoice', changedSince: '2026-01-01T00:00:00Z' } });
    expect(old.status).toBe(400);
  });
});

describe('QuickBooks sandbox: helpers and webhooks', () => {
  it('pays, ages and voids invoices and changes terms, emitting signed CloudEvents', async () => {
    fresh();
    const c = qbo.addCustomer({ DisplayName: 'Acme', CurrencyRef: { value: 'USD' } });
    const inv = (await api('POST', 'invoice', { body: { ...INVOICE_CREATE, CustomerRef: { value: c.Id } } })).body
      .Invoice;
    qbo.pay(inv.Id, { amount: 0.5, on: '2026-03-22' });
    expect(qbo.state.invoices.get(inv.Id)?.Balance).toBe(1250);
    expect(() => qbo.void(inv.Id)).toThrow(/payments applied/);
    const aged = qbo.age(inv.Id, 45);
    expect([aged.TxnDate, aged.DueDate]).toEqual(['2026-01-15', '2026-02-14']);
    const updated = qbo.setCustomerTerms(c.Id, 'eofm_20');
    expect(qbo.state.terms.get(updated.SalesTermRef?.value as string)?.DayOfMonthDue).toBe(20);
    qbo.pay(inv.Id);
    expect(qbo.state.invoices.get(inv.Id)?.Balance).toBe(0);

    const delivery = qbo.webhooks.takeDelivery();
    expect(delivery).not.toBeNull();
    const verifier = createQuickBooksWebhookVerifier(qbo.webhooks.verifierToken);
    const raw = Buffer.from(delivery?.body ?? '');
    expect(verifier.verify(delivery?.headers ?? {}, raw)).toBe(true);
    expect(verifier.parse(raw).map((e) => `${e.entity}.${e.action}`)).toEqual([
      'customer.created',
      'invoice.created',
      'payment.created',
      'invoice.updated',
      'invoice.updated',
      'customer.updated',
      'payment.created',
      'invoice.updated',
    ]);
    expect(qbo.webhooks.takeDelivery()).toBeNull();
  });

  it('voids as QuickBooks does: amounts zeroed, "Voided" before the private note', async () => {
    fresh();
    await api('POST', 'customer', { body: customerBody });
    const inv = (await api('POST', 'invoice', { body: INVOICE_CREATE })).body.Invoice;
    const voided = qbo.void(inv.Id);
    expect(voided).toMatchObject({
      TotalAmt: 0,
      Balance: 0,
      PrivateNote: 'Voided - Revenue Handoff invoice ref: setup-81:2026-03',
    });
    expect(voided.Line.every((l) => l.Amount === 0)).toBe(true);
  });
});

describe('QuickBooks sandbox: credit memos and write-offs', () => {
  it('items post to accounts of the chart; both are queryable, active rows only unless Active is asked for', async () => {
    fresh();
    const c = qbo.addCustomer({ DisplayName: 'Acme', CurrencyRef: { value: 'USD' } });
    const inv = (await api('POST', 'invoice', { body: { ...INVOICE_CREATE, CustomerRef: { value: c.Id } } })).body
      .Invoice;
    const { creditMemo } = qbo.writeOff(inv.Id, { itemName: 'Uncollectible', account: 'Bad debts', amount: 10 });
    const line = creditMemo.Line[0];
    const itemId = line?.DetailType === 'SalesItemLineDetail' ? line.SalesItemLineDetail.ItemRef.value : '';
    const items = (await query(`select * from Item where Id IN ('1', ${qboString(itemId)})`)).body.QueryResponse.Item;
    expect(
      items.map((i: { Name: string; IncomeAccountRef: { name: string } }) => [i.Name, i.IncomeAccountRef.name]),
    ).toEqual([
      ['Services', 'Services'],
      ['Uncollectible', 'Bad debts'],
    ]);
    const accounts = (await query("select * from Account where AccountType = 'Expense'")).body.QueryResponse.Account;
    expect(accounts).toEqual([expect.objectContaining({ Name: 'Bad debts', AccountSubType: 'BadDebts' })]);
    // A name that says bad debt posts to Bad debts by default; an account the chart lacks is refused by name.
    qbo.writeOff(inv.Id, { itemName: 'Bad debt', amount: 10 });
    expect([...qbo.state.items.values()].find((i) => i.Name === 'Bad debt')?.IncomeAccountRef?.name).toBe('Bad debts');
    expect(() => qbo.writeOff(inv.Id, { itemName: 'Lost', account: 'Write-offs' })).toThrow(
      /no account named "Write-offs" \(the chart has Services, Discounts given, Bad debts\)/,
    );
    // Made inactive, the item leaves the default answer but not one that asks for inactive rows too.
    const item = qbo.state.items.get(itemId);
    if (item) item.Active = false;
    expect((await query(`select * from Item where Id = ${qboString(itemId)}`)).body.QueryResponse.Item).toBeUndefined();
    expect(
      (await query(`select * from Item where Id = ${qboString(itemId)} and Active IN (true, false)`)).body.QueryResponse
        .Item,
    ).toHaveLength(1);
    expect((await query("select * from Item where IncomeAccountRef = '3'")).status).toBe(400);
    // As in QuickBooks, a sales form cannot use an inactive item.
    const onInactive = await api('POST', 'invoice', {
      body: {
        ...INVOICE_CREATE,
        CustomerRef: { value: c.Id },
        Line: INVOICE_CREATE.Line.map((l) => ({
          ...l,
          SalesItemLineDetail: { ...l.SalesItemLineDetail, ItemRef: { value: itemId } },
        })),
      },
    });
    expect(onInactive.status).toBe(400);
    expect(onInactive.body.Fault.Error[0]).toMatchObject({ code: '610', Detail: expect.stringContaining('inactive') });
  });

  it('writes off as people do: a credit memo on a "Bad debt" item, applied by a payment of 0 linking both', async () => {
    fresh();
    const c = qbo.addCustomer({ DisplayName: 'Acme', CurrencyRef: { value: 'USD' } });
    const inv = (await api('POST', 'invoice', { body: { ...INVOICE_CREATE, CustomerRef: { value: c.Id } } })).body
      .Invoice;
    qbo.webhooks.takeDelivery();
    qbo.pay(inv.Id, { amount: 250.5, on: '2026-03-22' });
    const { creditMemo, payment } = qbo.writeOff(inv.Id, { on: '2026-06-30' });
    expect(creditMemo).toMatchObject({
      TxnDate: '2026-06-30',
      CustomerRef: { value: c.Id },
      TotalAmt: 1000,
      Balance: 0,
      RemainingCredit: 0,
      Line: [
        { Amount: 1000, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { name: 'Bad debt' } } },
        { Amount: 1000, DetailType: 'SubTotalLineDetail' },
      ],
    });
    expect(payment).toMatchObject({
      TotalAmt: 0,
      Line: [
        { Amount: 1000, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] },
        { Amount: 1000, LinkedTxn: [{ TxnId: creditMemo.Id, TxnType: 'CreditMemo' }] },
      ],
    });
    expect(qbo.state.invoices.get(inv.Id)?.Balance).toBe(0);
    expect(qbo.state.customers.get(c.Id)?.Balance).toBe(0);
    // The "Bad debt" item is created once and reused.
    const again = await api('POST', 'invoice', { body: { ...INVOICE_CREATE, CustomerRef: { value: c.Id } } });
    const second = qbo.writeOff(again.body.Invoice.Id, { amount: 10 });
    const itemOf = (m: typeof creditMemo) =>
      m.Line.flatMap((l) => (l.DetailType === 'SalesItemLineDetail' ? [l.SalesItemLineDetail.ItemRef] : []));
    expect(itemOf(second.creditMemo)).toEqual(itemOf(creditMemo));
    expect(qbo.state.items.size).toBe(3);
    expect(() => qbo.writeOff(inv.Id)).toThrow(/balance 0/);

    const found = await query(`select * from CreditMemo where CustomerRef = ${qboString(c.Id)}`);
    expect(found.body.QueryResponse.CreditMemo.map((m: { Id: string }) => m.Id)).toEqual([
      creditMemo.Id,
      second.creditMemo.Id,
    ]);
    expect((await api('GET', `creditmemo/${creditMemo.Id}`)).body.CreditMemo).toEqual(creditMemo);

    const verifier = createQuickBooksWebhookVerifier(qbo.webhooks.verifierToken);
    const raw = Buffer.from(qbo.webhooks.takeDelivery()?.body ?? '');
    expect(
      verifier
        .parse(raw)
        .map((e) => `${e.entity}.${e.action}`)
        .slice(0, 5),
    ).toEqual([
      'payment.created',
      'invoice.updated',
      'credit_note.created', // the credit memo (qbo.creditmemo.created.v1)
      'payment.created',
      'invoice.updated',
    ]);
  });

  it('credits an invoice with an ordinary item the same way (a refund or price correction)', async () => {
    fresh();
    const c = qbo.addCustomer({ DisplayName: 'Acme', CurrencyRef: { value: 'USD' } });
    const inv = (await api('POST', 'invoice', { body: { ...INVOICE_CREATE, CustomerRef: { value: c.Id } } })).body
      .Invoice;
    const { creditMemo } = qbo.creditInvoice(inv.Id, { amount: 50 });
    expect(creditMemo.Line[0]).toMatchObject({ SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' } } });
    expect(qbo.state.invoices.get(inv.Id)?.Balance).toBe(1200.5);
  });
});

describe('sandbox query language', () => {
  it('reads what qboString writes', () => {
    for (const s of ["O'Brien", 'a\\b', "\\'", '']) {
      expect(parseQuery(`select * from Customer where DisplayName = ${qboString(s)}`).where[0]?.value).toBe(s);
    }
  });
});
