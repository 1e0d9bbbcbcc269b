import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { financeEditsRouter, forwardQuickBooksWebhooks } from '../../src/demo/finance-edits.js';
import { createQuickBooksSandbox } from '../../src/integrations/finance/quickbooks/sandbox/index.js';
import { createLogger } from '../../src/server/logger.js';

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
