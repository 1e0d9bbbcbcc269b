import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import type { Db } from '../../src/store/db.js';
import { LATEST_MIGRATION, migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';

describe('GET /health', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite('memory://');
    await migrate(db);
  });
  afterAll(() => db.close());

  it('reports the embedded database and the migration version', async () => {
    const res = await request(createApp({ db, logger: createLogger('silent') })).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: { kind: 'pglite', reachable: true },
      migrations: { current: LATEST_MIGRATION, latest: LATEST_MIGRATION },
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 503 when the database cannot be reached', async () => {
    const broken = await openPglite('memory://');
    await broken.close();
    const res = await request(createApp({ db: broken, logger: createLogger('silent') })).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('database_unreachable');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(createApp({ db, logger: createLogger('silent') })).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

// `npm start` itself (boot, printed URL, /health, landing page) is test/browser/npm-start.test.ts.
