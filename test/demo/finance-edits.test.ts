import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { money } from '../../src/core/money.js';
import { financeEditsRouter, forwardQuickBooksWebhooks } from '../../src/demo/finance-edits.js';
import { createQuickBooksFinanceSystem } from '../../src/integrations/finance/quickbooks/adapter.js';
import { createQuickBooksSandbox } from '../../src/integrations/finance/quickbooks/sandbox/index.js';
import { createLogger } from '../../src/server/logger.js';
import { mockVendors } from '../support/msw.js';

const BASE = 'https://sandbox-quickbooks.api.intuit.com';
/** The sandbox the adapter in the invoice test talks to. */
let invoiceSandbox = createQuickBooksSandbox();
const vendors = mockVendors({ [BASE]: (r) => invoiceSandbox.handle(r) });
beforeAll(() => vendors.start());
afterAll(() => vendors.stop());

/** A fresh sandbox for the adapter to talk to, and the adapter. */
function sandboxAndAdapter(options: { poCustomField?: { definitionId: string } } = {}) {
  const qbo = createQuickBooksSandbox();
  invoiceSandbox = qbo;
  const finance = createQuickBooksFinanceSystem({
    realmId: qbo.realmId,
    accessToken: async () => qbo.accessToken,
    baseUrl: BASE,
    ...options,
  });
  return { qbo, finance };
}

