import type { Express } from 'express';
import { HANDLERS } from '../../serverless/index.js';
import { forgetPipelines } from '../../src/app/deal-context.js';
import { installPortal } from '../../src/app/install.js';
import { createHubSpotSandbox, type HubSpotSandbox } from '../../src/integrations/hubspot/sandbox/index.js';
import { type JobQueue, startJobQueue } from '../../src/jobs/queue.js';
import { createApp } from '../../src/server/app.js';
import { hubspotWebhookRouter } from '../../src/server/hubspot-webhooks.js';
import { createLogger } from '../../src/server/logger.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { createSecretBox, type SecretBox } from '../../src/store/secrets.js';
import { mockVendors } from './msw.js';
import { TEST_BASE_URL, TEST_CLIENT_SECRET } from './signed.js';

export const HUBSPOT_API = 'https://api.hubapi.com';
export const PORTAL = 62515;
export const APP_ID = '4242';

export interface Backend {
  db: Db;
  box: SecretBox;
  hubspot: HubSpotSandbox;
  queue: JobQueue;
  runtime: Runtime;
  app: Express;
  stop(): Promise<void>;
}

/**
 * The whole backend in-process: PGlite, pg-boss (send only), the HubSpot sandbox behind msw, the real app with
 * the signed card API, and portal PORTAL installed through the real install routine.
 */
export async function startBackend(options: { settings?: Record<string, unknown> } = {}): Promise<Backend> {
  forgetPipelines();
  const hubspot = createHubSpotSandbox({ portalId: PORTAL });
  const vendors = mockVendors({ [HUBSPOT_API]: hubspot.handle });
  vendors.start();
  const db = await openPglite();
  await migrate(db);
  const box = createSecretBox(Buffer.alloc(32, 9).toString('base64'));
  const queue = await startJobQueue({ db, sendOnly: true });
  const logger = createLogger('silent');
  const config = {
    hubspot: { clientId: 'cid', clientSecret: TEST_CLIENT_SECRET, appId: APP_ID, apiBaseUrl: undefined },
  };
  const runtime = createRuntime({ db, box, queue, logger, config });
  await installPortal(db, box, runtime.crmFor(PORTAL), {
    portalId: PORTAL,
    scopes: [],
    tokens: {
      accessToken: 'sandbox-token',
      refreshToken: 'sandbox-refresh',
      expiresAt: new Date(Date.now() + 3_600_000),
    },
    settings: {
      users: {
        '1001': { roles: ['sales'], teams: ['sales'] },
        '2002': { roles: ['customer_success'], teams: ['customer_success'] },
        '3003': { roles: ['finance'], teams: ['finance'] },
        '4004': { roles: ['revops'], teams: ['revops'] },
      },
      ...options.settings,
    } as never,
  });
  const app = createApp({
    db,
    logger,
    api: {
      handlers: HANDLERS,
      clientSecret: TEST_CLIENT_SECRET,
      publicBaseUrl: TEST_BASE_URL,
      resolve: runtime.resolve,
    },
    routers: [
      hubspotWebhookRouter({ db, queue, clientSecret: TEST_CLIENT_SECRET, publicBaseUrl: TEST_BASE_URL, logger }),
    ],
  });
  return {
    db,
    box,
    hubspot,
    queue,
    runtime,
    app,
    async stop() {
      vendors.stop();
      await queue.stop();
      await db.close();
    },
  };
}
