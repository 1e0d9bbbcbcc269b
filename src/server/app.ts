import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
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

  // Errors raised before a route runs (a body over the size limit, an unknown content encoding or a corrupt
  // compressed body, a malformed %-escape in a path parameter) and anything a route let escape: JSON with a message
  // a person can read, never express's default HTML page with a stack trace.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = statusOf(err);
    if (status >= 400 && status < 500) {
      res
        .status(status)
        .json({ code: 'invalid_request', message: CLIENT_ERROR_MESSAGES[status] ?? CLIENT_ERROR_MESSAGES[400] });
      return;
    }
    deps.logger.error({ err }, 'request failed');
    res.status(500).json({ code: 'internal', message: 'Something went wrong on our side; it was logged.' });
  });
  return app;
}

const CLIENT_ERROR_MESSAGES: Record<number, string> = {
  400: 'The request could not be read: its body or its URL is malformed',
  413: 'The request body is larger than this endpoint accepts',
  415: 'The request body uses an encoding or character set this endpoint does not accept; send plain JSON',
};

/** The HTTP status an error carries (body-parser and the router set `status`), or 500. */
function statusOf(err: unknown): number {
  const s =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' && Number.isInteger(s) && s >= 400 && s < 600 ? s : 500;
}
