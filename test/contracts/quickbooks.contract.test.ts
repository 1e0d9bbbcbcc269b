/**
 * QuickBooks contract: Intuit publishes no OpenAPI description, so the reference is our typed model of Intuit's
 * API reference (src/integrations/finance/quickbooks/types.ts, examples in fixtures.ts) and its zod mirror
 * (schemas.ts, whose drift from types.ts fails the type check). Here:
 * - every fixture parses with the strict mirror;
 * - a scenario drives the adapter through its whole surface against the sandbox, then every request body the
 *   adapter sent is parsed strictly (unknown keys rejected) and every answer the sandbox gave is parsed strictly
 *   too (required keys present, nothing the model does not know) — so neither side can drift from the model.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { money } from '../../src/core/money.js';
import { type CustomerDraft, FinanceError, type InvoiceDraft } from '../../src/integrations/finance/port.js';
import { createQuickBooksFinanceSystem } from '../../src/integrations/finance/quickbooks/adapter.js';
import { customerDraftToQuickBooks } from '../../src/integrations/finance/quickbooks/customer-draft-to-quickbooks.js';
import * as F from '../../src/integrations/finance/quickbooks/fixtures.js';
import { invoiceDraftToQuickBooks } from '../../src/integrations/finance/quickbooks/invoice-draft-to-quickbooks.js';
import { createQuickBooksOAuth } from '../../src/integrations/finance/quickbooks/oauth.js';
import { paymentTermsToQuickBooks } from '../../src/integrations/finance/quickbooks/payment-terms-to-quickbooks.js';
import { quickbooksTaxToTaxSetup } from '../../src/integrations/finance/quickbooks/quickbooks-tax-to-tax-setup.js';
import { createQuickBooksSandbox, type SandboxCall } from '../../src/integrations/finance/quickbooks/sandbox/index.js';
import { QBO_LENIENT, QBO_STRICT } from '../../src/integrations/finance/quickbooks/schemas.js';
import { mockVendors } from '../support/msw.js';

const S = QBO_STRICT;
const API = 'https://sandbox-quickbooks.api.intuit.com';
const client = {
  clientId: 'cid',
  clientSecret: 'secret',
  redirectUri: 'https://app.example/oauth/quickbooks/callback',
};

function expectParses(schema: z.ZodType, value: unknown, label: string) {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${label}: ${z.prettifyError(r.error)}\n${JSON.stringify(value).slice(0, 400)}`);
}

describe('QuickBooks contract: fixtures match the model', () => {
  const cases: Array<[string, z.ZodType, unknown]> = [
    ...F.DEFAULT_TERMS.map((t): [string, z.ZodType, unknown] => [`DEFAULT_TERMS ${t.Name}`, S.Term, t]),
    ['DATE_DRIVEN_TERM', S.Term, F.DATE_DRIVEN_TERM],
    ...F.UK_TAX_CODES.map((t): [string, z.ZodType, unknown] => [`UK_TAX_CODES ${t.Name}`, S.TaxCode, t]),
    ...F.UK_TAX_RATES.map((t): [string, z.ZodType, unknown] => [`UK_TAX_RATES ${t.Name}`, S.TaxRate, t]),
    ...F.US_TAX_CODES.map((t): [string, z.ZodType, unknown] => [`US_TAX_CODES ${t.Name}`, S.TaxCode, t]),
    ['CUSTOMER', S.Customer, F.CUSTOMER],
    ['HAND_MADE_CUSTOMER', S.Customer, F.HAND_MADE_CUSTOMER],
    ['CUSTOMER_CREATE', S.CustomerCreate, F.CUSTOMER_CREATE],
    ['INVOICE_CREATE', S.InvoiceCreate, F.INVOICE_CREATE],
    ['OPEN_INVOICE', S.Invoice, F.OPEN_INVOICE],
    ['PARTLY_PAID_INVOICE', S.Invoice, F.PARTLY_PAID_INVOICE],
    ['PAID_INVOICE', S.Invoice, F.PAID_INVOICE],
    ['VOIDED_INVOICE', S.Invoice, F.VOIDED_INVOICE],
    ['HAND_MADE_INVOICE', S.Invoice, F.HAND_MADE_INVOICE],
    ['OPEN_ESTIMATE', S.Estimate, F.OPEN_ESTIMATE],
    ['CLOSED_ESTIMATE', S.Estimate, F.CLOSED_ESTIMATE],
    ['PAYMENT', S.Payment, F.PAYMENT],
    ['SECOND_PAYMENT', S.Payment, F.SECOND_PAYMENT],
    ['BAD_DEBT_CREDIT_MEMO', S.CreditMemo, F.BAD_DEBT_CREDIT_MEMO],
    ['BAD_DEBT_ITEM', S.Item, F.BAD_DEBT_ITEM],
    ['BAD_DEBTS_ACCOUNT', S.Account, F.BAD_DEBTS_ACCOUNT],
    ['WRITE_OFF_PAYMENT', S.Payment, F.WRITE_OFF_PAYMENT],
    ['WRITTEN_OFF_INVOICE', S.Invoice, F.WRITTEN_OFF_INVOICE],
    ['CUSTOMER_QUERY_RESPONSE', S.QueryResponse, F.CUSTOMER_QUERY_RESPONSE],
    ['EMPTY_QUERY_RESPONSE', S.QueryResponse, F.EMPTY_QUERY_RESPONSE],
    ['CDC_RESPONSE', S.CdcResponse, F.CDC_RESPONSE],
    ...Object.entries(F.FAULTS).map(([k, v]): [string, z.ZodType, unknown] => [`FAULTS.${k}`, S.Fault, v]),
    ['AUTH_FAULT', S.GatewayFault, F.AUTH_FAULT],
    ['CLOUD_EVENT', S.CloudEvent, F.CLOUD_EVENT],
    ['LEGACY_WEBHOOK', S.LegacyWebhook, F.LEGACY_WEBHOOK],
    ['TOKEN_RESPONSE', S.TokenResponse, F.TOKEN_RESPONSE],
  ];
  it.each(cases)('%s parses strictly', (label, schema, value) => expectParses(schema, value, label));

  it('the strict mirror rejects unknown and missing keys; the lenient one tolerates extras but not gaps', () => {
    expect(S.InvoiceCreate.safeParse({ ...F.INVOICE_CREATE, Status: 'Draft' }).success).toBe(false);
    expect(S.CustomerCreate.safeParse({ ...F.CUSTOMER_CREATE, ExternalRef: 'x' }).success).toBe(false);
    const { TotalAmt: _total, ...noTotal } = F.OPEN_INVOICE;
    expect(S.Invoice.safeParse(noTotal).success).toBe(false);
    expect(QBO_LENIENT.Invoice.safeParse({ ...F.OPEN_INVOICE, AllowOnlinePayment: false }).success).toBe(true);
    expect(QBO_LENIENT.Invoice.safeParse(noTotal).success).toBe(false);
  });
});

describe('QuickBooks contract: mapper output is what QuickBooks accepts', () => {
  const customer: CustomerDraft = { legalName: 'Acme', currency: 'EUR', paymentTerms: 'net_30', externalRef: 'hs-1' };
  const invoice: InvoiceDraft = {
    customerId: '1',
    reference: 'r',
    issueDate: '2026-01-01',
    dueDate: '2026-01-31',
    currency: 'EUR',
    paymentTerms: 'net_30',
    status: 'issued',
    lines: [{ description: 'x', quantity: 1, unitAmount: money(100, 'EUR'), amount: money(100, 'EUR') }],
  };

  it('customer, invoice and term bodies parse strictly in their variants', () => {
    expectParses(S.CustomerCreate, customerDraftToQuickBooks(customer), 'minimal customer');
    expectParses(
      S.CustomerCreate,
      customerDraftToQuickBooks(
        {
          ...customer,
          email: 'a@b.c',
          apContactName: 'Cher',
          address: { line1: 'l', city: 'c', postalCode: 'p', country: 'FR' },
        },
        { salesTermRef: { value: '3' } },
      ),
      'full customer',
    );
    expectParses(S.InvoiceCreate, invoiceDraftToQuickBooks(invoice, { itemRef: { value: '1' } }), 'minimal invoice');
    expectParses(
      S.InvoiceCreate,
      invoiceDraftToQuickBooks(
        {
          ...invoice,
          poNumber: 'PO1',
          memo: 'm',
          lines: invoice.lines.map((l) => ({ ...l, tax: { code: '2', ratePercent: 20, inclusive: true } })),
        },
        {
          itemRef: { value: '1' },
          tax: quickbooksTaxToTaxSetup({ Country: 'GB' }, undefined, F.UK_TAX_CODES, F.UK_TAX_RATES),
          salesTermRef: { value: '3' },
          poCustomField: { definitionId: '2' },
        },
      ),
      'full invoice',
    );
    for (const code of ['due_on_receipt', 'net_1', 'net_365', 'eofm_1', 'eofm_31']) {
      expectParses(S.TermCreate, paymentTermsToQuickBooks(code), code);
    }
  });
});

describe('QuickBooks contract: every request the adapter sends and every answer the sandbox gives', () => {
  let clock = new Date('2026-03-21T10:00:00Z');
  const qbo = createQuickBooksSandbox({
    oauth: client,
    accessTokens: [],
    now: () => clock,
    limits: { requestsPerMinute: 80 },
  });
  const vendors = mockVendors({
    [API]: (r) => qbo.handle(r),
    'https://oauth.platform.intuit.com': (r) => qbo.handle(r),
  });
  beforeAll(() => vendors.start());
  afterAll(() => vendors.stop());

  async function scenario() {
    const oauth = createQuickBooksOAuth({ ...client, now: () => clock });
    const { code, realmId } = qbo.oauth.issueCode();
    const first = await oauth.exchangeCode(code, { realmId });
    await expect(oauth.exchangeCode(code, { realmId })).rejects.toBeInstanceOf(FinanceError); // code reuse
    let tokens = await oauth.refresh(first.refreshToken as string);
    const finance = createQuickBooksFinanceSystem({
      realmId,
      accessToken: async () => tokens.accessToken,
      baseUrl: API,
      poCustomField: { definitionId: '1', name: 'P.O. Number' },
      now: () => clock,
    });
    const draft: CustomerDraft = {
      legalName: "O'Brien & Sons Ltd",
      email: 'ap@obrien.example',
      apContactName: 'Aoife Byrne',
      address: { line1: '12 Harbour Road', city: 'San Francisco', region: 'CA', postalCode: '94107', country: 'US' },
      currency: 'USD',
      paymentTerms: 'net_45',
      externalRef: 'hs-company-4711',
    };
    qbo.addCustomer({
      DisplayName: 'Globex',
      CompanyName: 'Globex Corporation',
      PrimaryEmailAddr: { Address: 'billing@globex.example' },
    });
    await finance.findCustomer({
      id: '999',
      externalRef: draft.externalRef,
      email: draft.email,
      legalName: draft.legalName,
    });
    const created = await finance.createCustomer(draft, 'c1');
    await finance.createCustomer(draft, 'c1'); // replay
    await finance.createCustomer(draft, 'c2'); // 6240 → ours
    await finance.findCustomer({ id: created.id });
    await finance.findCustomer({ legalName: 'Globex Corporation' });
    await finance.updateCustomer(created.id, { ...draft, paymentTerms: 'eofm_20' }, 'u1');
    await finance.ensurePaymentTerms('net_30', 't1');
    const inv: InvoiceDraft = {
      customerId: created.id,
      reference: 'setup-81:2026-03',
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      currency: 'USD',
      paymentTerms: 'net_45',
      poNumber: 'PO-1',
      memo: 'Thanks',
      status: 'issued',
      lines: [
        {
          description: 'Retainer',
          quantity: 1,
          unitAmount: money(100000, 'USD'),
          amount: money(100000, 'USD'),
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
        },
        { description: 'Hours', quantity: 1.5, unitAmount: money(3333, 'USD'), amount: money(5000, 'USD') },
      ],
    };
    const i1 = await finance.createInvoice(inv, 'i1');
    await finance.createInvoice(inv, 'i1'); // replay
    const i2 = await finance.createInvoice({ ...inv, reference: 'setup-81:2026-04' }, 'i2');
    await expect(
      finance.createInvoice(
        {
          ...inv,
          currency: 'EUR',
          lines: [{ description: 'x', quantity: 1, unitAmount: money(1, 'EUR'), amount: money(1, 'EUR') }],
        },
        'i3',
      ),
    ).rejects.toMatchObject({ kind: 'validation' });
    // Estimates: shown ahead, found by reference, converted by an invoice, or deleted.
    const est = {
      customerId: created.id,
      reference: 'setup-81:2026-05',
      date: '2026-03-21',
      expirationDate: '2026-05-01',
      currency: 'USD',
      paymentTerms: 'net_45',
      poNumber: 'PO-1',
      lines: inv.lines,
    };
    const e1 = await finance.createEstimate?.(est, 'e1');
    await finance.createEstimate?.(est, 'e1'); // replay
    const e2 = await finance.createEstimate?.({ ...est, reference: 'setup-81:2026-06' }, 'e2');
    await finance.findEstimateByReference?.(created.id, 'setup-81:2026-05');
    const i4 = await finance.createInvoice(
      { ...inv, reference: 'setup-81:2026-05', issueDate: '2026-03-21', dueDate: '2026-05-05', estimateId: e1?.id },
      'i4',
    );
    await finance.deleteEstimate?.(e2?.id ?? '', 'd1');
    clock = new Date('2026-03-23T10:00:00Z');
    tokens = await oauth.refresh(tokens.refreshToken as string); // the hour-long access token has expired
    qbo.pay(i1.id, { amount: 500 });
    qbo.void(i2.id);
    qbo.writeOff(i4.id); // bad-debt credit memo applied by Receive Payment: the adapter then reads CreditMemos
    // …and on an item not named bad debt, the Item and its Account too.
    qbo.writeOff(i1.id, { itemName: 'Uncollectible', account: 'Bad debts', amount: 100 });
    await finance.findInvoiceByReference(created.id, 'setup-81:2026-03');
    await finance.listInvoices({ customerId: created.id });
    await finance.listInvoices({ changedSince: new Date('2026-03-22T00:00:00Z') });
    await finance.listInvoices({ changedSince: new Date('2026-01-01T00:00:00Z') });
    tokens = { ...tokens, accessToken: 'revoked' };
    await expect(finance.findCustomer({ id: created.id })).rejects.toMatchObject({ kind: 'auth' });
    tokens = await oauth.refresh(tokens.refreshToken as string);
    for (let i = 0; i < 100; i++) {
      const e = await finance.findCustomer({ id: created.id }).catch((x: unknown) => x);
      if (e instanceof FinanceError && e.kind === 'rate_limited') return;
    }
    throw new Error('the scenario expected to meet the rate limit');
  }

  function requestSchema(call: SandboxCall): z.ZodType | null {
    if (call.method !== 'POST') return null;
    if (call.route === 'POST oauth/token') {
      return z.union([
        z.strictObject({ grant_type: z.literal('authorization_code'), code: z.string(), redirect_uri: z.url() }),
        z.strictObject({ grant_type: z.literal('refresh_token'), refresh_token: z.string() }),
      ]);
    }
    if (call.path === 'customer') {
      return typeof call.body === 'object' && call.body !== null && 'Id' in call.body
        ? S.CustomerSparseUpdate
        : S.CustomerCreate;
    }
    if (call.path === 'term') return S.TermCreate;
    if (call.path === 'invoice') return S.InvoiceCreate;
    if (call.path === 'estimate') return call.params.operation === 'delete' ? S.DeleteRequest : S.EstimateCreate;
    throw new Error(`no request schema for ${call.route}`);
  }

  function responseSchema(call: SandboxCall): z.ZodType {
    if (call.route === 'POST oauth/token') return call.status === 200 ? S.TokenResponse : S.OAuthError;
    if (call.status === 401) return S.GatewayFault;
    if (call.status !== 200) return S.Fault;
    const byRoute: Record<string, z.ZodType> = {
      'GET customer/:id': S.CustomerResponse,
      'GET term/:id': S.TermResponse,
      'GET invoice/:id': S.InvoiceResponse,
      'GET payment/:id': S.PaymentResponse,
      'GET creditmemo/:id': z.strictObject({ CreditMemo: S.CreditMemo, time: z.string() }),
      'POST customer': S.CustomerResponse,
      'POST term': S.TermResponse,
      'POST invoice': S.InvoiceResponse,
      'GET estimate/:id': S.EstimateResponse,
      'POST estimate': S.EstimateResponse,
      'POST estimate?operation=delete': S.EstimateDeleteResponse,
      'GET query': S.QueryResponse,
      'GET cdc': S.CdcResponse,
    };
    const schema = byRoute[call.route];
    if (!schema) throw new Error(`no response schema for ${call.route}`);
    return schema;
  }

  it('runs the scenario', async () => {
    await scenario();
  });

  it('covers every route and every outcome the adapter meets', () => {
    const seen = new Set(qbo.calls.map((c) => `${c.route} ${c.status}${c.replayed ? ' replayed' : ''}`));
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'GET customer/:id 200',
        'GET customer/:id 400', // 610 object not found
        'GET query 200',
        'GET cdc 200',
        'POST customer 200',
        'POST customer 200 replayed',
        'POST customer 400', // 6240
        'POST term 200',
        'POST invoice 200',
        'POST invoice 200 replayed',
        'POST invoice 400',
        'POST estimate 200',
        'POST estimate 200 replayed',
        'GET estimate/:id 200',
        'POST estimate?operation=delete 200',
        'POST oauth/token 200',
        'POST oauth/token 400',
        'auth 401',
        'throttled 429',
      ]),
    );
  });

  it('reads the credit memos a payment applies with the query endpoint, and the sandbox answers them in full', () => {
    const memoQueries = qbo.calls.filter(
      (c) => c.route === 'GET query' && /from CreditMemo/.test(c.params.query ?? ''),
    );
    expect(memoQueries.length).toBeGreaterThan(0);
    for (const call of memoQueries) {
      expect((call.response as { QueryResponse: { CreditMemo?: unknown[] } }).QueryResponse.CreditMemo).toHaveLength(2);
    }
  });

  it('reads the item of a credit memo not named bad debt, and its account, and the sandbox answers them in full', () => {
    const answered = (entity: 'Item' | 'Account') =>
      qbo.calls
        .filter((c) => c.route === 'GET query' && new RegExp(`from ${entity} `).test(c.params.query ?? ''))
        .flatMap(
          (c) => (c.response as { QueryResponse: Record<string, unknown[] | undefined> }).QueryResponse[entity] ?? [],
        );
    expect(answered('Item')).toEqual([expect.objectContaining({ Name: 'Uncollectible', Type: 'NonInventory' })]);
    expect(answered('Account')).toEqual([expect.objectContaining({ Name: 'Bad debts', AccountSubType: 'BadDebts' })]);
  });

  it('every request body the adapter sent parses with the strict model (no unknown keys)', () => {
    const posts = qbo.calls.filter((c) => c.method === 'POST');
    expect(posts.length).toBeGreaterThan(10);
    for (const call of posts) {
      const schema = requestSchema(call);
      if (schema) expectParses(schema, call.body, `request ${call.route} #${qbo.calls.indexOf(call)}`);
    }
  });

  it('every answer the sandbox gave parses with the strict model (required keys present, nothing unmodelled)', () => {
    for (const call of qbo.calls) {
      expectParses(
        responseSchema(call),
        call.response,
        `response ${call.route} ${call.status} #${qbo.calls.indexOf(call)}`,
      );
    }
  });

  it('every webhook delivery the sandbox emitted parses with the strict model', () => {
    const delivery = qbo.webhooks.takeDelivery();
    expect(delivery).not.toBeNull();
    expectParses(S.CloudEventBatch, JSON.parse(delivery?.body ?? '[]'), 'webhook delivery');
  });
});
