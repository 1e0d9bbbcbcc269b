import 'dotenv/config';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../config.js';
import { migrate } from '../store/migrate.js';
import { openDatabase } from '../store/open.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config);
  const version = await migrate(db);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite at ${config.pgliteDataDir}`;
  logger.info({ database: db.kind, migration: version }, `database ready: ${where}, schema version ${version}`);

  const app = createApp({ db, logger });
  const server = app.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    const url = `http://localhost:${port}`;
    logger.info({ url }, `Revenue Handoff is running: open ${url}`);
    process.stdout.write(`\n  Revenue Handoff is running → ${url}  (health: ${url}/health)\n\n`);
  });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\nSee .env.example and the README's configuration table.\n`);
  } else {
    process.stderr.write(
      `Revenue Handoff failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
  }
  process.exit(1);
});
