import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config.js';
import { type DemoDeal, seedDemo } from '../../../src/demo/seed.js';
import { type DemoSandboxes, startDemoSandboxes } from '../../../src/demo/start.js';
import { previewRouter } from '../../../src/preview/router.js';
import { type Composed, compose } from '../../../src/server/compose.js';
import { createLogger } from '../../../src/server/logger.js';

export interface DemoApp {
  url: string;
  deals: DemoDeal[];
  composed: Composed;
  sandboxes: DemoSandboxes;
  stop(): Promise<void>;
}

/**
 * The demo as `npm start` composes it without credentials (src/server/main.ts), in-process so a test can reach
 * its parts: the HubSpot and QuickBooks sandboxes, the in-memory database, the in-process workers, the seeded
 * portal and the preview router, listening on an ephemeral port.
 */
export async function startDemoApp(): Promise<DemoApp> {
  const logger = createLogger('silent');
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const { config, financeConfig, sandboxes } = await startDemoSandboxes(base, logger);
  let composed: Composed | undefined;
  let server: Server | undefined;
  try {
    composed = await compose(config, logger, {
      hubspotBudget: { requests: 1000, perMs: 1000, maxConcurrent: 10 },
      financeConfig,
      extraRouters: (c) => [previewRouter({ ...c, logger, hubspot: sandboxes.hubspot })],
    });
    const deals = await seedDemo(composed, sandboxes.hubspot, logger, sandboxes.quickbooks);
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
