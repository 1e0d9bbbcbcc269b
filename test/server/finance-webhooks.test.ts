import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import type { HandlerContext } from '../../serverless/handler.js';
import { connectStripe } from '../../src/app/finance-connections.js';
import { getPaymentStatus } from '../../src/app/payment-status.js';
import type { AppServices } from '../../src/app/services.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import type { ReceivablesRefreshJobData } from '../../src/jobs/finance-jobs.js';
import { refreshReceivables } from '../../src/jobs/receivables.js';
import { reconcilePortal, runReconciliation } from '../../src/jobs/reconciliation.js';
import { financeWebhooksRouter } from '../../src/server/finance-webhooks.js';
import { createLogger } from '../../src/server/logger.js';
import { storeInboundEvents } from '../../src/store/finance-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, openHarness, PORTAL } from '../support/finance-harness.js';

describe.each(testDatabases())('finance webhooks and receivables refresh on $name', ({ open }) => {
  let h: Harness;
  let app: express.Express;
  beforeAll(async () => {
    h = await openHarness(() => open());
    app = express().use(financeWebhooksRouter({ ...h.deps, box: h.box }));
  }, 60_000);
  afterAll(() => h.close());

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await h.db.query<{ n: string }>(sql, params))[0]?.n);
  const storedEvents = () => count('SELECT count(*) AS n FROM inbound_events');

  async function ctx(): Promise<HandlerContext<AppServices>> {
    return {
      portalId: PORTAL,
      user: { id: '3003', roles: ['finance'], teams: ['finance'] },
      now: h.clock.now,
      logger: createLogger('silent'),
      services: await h.runtime.services(PORTAL),
    };
  }

  function post(path: string, d: { body: string | Buffer; headers: Record<string, string> }) {
    return request(app)
      .post(path)
      .set(d.headers)
      .send(typeof d.body === 'string' ? d.body : d.body.toString('utf8'));
  }

  const refreshesSent = () => h.sent.filter((j) => j.queue === 'receivables-refresh');

  describe('QuickBooks', () => {
    let setup: Awaited<ReturnType<Harness['seedSetup']>>;
    let invoiceIds: string[];
    let customerId: string;

    beforeAll(async () => {
      h.resetVendors();
      await h.connect('quickbooks');
      setup = await h.seedSetup({ system: 'quickbooks', name: 'Receivable' });
      const outcome = await runBillingSetup(h.deps, {
        portalId: PORTAL,
        setupId: setup.setupId,
        handoffId: setup.handoffId,
      });
      if (outcome.status !== 'live') throw new Error(`setup did not go live: ${JSON.stringify(outcome)}`);
      customerId = outcome.customerId;
      invoiceIds = [...h.qbo.state.invoices.values()]
        .sort((a, b) => a.TxnDate.localeCompare(b.TxnDate))
        .map((i) => i.Id);
      h.qbo.webhooks.takeDelivery(); // what setup itself caused
      // The setup queued a first refresh; run it like the worker would.
      const first = refreshesSent().at(-1);
      expect(first?.data).toEqual({ portalId: PORTAL, system: 'quickbooks', customerId });
      expect(first?.singletonKey).toBe(`${PORTAL}:quickbooks:${customerId}`);
      await refreshReceivables(h.deps, first?.data as unknown as ReceivablesRefreshJobData);
    });

    it('wrote the receivables figures to the company after the first refresh', async () => {
      // 15 May: March's invoice is 45 days past due, April's 14, May's not yet due.
      expect(h.hubspot.get('companies', setup.companyId as string)?.properties).toMatchObject({
        rh_overdue_amount: '2000.00',
        rh_receivables_currency: 'USD',
        rh_days_past_due: '45',
        rh_oldest_due_date: '2026-03-31',
        rh_aging_current: '1000.00',
        rh_aging_days_1_30: '1000.00',
        rh_aging_days_31_60: '1000.00',
        rh_aging_days_61_90: '0.00',
        rh_aging_days_over_90: '0.00',
        rh_risk_level: 'high',
        rh_billing_status: 'live',
        rh_finance_customer_id: customerId,
      });
      const status = await getPaymentStatus(await ctx(), {
        objectType: 'company',
        objectId: setup.companyId as string,
      });
      expect(status.banner?.severity).toBe('danger');
      expect(status.openInvoices).toHaveLength(3);
    });

    it('refuses a bad signature with 401 and stores nothing', async () => {
      h.qbo.pay(invoiceIds[0] as string);
      const delivery = h.qbo.webhooks.takeDelivery();
      if (!delivery) throw new Error('the payment made no event');
      const before = h.sent.length;
      const res = await post('/webhooks/quickbooks', {
        body: delivery.body,
        headers: { ...delivery.headers, 'intuit-signature': 'bm90IHRoZSBzaWduYXR1cmU=' },
      });
      expect(res.status).toBe(401);
      expect(await storedEvents()).toBe(0);
      expect(h.sent.length).toBe(before);
      // Unsigned, too.
      const { 'intuit-signature': _, ...unsigned } = delivery.headers;
      expect((await post('/webhooks/quickbooks', { body: delivery.body, headers: unsigned })).status).toBe(401);
      expect(await storedEvents()).toBe(0);

      // The genuine delivery of that payment: stored once, the customer's refresh queued, then processed.
      const ok = await post('/webhooks/quickbooks', delivery);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ received: 2, stored: 2 });
      expect(refreshesSent().at(-1)?.data).toEqual({ portalId: PORTAL, system: 'quickbooks', customerId });
      // The payment event names no customer we know: a reconciliation of the portal is queued for it.
      expect(h.sent.filter((j) => j.queue === 'reconciliation').at(-1)?.data).toEqual({ portalId: PORTAL });
      expect(
        await count('SELECT count(*) AS n FROM inbound_events WHERE processed_at IS NOT NULL AND portal_id = $1', [
          PORTAL,
        ]),
      ).toBe(2);

      // Delivered three times in all: processed once.
      const sentAfterFirst = h.sent.length;
      for (let i = 0; i < 2; i++) {
        const again = await post('/webhooks/quickbooks', delivery);
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ received: 2, stored: 0 });
      }
      expect(await storedEvents()).toBe(2);
      expect(h.sent.length).toBe(sentAfterFirst);
    });

    it('changes the company properties and the payment status after one refresh job once an invoice is paid', async () => {
      await refreshReceivables(h.deps, refreshesSent().at(-1)?.data as unknown as ReceivablesRefreshJobData);
      expect(h.hubspot.get('companies', setup.companyId as string)?.properties).toMatchObject({
        rh_overdue_amount: '1000.00',
        rh_days_past_due: '14',
        rh_oldest_due_date: '2026-05-01',
        rh_aging_days_31_60: '0.00',
        rh_risk_level: 'medium',
      });
      const status = await getPaymentStatus(await ctx(), {
        objectType: 'company',
        objectId: setup.companyId as string,
      });
      expect(status.banner?.severity).toBe('warning');
      expect(status.openInvoices.map((i) => i.id)).not.toContain(invoiceIds[0]);
      expect(status.lastPayment).toMatchObject({ amount: { amount: 1_000_00, currency: 'USD' } });
      // The deal that went through setup carries the status too.
      expect(h.hubspot.get('deals', setup.dealId)?.properties.rh_billing_status).toBe('live');
    });

    it('follows an invoice aged in QuickBooks after its webhook and one refresh', async () => {
      h.qbo.age(invoiceIds[2] as string, 40); // May's invoice now dated 22 March, due 21 April
      const delivery = h.qbo.webhooks.takeDelivery();
      if (!delivery) throw new Error('aging made no event');
      const res = await post('/webhooks/quickbooks', delivery);
      expect(res.body).toEqual({ received: 1, stored: 1 });
      await refreshReceivables(h.deps, refreshesSent().at(-1)?.data as unknown as ReceivablesRefreshJobData);
      expect(h.hubspot.get('companies', setup.companyId as string)?.properties).toMatchObject({
        rh_overdue_amount: '2000.00',
        rh_days_past_due: '24',
        rh_oldest_due_date: '2026-04-21',
        rh_aging_current: '0.00',
        rh_aging_days_1_30: '2000.00',
      });
      const status = await getPaymentStatus(await ctx(), { objectType: 'deal', objectId: setup.dealId });
      expect(status.banner).toMatchObject({ severity: 'warning', daysPastDue: 24 });
    });

    it('reconciliation catches a change whose webhook never came', async () => {
      h.qbo.pay(invoiceIds[1] as string);
      h.qbo.webhooks.takeDelivery(); // lost
      h.sent.length = 0;
      const swept = await reconcilePortal(h.deps, PORTAL);
      expect(swept).toMatchObject({ system: 'quickbooks', customers: [customerId] });
      expect(refreshesSent().map((j) => j.data)).toEqual([{ portalId: PORTAL, system: 'quickbooks', customerId }]);
      const [row] = await h.db.query<{ reconciled_through: Date }>(
        `SELECT reconciled_through FROM finance_connections WHERE portal_id = $1 AND system = 'quickbooks'`,
        [PORTAL],
      );
      expect(row?.reconciled_through).not.toBeNull();
      await refreshReceivables(h.deps, refreshesSent()[0]?.data as unknown as ReceivablesRefreshJobData);
      expect(h.hubspot.get('companies', setup.companyId as string)?.properties).toMatchObject({
        rh_overdue_amount: '1000.00',
        rh_days_past_due: '24',
      });
    });
  });

  describe('Xero', () => {
    it('answers the intent-to-receive probe: 200 for the right signature, 401 for a wrong one, fast', async () => {
      h.resetVendors();
      const started = Date.now();
      const good = await post('/webhooks/xero', h.xero.webhooks.intentToReceive(true));
      const bad = await post('/webhooks/xero', h.xero.webhooks.intentToReceive(false));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(good.status).toBe(200);
      expect(bad.status).toBe(401);
    });

    it('refreshes the customer of an invoice event once, however often it is delivered', async () => {
      await h.connect('xero');
      const s = await h.seedSetup({ system: 'xero', name: 'Xero Receivable' });
      const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
      if (outcome.status !== 'live') throw new Error('Xero setup did not go live');
      h.xero.webhooks.flush();
      const [first] = [...([...h.xero.state.orgs.values()][0]?.invoices.values() ?? [])].sort((a, b) =>
        a.date.localeCompare(b.date),
      );
      h.xero.authoriseInvoice(first?.id as string);
      h.xero.payInvoice(first?.id as string);
      const delivery = h.xero.webhooks.flush();
      if (!delivery) throw new Error('no Xero event');
      h.sent.length = 0;
      for (let i = 0; i < 3; i++) expect((await post('/webhooks/xero', delivery)).status).toBe(200);
      expect(refreshesSent().map((j) => j.data)).toEqual([
        { portalId: PORTAL, system: 'xero', customerId: outcome.customerId },
      ]);
      const result = await refreshReceivables(h.deps, refreshesSent()[0]?.data as unknown as ReceivablesRefreshJobData);
      expect(result).toEqual({ invoices: 12, companyId: s.companyId });
      const status = await getPaymentStatus(await ctx(), { objectType: 'company', objectId: s.companyId as string });
      expect(status.lastPayment).toMatchObject({ amount: { amount: 1_000_00 } });

      // A draft deleted in Xero shows as void after the next refresh.
      const drafts = [...([...h.xero.state.orgs.values()][0]?.invoices.values() ?? [])].filter(
        (i) => i.status === 'DRAFT',
      );
      h.xero.voidInvoice(drafts[0]?.id as string);
      await refreshReceivables(h.deps, refreshesSent()[0]?.data as unknown as ReceivablesRefreshJobData);
      const [deleted] = await h.db.query<{ status: string }>(
        'SELECT status FROM invoice_snapshots WHERE portal_id = $1 AND invoice_id = $2',
        [PORTAL, drafts[0]?.id],
      );
      expect(deleted?.status).toBe('void');
    });
  });

  describe('Stripe', () => {
    it('accepts deliveries signed with a connection’s own secret on its own endpoint, and refuses others', async () => {
      h.resetVendors();
      const connected = await connectStripe(
        await ctx(),
        { secretKey: h.stripe.apiKey, webhookSecret: 'whsec_connectionsecret' },
        { box: h.box, publicBaseUrl: 'https://rh.test' },
      );
      expect(connected.webhookUrl).toMatch(/^https:\/\/rh\.test\/webhooks\/stripe\/[0-9a-f-]{36}$/);
      const path = new URL(connected.webhookUrl).pathname;
      const s = await h.seedSetup({ system: 'stripe', name: 'Stripe Receivable' });
      const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
      if (outcome.status !== 'live') throw new Error('Stripe setup did not go live');
      const events = h.stripe.webhooks.flush();
      const invoiceEvent = events.find((d) => d.event.type === 'invoice.created');
      if (!invoiceEvent) throw new Error('no invoice event');

      const wrong = h.stripe.webhooks.deliver(invoiceEvent.event, { secret: 'whsec_someoneelse' });
      expect((await post(path, wrong)).status).toBe(401);
      const right = h.stripe.webhooks.deliver(invoiceEvent.event, { secret: 'whsec_connectionsecret' });
      h.sent.length = 0;
      const res = await post(path, right);
      expect(res.status).toBe(200);
      expect(refreshesSent().map((j) => j.data)).toEqual([
        { portalId: PORTAL, system: 'stripe', customerId: outcome.customerId },
      ]);
      // The app-wide endpoint checks the app-wide secret.
      expect((await post('/webhooks/stripe', right)).status).toBe(401);
      expect((await post('/webhooks/stripe', invoiceEvent)).status).toBe(200);
      expect((await post('/webhooks/stripe/6b1c0000-0000-4000-8000-000000000000', right)).status).toBe(404);
    });

    it('refuses a key Stripe does not accept, storing nothing', async () => {
      await expect(
        connectStripe(await ctx(), { secretKey: 'sk_test_wrongkey' }, { box: h.box, publicBaseUrl: 'https://rh.test' }),
      ).rejects.toMatchObject({ code: 'invalid_input', path: 'secretKey' });
      const user = { ...(await ctx()), user: { id: '1001', roles: ['sales'], teams: [] } };
      await expect(
        connectStripe(user, { secretKey: h.stripe.apiKey }, { box: h.box, publicBaseUrl: 'https://rh.test' }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });
  });

  describe('the reconciliation sweep', () => {
    it('dispatches events stored but never queued, and queues one sweep per connected portal', async () => {
      const [linked] = await h.db.query<{ customer_id: string }>(
        `SELECT customer_id FROM finance_links WHERE portal_id = $1 AND system = 'stripe'`,
        [PORTAL],
      );
      const customerId = linked?.customer_id as string;
      const event = {
        eventId: 'evt_stranded',
        tenantId: 'stripe',
        entity: 'customer',
        entityId: customerId,
        action: 'updated',
        occurredAt: '2026-05-15T10:00:00.000Z',
      };
      // Stored by a webhook whose process died before it queued anything.
      await storeInboundEvents(h.db, 'stripe', [
        { dedupeKey: 'stripe:evt_stranded', portalId: PORTAL, payload: { event, portalIds: [PORTAL] } },
      ]);
      h.sent.length = 0;
      const saved = h.clock.now;
      h.clock.now = new Date(Date.now() + 120_000); // the sweep looks for events older than a minute
      try {
        expect(await runReconciliation(h.deps, {})).toEqual({ queued: [PORTAL], redispatched: 1 });
      } finally {
        h.clock.now = saved;
      }
      expect(h.sent.map((j) => [j.queue, j.data])).toEqual([
        ['receivables-refresh', { portalId: PORTAL, system: 'stripe', customerId }],
        ['reconciliation', { portalId: PORTAL }],
      ]);
      expect(
        await count(
          `SELECT count(*) AS n FROM inbound_events WHERE dedupe_key = 'stripe:evt_stranded' AND processed_at IS NOT NULL`,
        ),
      ).toBe(1);
    });
  });
});
