import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { currentVersion, LATEST_MIGRATION } from '../store/migrate.js';
import { type ApiOptions, apiRouter } from './api.js';

export interface AppDeps {
  db: Db;
  logger: Logger;
  /** The card API (POST /api/<handler>); absent in tests of single routes. */
  api?: Omit<ApiOptions<unknown>, 'logger'> | undefined;
  /** Further routers (webhooks, OAuth, the demo and preview pages), mounted at the root in this order. */
  routers?: ReadonlyArray<Router>;
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

  if (deps.api) app.use('/api', apiRouter({ ...deps.api, logger: deps.logger }));
  for (const r of deps.routers ?? []) app.use(r);

  app.use((_req, res) => {
    res.status(404).json({ code: 'not_found', message: 'No such route' });
  });
  return app;
}