describe('demo: editing a customer in the QuickBooks sandbox', () => {
  it('changes the terms as a person would in QuickBooks, and refuses terms we do not know, naming them', async () => {
    const qbo = createQuickBooksSandbox();
    const id = qbo.addCustomer({ DisplayName: 'Acme Ltd' }).Id;
    const app = express().use(financeEditsRouter(qbo));
    const listed = await request(app).get('/demo/quickbooks/customers');
    expect(listed.body).toEqual([{ id, name: 'Acme Ltd', terms: null }]);
    const changed = await request(app).post(`/demo/quickbooks/customers/${id}/terms`).send({ terms: 'net_45' });
    expect(changed.status).toBe(200);
    expect((await request(app).get('/demo/quickbooks/customers')).body[0].terms).toBe('Net 45');
    const refused = await request(app).post(`/demo/quickbooks/customers/${id}/terms`).send({ terms: 'net_999' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ path: 'terms', message: expect.stringContaining('"net_999" is not one of') });
    expect((await request(app).post('/demo/quickbooks/customers/nope/terms').send({ terms: 'net_30' })).status).toBe(
      404,
    );
  });

  it('edits an invoice’s PO number and a line as a person would in QuickBooks, naming a bad field', async () => {
    const { qbo, finance } = sandboxAndAdapter();
    const customerId = qbo.addCustomer({ DisplayName: 'Acme Ltd' }).Id;
    const created = await finance.createInvoice(
      {
        customerId,
        reference: 'setup-1:2026-03',
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        currency: 'USD',
        paymentTerms: 'net_30',
        poNumber: 'PO-1',
        status: 'issued',
        lines: [
          { description: 'Support', quantity: 1, unitAmount: money(500_00, 'USD'), amount: money(500_00, 'USD') },
        ],
      },
      'k1',
    );
    const app = express().use(financeEditsRouter(qbo));
    const listed = await request(app).get('/demo/quickbooks/invoices');
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: created.id,
        poNumber: 'PO-1',
        lines: [{ index: 1, description: 'Support', qty: 1, unitPrice: 500, amount: 500 }],
      }),
    ]);
    const edited = await request(app)
      .post(`/demo/quickbooks/invoices/${created.id}`)
      .send({ poNumber: 'PO-2', line: { index: 1, unitPrice: 450 } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ poNumber: 'PO-2', total: 450, lines: [{ unitPrice: 450, amount: 450 }] });
    // The adapter reads the edit back where we write the PO (the memo, with no PO custom field configured).
    const [snap] = await finance.listInvoices({ customerId });
    expect(snap).toMatchObject({ poNumber: 'PO-2', lines: [{ amount: money(450_00, 'USD') }] });
    const refused = await request(app)
      .post(`/demo/quickbooks/invoices/${created.id}`)
      .send({ line: { index: 0 } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ path: 'line.index', message: 'line.index must be 1 or more' });
    const noLine = await request(app)
      .post(`/demo/quickbooks/invoices/${created.id}`)
      .send({ line: { index: 9 } });
    expect(noLine.status).toBe(409);
    expect(noLine.body.message).toContain('has no line 9');
    expect((await request(app).post('/demo/quickbooks/invoices/nope').send({ poNumber: 'X' })).status).toBe(404);
  });

  it('writes a new PO number where the app reads it: the memo without a PO field, the configured field with one', async () => {
    for (const poCustomField of [undefined, { definitionId: '1' }]) {
      const { qbo, finance } = sandboxAndAdapter(poCustomField ? { poCustomField } : {});
      const customerId = qbo.addCustomer({ DisplayName: 'Acme Ltd' }).Id;
      // No PO at setup; QuickBooks answers with the company's sales custom fields all the same, empty.
      const created = await finance.createInvoice(
        {
          customerId,
          reference: 'setup-2:2026-03',
          issueDate: '2026-03-01',
          dueDate: '2026-03-31',
          currency: 'USD',
          paymentTerms: 'net_30',
          status: 'issued',
          lines: [
            { description: 'Support', quantity: 1, unitAmount: money(500_00, 'USD'), amount: money(500_00, 'USD') },
          ],
        },
        'k2',
      );
      const stored = qbo.state.invoices.get(created.id);
      if (stored) stored.CustomField = [{ DefinitionId: '1', Name: 'P.O. Number', Type: 'StringType' }];
      const app = express().use(financeEditsRouter(qbo, { poCustomField }));
      const edited = await request(app).post(`/demo/quickbooks/invoices/${created.id}`).send({ poNumber: 'PO-9' });
      expect(edited.body).toMatchObject({ poNumber: 'PO-9' });
      const [snap] = await finance.listInvoices({ customerId });
      expect(snap?.poNumber).toBe('PO-9');
    }
  });

  it('writes an invoice off as bad debt as a person would in QuickBooks; the app reads it written off', async () => {
    const { qbo, finance } = sandboxAndAdapter();
    const customerId = qbo.addCustomer({ DisplayName: 'Acme Ltd' }).Id;
    const draft = (reference: string) => ({
      customerId,
      reference,
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      currency: 'USD',
      paymentTerms: 'net_30' as const,
      status: 'issued' as const,
      lines: [{ description: 'Support', quantity: 1, unitAmount: money(500_00, 'USD'), amount: money(500_00, 'USD') }],
    });
    const first = await finance.createInvoice(draft('setup-3:2026-03'), 'k3');
    const second = await finance.createInvoice(draft('setup-3:2026-04'), 'k4');
    const app = express().use(financeEditsRouter(qbo));
    const whole = await request(app).post(`/demo/quickbooks/invoices/${first.id}/write-off`).send({});
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ id: first.id, balance: 0, creditMemoId: expect.any(String) });
    // An item named otherwise, posting to the Bad debts account, for part of the balance.
    const part = await request(app)
      .post(`/demo/quickbooks/invoices/${second.id}/write-off`)
      .send({ itemName: 'Uncollectible', account: 'Bad debts', amount: 200 });
    expect(part.body).toMatchObject({ balance: 300 });
    const byId = new Map((await finance.listInvoices({ customerId })).map((s) => [s.id, s]));
    expect(byId.get(first.id)).toMatchObject({ status: 'written_off', amountDue: money(0, 'USD') });
    expect(byId.get(second.id)).toMatchObject({ status: 'open', amountDue: money(300_00, 'USD') });
    // Bad input is named; nothing is written.
    const credits = qbo.state.creditMemos.size;
    for (const [body, path, message] of [
      [{ amount: -5 }, 'amount', 'amount must be more than zero'],
      [{ amount: 1000 }, 'amount', 'cannot credit 1000 on invoice'],
      [{ itemName: 'Lost', account: 'Write-offs' }, 'account', 'no account named "Write-offs"'],
      [{ colour: 'red' }, '', 'body'],
    ] as const) {
      const refused = await request(app).post(`/demo/quickbooks/invoices/${second.id}/write-off`).send(body);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.body).toMatchObject({ path, message: expect.stringContaining(message) });
    }
    const again = await request(app).post(`/demo/quickbooks/invoices/${first.id}/write-off`).send({});
    expect(again.body).toMatchObject({ path: 'id', message: expect.stringContaining('balance 0') });
    expect((await request(app).post('/demo/quickbooks/invoices/nope/write-off').send({})).status).toBe(404);
    expect(qbo.state.creditMemos.size).toBe(credits);
  });

  it('delivers the sandbox webhook, signed, to the app’s QuickBooks route', async () => {
    const qbo = createQuickBooksSandbox();
    const id = qbo.addCustomer({ DisplayName: 'Acme Ltd' }).Id;
    qbo.webhooks.takeDelivery();
    qbo.setCustomerTerms(id, 'net_45');
    const received: Array<{ signature: string | undefined; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ signature: req.headers['intuit-signature'] as string | undefined, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const stop = forwardQuickBooksWebhooks(qbo, `http://127.0.0.1:${port}`, createLogger('silent'), 20);
    try {
      const deadline = Date.now() + 5_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
      server.close();
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.signature).toBeTruthy();
    expect(received[0]?.body).toContain(id);
  });
});
