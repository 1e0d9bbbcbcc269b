import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { currentVersion, LATEST_MIGRATION } from '../store/migrate.js';

export interface AppDeps {
  db: Db;
  logger: Logger;
}

/** Builds the express app: every route of ARCHITECTURE §6 is mounted here. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());

  app.get('/health', async (_req, res) => {
    try {
      const version = await currentVersion(deps.db);
      const upToDate = version === LATEST_MIGRATION;
      res.status(upToDate ? 200 : 503).json({
        status: upToDate ? 'ok' : 'migrations_pending',
        database: { kind: deps.db.kind, reachable: true },
        migrations: { current: version, latest: LATEST_MIGRATION },
      });
    } catch (e) {
      deps.logger.error({ err: e }, 'health check could not reach the database');
      res.status(503).json({
        status: 'database_unreachable',
        database: { kind: deps.db.kind, reachable: false },
        migrations: { current: null, latest: LATEST_MIGRATION },
      });
    }
  });

  app.use((_req, res) => {
    res.status(404).json({ code: 'not_found', message: 'No such route' });
  });
  return app;
}
