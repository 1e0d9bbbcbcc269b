import { describe, expect, it } from '@jest/globals';
import { createStripeFinanceSystem } from '../../../../src/integrations/finance/stripe/adapter.js';
import { stripeFromKey } from '../../../../src/integrations/finance/stripe/client.js';
import { decodeStripeForm } from '../../../../src/integrations/finance/stripe/sandbox/form.js';
import { createStripeSandbox } from '../../../../src/integrations/finance/stripe/sandbox/index.js';
import { compileCustomerSearch, SearchQueryError } from '../../../../src/integrations/finance/stripe/sandbox/search.js';
import { serveSandbox } from '../../../../src/integrations/sandbox/transport.js';

function post(sandbox: ReturnType<typeof createStripeSandbox>, path: string, body: string, key?: string) {
  return sandbox.handle(
    new Request(`https://api.stripe.com${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sandbox.apiKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body,
    }),
  );
}

describe('Stripe sandbox', () => {
  it('decodes Stripe’s bracketed form parameters into nested objects and arrays', () => {
    expect(
      decodeStripeForm(
        'metadata[rh_reference]=rh-1&custom_fields[0][name]=PO%20number&custom_fields[0][value]=PO-1&created[gte]=10&expand[]=a&expand[]=b&amount=5',
      ),
    ).toEqual({
      metadata: { rh_reference: 'rh-1' },
      custom_fields: [{ name: 'PO number', value: 'PO-1' }],
      created: { gte: '10' },
      expand: ['a', 'b'],
      amount: '5',
    });
  });

  it('search: exact match, case-insensitive on text fields, case-sensitive on metadata, AND, escaped quotes', () => {
    const c = { email: 'AP@acme.test', name: "O'Brien", metadata: { rh_external_ref: 'hs-1' } };
    expect(compileCustomerSearch("email:'ap@acme.test'")(c)).toBe(true);
    expect(compileCustomerSearch("name:'o\\'brien' AND metadata['rh_external_ref']:'hs-1'")(c)).toBe(true);
    expect(compileCustomerSearch("metadata['rh_external_ref']:'HS-1'")(c)).toBe(false);
    expect(compileCustomerSearch('name:"O\'Brien"')(c)).toBe(true);
    expect(() => compileCustomerSearch("email~'ap'")).toThrow(SearchQueryError);
    expect(() => compileCustomerSearch("email:'a' OR name:'b'")).toThrow(/AND only/);
  });

  it('refuses a parameter Stripe does not know, in Stripe’s words', async () => {
    const sandbox = createStripeSandbox();
    const res = await post(sandbox, '/v1/customers', 'name=Acme&nmae=typo');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        param: 'nmae',
        message: 'Received unknown parameter: nmae',
      },
    });
  });

  it('idempotency: replay marked Idempotent-Replayed, 409 while the first is still running, forgotten after 24 h', async () => {
    let clock = new Date('2026-03-02T09:00:00Z');
    const sandbox = createStripeSandbox({ now: () => clock, latencyMs: 20 });
    const [a, b] = await Promise.all([
      post(sandbox, '/v1/customers', 'name=Acme', 'k'),
      post(sandbox, '/v1/customers', 'name=Acme', 'k'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const replay = await post(sandbox, '/v1/customers', 'name=Acme', 'k');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(sandbox.state.customers.size).toBe(1);
    clock = new Date('2026-03-03T09:00:00Z');
    await post(sandbox, '/v1/customers', 'name=Acme', 'k');
    expect(sandbox.state.customers.size).toBe(2);
  });

  it('numbers invoices on finalisation per customer prefix and refuses items on a finalised invoice', async () => {
    const sandbox = createStripeSandbox();
    const cus = sandbox.addCustomer({ name: 'Acme' });
    const inv = (await (
      await post(sandbox, '/v1/invoices', `customer=${cus}&collection_method=send_invoice&days_until_due=30`)
    ).json()) as { id: string };
    await post(sandbox, '/v1/invoiceitems', `customer=${cus}&invoice=${inv.id}&amount=1234`);
    const fin = (await (await post(sandbox, `/v1/invoices/${inv.id}/finalize`, '')).json()) as Record<string, unknown>;
    const prefix = sandbox.state.customers.get(cus)?.invoice_prefix;
    expect(fin).toMatchObject({ status: 'open', number: `${prefix}-0001`, total: 1234, amount_remaining: 1234 });
    const late = await post(sandbox, '/v1/invoiceitems', `customer=${cus}&invoice=${inv.id}&amount=1`);
    expect(await late.json()).toMatchObject({ error: { code: 'invoice_not_editable' } });
  });

  it('reaches the demo’s loopback sandbox through the SDK’s host/port/protocol settings', async () => {
    const sandbox = createStripeSandbox();
    const { url, close } = await serveSandbox(sandbox.handle);
    try {
      const stripe = createStripeFinanceSystem({ stripe: stripeFromKey(sandbox.apiKey, { baseUrl: url }) });
      const customer = await stripe.createCustomer(
        { legalName: 'Demo Co', currency: 'USD', paymentTerms: 'net_30', externalRef: 'hs-demo' },
        'demo-1',
      );
      expect(sandbox.state.customers.get(customer.id)?.name).toBe('Demo Co');
    } finally {
      await close();
    }
  });
});
