import 'dotenv/config';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config.js';
import { financeEditsRouter, forwardQuickBooksWebhooks } from '../demo/finance-edits.js';
import { seedDemo } from '../demo/seed.js';
import { startDemoSandboxes } from '../demo/start.js';
import { previewRouter } from '../preview/router.js';
import { compose } from './compose.js';
import { createLogger } from './logger.js';
import { runMain, stopOnSignals } from './process.js';

async function main(): Promise<void> {
  let config = loadConfig();
  const logger = createLogger(config.logLevel);
  const demo = config.demo ? await startDemoSandboxes(config, logger) : null;
  if (demo) config = demo.config;

  // The local sandbox has no rate limit; real HubSpot keeps the client's default per-app budget.
  const app = await compose(
    config,
    logger,
    demo
      ? {
          workers: config.workers,
          hubspotBudget: { requests: 1000, perMs: 1000, maxConcurrent: 10 },
          financeConfig: demo.financeConfig,
          // The demo's landing page and card preview (GET / and /preview/...); never mounted with real credentials.
          extraRouters: (c) => [
            previewRouter({ ...c, logger, hubspot: demo.sandboxes.hubspot }),
            // Edit a customer "in QuickBooks" to see a manual correction reach the deal card.
            financeEditsRouter(demo.sandboxes.quickbooks, {
              poCustomField: demo.financeConfig.quickbooks?.poCustomField,
            }),
          ],
        }
      : { workers: config.workers },
  );
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite (${config.pgliteDataDir})`;
  logger.info({ database: app.db.kind }, `database ready: ${where}`);
  const deals = demo ? await seedDemo(app, demo.sandboxes.hubspot, logger, demo.sandboxes.quickbooks) : [];

  const server = app.app.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    const url = `http://localhost:${port}`;
    logger.info({ url, demo: config.demo }, `Revenue Handoff is running: open ${url}`);
    if (demo) forwardQuickBooksWebhooks(demo.sandboxes.quickbooks, `http://127.0.0.1:${port}`, logger);
    const mode = demo
      ? `demo mode: no HubSpot credentials configured, so a local HubSpot sandbox and ${deals.length} demo deals were set up`
      : `connected to HubSpot app ${config.hubspot.appId}`;
    process.stdout.write(`\n  Revenue Handoff is running → ${url}  (health: ${url}/health)\n  ${mode}\n\n`);
  });

  stopOnSignals(async (signal) => {
    logger.info({ signal }, 'shutting down');
    server.close();
    await app.stop();
    await demo?.sandboxes.close();
  });
}

runMain('Revenue Handoff', main);
