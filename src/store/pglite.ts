import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './db.js';

type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

function wrap(q: Queryable, root: PGlite | null): Db {
  const db: Db = {
    kind: 'pglite',
    async query<T>(sql: string, params: ReadonlyArray<unknown> = []) {
      const res = await q.query<T>(sql, [...params]);
      return res.rows;
    },
    async exec(sql: string) {
      const results = await q.exec(sql);
      return results.flatMap((r) => r.rows as Array<Record<string, unknown>>);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (!root) return fn(db);
      return root.transaction((tx) => fn(wrap(tx, null)));
    },
    async close() {
      if (root) await root.close();
    },
  };
  return db;
}

/**
 * Opens the embedded PostgreSQL (PGlite). `dataDir` undefined or `memory://` keeps everything in memory.
 * @example const db = await openPglite('.data/pglite');
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(inMemory ? undefined : dataDir);
  return wrap(pg, pg);
}
