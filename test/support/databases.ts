import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';

export interface TestDatabase {
  /** 'pglite' always; 'postgres' too when TEST_DATABASE_URL is set. */
  name: 'pglite' | 'postgres';
  /** A new, empty, isolated database. `close()` also drops it. `url` is set for PostgreSQL. */
  open(options?: { migrated?: boolean }): Promise<Db & { url?: string }>;
}

async function createPostgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `rh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable at ${redact(adminUrl)}: ${String(e)}`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

/**
 * The databases a store or jobs suite runs against: in-memory PGlite always, and a real PostgreSQL server when
 * TEST_DATABASE_URL is set (CI sets it; `npm run test:postgres` starts a throwaway server and sets it).
 * @example describe.each(testDatabases())('$name', ({ open }) => { ... })
 */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: 'pglite',
      async open({ migrated = true } = {}) {
        const db = await openPglite();
        if (migrated) await migrate(db);
        return db;
      },
    },
  ];
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    list.push({
      name: 'postgres',
      async open({ migrated = true } = {}) {
        const { url, drop } = await createPostgresDatabase(adminUrl);
        const db = await openPostgres(url, 5);
        if (migrated) await migrate(db);
        return {
          ...db,
          kind: db.kind,
          url,
          close: async () => {
            await db.close();
            await drop();
          },
        };
      },
    });
  }
  // `npm run test:postgres` runs these suites for the server only: their PGlite half already ran in `npm test`.
  return process.env.TEST_DATABASES === 'postgres' ? list.filter((d) => d.name === 'postgres') : list;
}
