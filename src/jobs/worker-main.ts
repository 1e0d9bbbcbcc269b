import 'dotenv/config';
import { ConfigError, loadConfig } from '../config.js';
import { financeConfigFromEnv } from '../integrations/finance/config.js';
import { createLogger } from '../server/logger.js';
import { runMain, stopOnSignals } from '../server/process.js';
import { createRuntime } from '../server/runtime.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import { createSecretBox } from '../store/secrets.js';
import { startJobQueue } from './queue.js';
import { startWorkers } from './workers.js';

/**
 * `npm run worker`: a process that only runs jobs (no HTTP), for scaling out next to the web servers. It needs the
 * shared PostgreSQL: the embedded PGlite database belongs to the one `npm start` process, which runs the workers
 * itself.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    throw new ConfigError([
      'DATABASE_URL is required for `npm run worker`: separate workers share PostgreSQL with the web servers (with the embedded database, `npm start` runs the workers in-process)',
    ]);
  }
  if (!config.encryptionKey) throw new ConfigError(['ENCRYPTION_KEY is required with DATABASE_URL']);
  const db = await openDatabase(config);
  const version = await migrate(db);
  const box = createSecretBox(config.encryptionKey, config.previousEncryptionKeys);
  const queue = await startJobQueue({
    db,
    databaseUrl: config.databaseUrl,
    onError: (e) => logger.error({ err: e }, 'job queue error'),
  });
  const runtime = createRuntime({ db, box, queue, logger, config });
  await startWorkers({
    db,
    box,
    queue,
    runtime,
    financeConfig: financeConfigFromEnv(process.env, config.publicBaseUrl),
    logger,
  });
  logger.info({ migration: version }, 'Revenue Handoff worker is running (billing setup, receivables, sweeps)');

  stopOnSignals(async (signal) => {
    logger.info({ signal }, 'worker shutting down: finishing running jobs');
    await queue.stop();
    await db.close();
  });
}

runMain('Revenue Handoff worker', main);
