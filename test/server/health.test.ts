import { spawn } from 'node:child_process';
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

describe('npm start', () => {
  it('boots the real entrypoint on in-memory PGlite and serves /health on the URL it prints', async () => {
    const child = spawn('node_modules/.bin/tsx', ['src/server/main.ts'], {
      env: { ...process.env, PORT: '0', PGLITE_DATA_DIR: 'memory://', LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed; output so far: ${out}`)), 120_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /running → (http:\/\/localhost:\d+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.stderr.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite' } });
    } finally {
      child.kill('SIGTERM');
    }
  }, 150_000);
});
