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
  let pg: PGlite;
  if (!inMemory) pg = await PGlite.create(dataDir);
  // A process that opens one in-memory database (npm start's demo) pays nothing extra for the copy below.
  else if (inMemoryOpens++ === 0) pg = await PGlite.create();
  else pg = await PGlite.create({ loadDataDir: await emptyCluster() });
  return wrap(pg, pg);
}

let inMemoryOpens = 0;
let emptyClusterDump: Promise<Blob> | undefined;

/**
 * A freshly initialised, empty cluster, made once per process on its second in-memory open: every further one
 * starts from a copy of it instead of running initdb again (about two thirds of PGlite's start-up; test files
 * open many).
 */
function emptyCluster(): Promise<Blob> {
  emptyClusterDump ??= (async () => {
    const first = await PGlite.create();
    try {
      return await first.dumpDataDir('none');
    } finally {
      await first.close();
    }
  })();
  emptyClusterDump.catch(() => {
    emptyClusterDump = undefined;
  });
  return emptyClusterDump;
}
