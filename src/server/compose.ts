import { dirname, join } from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { HANDLERS } from '../../serverless/index.js';
import type { AppConfig } from '../config.js';
import { financeConfigFromEnv } from '../integrations/finance/config.js';
import { createFinanceGateway, type FinanceConfig, type FinanceGateway } from '../integrations/finance/factory.js';
import { requeueUnprocessedEvents, startHubSpotEventsWorker } from '../jobs/hubspot-events.js';
import { type JobQueue, startJobQueue } from '../jobs/queue.js';
import { startWorkers } from '../jobs/workers.js';
import type { Db } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import { createSecretBox, localDevelopmentKey, type SecretBox } from '../store/secrets.js';
import { createApp } from './app.js';
import { financeOAuthRouter } from './finance-oauth.js';
import { financeWebhooksRouter } from './finance-webhooks.js';
import { hubspotOAuthRouter } from './hubspot-oauth.js';
import { hubspotWebhookRouter } from './hubspot-webhooks.js';
import { createRuntime, type Runtime } from './runtime.js';

export interface Composed {
  config: AppConfig;
  db: Db;
  box: SecretBox;
  queue: JobQueue;
  runtime: Runtime;
  financeConfig: FinanceConfig;
  gateway: FinanceGateway;
  app: Express;
  stop(): Promise<void>;
}

/** The key for secrets at rest: configured, or for the embedded database a private key file beside its data. */
function secretBox(config: AppConfig): SecretBox {
  if (config.encryptionKey) return createSecretBox(config.encryptionKey, config.previousEncryptionKeys);
  const inMemory = config.pgliteDataDir.startsWith('memory://');
  const key = inMemory
    ? Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')
    : localDevelopmentKey(join(dirname(config.pgliteDataDir), 'encryption.key'));
  return createSecretBox(key, config.previousEncryptionKeys);
}

/**
 * Builds the whole app from configuration: database (migrated), secrets, job queue, per-portal runtime, the card
 * API, HubSpot webhooks and OAuth, and — unless `workers: false` — the in-process workers. `npm start` runs this with
 * workers; a scaled-out deployment runs web processes with `workers: false` and `npm run worker` processes.
 * @example const c = await compose(loadConfig(), logger); c.app.listen(3000)
 */
export async function compose(
  config: AppConfig,
  logger: Logger,
  options: {
    workers?: boolean;
    /** Finance system settings; from the environment (QUICKBOOKS_*, XERO_*, STRIPE_*) by default. */
    financeConfig?: FinanceConfig;
    hubspotBudget?: Parameters<typeof createRuntime>[0]['hubspotBudget'];
    extraRouters?: (c: Omit<Composed, 'app' | 'stop'>) => Parameters<typeof createApp>[0]['routers'];
  } = {},
): Promise<Composed> {
  const db = await openDatabase(config);
  await migrate(db);
  const box = secretBox(config);
  const workers = options.workers ?? true;
  const queue = await startJobQueue({
    db,
    databaseUrl: config.databaseUrl,
    sendOnly: !workers,
    onError: (e) => logger.error({ err: e }, 'job queue error'),
  });
  const financeConfig = options.financeConfig ?? financeConfigFromEnv(process.env, config.publicBaseUrl);
  const gateway = createFinanceGateway({ db, box, config: financeConfig, logger });
  const runtime = createRuntime({
    db,
    box,
    queue,
    logger,
    config,
    financeConfig,
    ...(options.hubspotBudget ? { hubspotBudget: options.hubspotBudget } : {}),
  });
  const base = { config, db, box, queue, runtime, financeConfig, gateway };
  const app = createApp({
    db,
    logger,
    api: {
      handlers: HANDLERS,
      clientSecret: config.hubspot.clientSecret,
      publicBaseUrl: config.publicBaseUrl,
      resolve: runtime.resolve,
    },
    routers: [
      financeWebhooksRouter({ db, box, gateway, crmFor: runtime.crmFor, queue, logger }),
      financeOAuthRouter({ db, box, gateway, logger }),
      hubspotWebhookRouter({
        db,
        queue,
        clientSecret: config.hubspot.clientSecret,
        publicBaseUrl: config.publicBaseUrl,
        logger,
      }),
      hubspotOAuthRouter({
        db,
        box,
        runtime,
        clientId: config.hubspot.clientId,
        clientSecret: config.hubspot.clientSecret,
        publicBaseUrl: config.publicBaseUrl,
        apiBaseUrl: config.hubspot.apiBaseUrl,
        logger,
      }),
      ...(options.extraRouters?.(base) ?? []),
    ],
  });
  let sweep: NodeJS.Timeout | undefined;
  if (workers) {
    await startHubSpotEventsWorker({ db, queue, services: runtime.services, appId: config.hubspot.appId, logger });
    await startWorkers({ db, box, queue, runtime, financeConfig, gateway, logger });
    // An event stored but never queued (a crash between the two) is queued again within a minute.
    sweep = setInterval(() => {
      requeueUnprocessedEvents(db, queue, 60_000).catch((e: unknown) =>
        logger.error({ err: e }, 'requeue sweep failed'),
      );
    }, 60_000);
    sweep.unref();
  }
  return {
    ...base,
    app,
    async stop() {
      if (sweep) clearInterval(sweep);
      await queue.stop();
      await db.close();
    },
  };
}
