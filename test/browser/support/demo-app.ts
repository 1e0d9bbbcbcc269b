import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config.js';
import { DEMO_PORTAL_ID } from '../../../src/demo/data.js';
import { type DemoDeal, seedDemo } from '../../../src/demo/seed.js';
import { type DemoSandboxes, startDemoSandboxes } from '../../../src/demo/start.js';
import { previewRouter } from '../../../src/preview/router.js';
import type { InvoiceSnapshot } from '../../../src/receivables/invoice.js';
import { type Composed, compose } from '../../../src/server/compose.js';
import { createLogger } from '../../../src/server/logger.js';
import { portalStore } from '../../../src/store/portal-store.js';

export interface DemoApp {
  url: string;
  deals: DemoDeal[];
  composed: Composed;
  sandboxes: DemoSandboxes;
  stop(): Promise<void>;
}

/**
 * The demo as `npm start` composes it without credentials (src/server/main.ts), in-process so a test can reach
 * its database: the HubSpot sandbox, the in-memory database, the seeded portal, the preview router, listening on an
 * ephemeral port. Web process only (no in-process workers), so nothing runs behind the test's back.
 */
export async function startDemoApp(): Promise<DemoApp> {
  const logger = createLogger('silent');
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const { config, sandboxes } = await startDemoSandboxes(base, logger);
  let composed: Composed | undefined;
  let server: Server | undefined;
  try {
    composed = await compose(config, logger, {
      workers: false,
      hubspotBudget: { requests: 1000, perMs: 1000, maxConcurrent: 10 },
      extraRouters: (c) => [previewRouter({ ...c, logger, hubspot: sandboxes.hubspot })],
    });
    const deals = await seedDemo(composed, sandboxes.hubspot, logger);
    server = composed.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const running = composed;
    const listening = server;
    return {
      url: `http://127.0.0.1:${port}`,
      deals,
      composed: running,
      sandboxes,
      async stop() {
        listening.closeAllConnections();
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        await running.stop();
        await sandboxes.close();
      },
    };
  } catch (e) {
    server?.close();
    await composed?.stop();
    await sandboxes.close();
    throw e;
  }
}

/**
 * What a finance sync would have stored for a company with overdue invoices: a connected finance system (Xero), the
 * company linked to its customer, and invoice snapshots 45 and 10 days past due. The demo seed connects no finance
 * system yet, so the payment-status banner needs this.
 */
export async function givenOverdueInvoices(app: DemoApp, companyId: string): Promise<void> {
  const db = app.composed.db;
  const system = 'xero';
  const customerId = `demo-customer-${companyId}`;
  await db.query(
    `INSERT INTO finance_connections (portal_id, system, tenant_id) VALUES ($1, $2, 'demo-tenant')
     ON CONFLICT (portal_id, system) DO NOTHING`,
    [DEMO_PORTAL_ID, system],
  );
  await db.query(
    `INSERT INTO finance_links (portal_id, system, company_id, customer_id, matched_by) VALUES ($1, $2, $3, $4, 'manual')
     ON CONFLICT (portal_id, system, company_id) DO UPDATE SET customer_id = EXCLUDED.customer_id`,
    [DEMO_PORTAL_ID, system, companyId, customerId],
  );
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const invoice = (n: number, issued: number, due: number, cents: number): InvoiceSnapshot => ({
    id: `inv-${companyId}-${n}`,
    number: `INV-${1000 + n}`,
    customerId,
    issueDate: day(issued),
    dueDate: day(due),
    currency: 'USD',
    total: { amount: cents, currency: 'USD' },
    amountDue: { amount: cents, currency: 'USD' },
    status: 'open',
    payments: [],
    source: system,
  });
  await portalStore(db, DEMO_PORTAL_ID).receivables.upsert([
    invoice(1, -75, -45, 600_000),
    invoice(2, -40, -10, 200_000),
    invoice(3, -5, 25, 200_000),
  ]);
}
