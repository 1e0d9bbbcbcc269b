import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './db.js';

/** PGlite's installed version, which keys the cached empty cluster below. */
const PGLITE_VERSION = (() => {
  try {
    const file = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

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
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    const pg = await PGlite.create(dataDir);
    return wrap(pg, pg);
  }
  const copy = await emptyClusterCopy();
  if (copy) {
    try {
      const pg = await PGlite.create({ loadDataDir: copy });
      return wrap(pg, pg);
    } catch {
      // A damaged copy: forget it and initialise afresh below (which writes a new one).
      forgetEmptyCluster();
    }
  }
  const pg = await PGlite.create();
  await rememberEmptyCluster(pg);
  return wrap(pg, pg);
}

/**
 * The empty cluster of an in-memory open. initdb is about four fifths of PGlite's start-up, so the first in-memory
 * open keeps a copy of the freshly initialised cluster — in this process and on disk, under
 * node_modules/.cache/revenue-handoff (keyed by PGlite's version) — and every later one, in this process or the
 * next (each test file, each `npm start`), starts from that copy instead. A cache that cannot be written (a
 * read-only install) only costs the speed-up.
 */
const CLUSTER_CACHE = fileURLToPath(
  new URL(`../../node_modules/.cache/revenue-handoff/pglite-${PGLITE_VERSION}-empty-cluster.tar`, import.meta.url),
);
let emptyCluster: Blob | null | undefined;

async function emptyClusterCopy(): Promise<Blob | null> {
  if (emptyCluster !== undefined) return emptyCluster;
  try {
    emptyCluster = new Blob([await readFile(CLUSTER_CACHE)]);
  } catch {
    emptyCluster = null;
  }
  return emptyCluster;
}

/** Where the copy lives, and a way to make this process read it again (tests of a damaged copy). */
export const emptyClusterCache = {
  path: CLUSTER_CACHE,
  forgetInProcess(): void {
    emptyCluster = undefined;
  },
};

function forgetEmptyCluster(): void {
  emptyCluster = null;
  try {
    rmSync(CLUSTER_CACHE, { force: true });
  } catch {
    // A read-only cache: the next process tries the copy again, fails the same way and initialises afresh.
  }
}

async function rememberEmptyCluster(pg: PGlite): Promise<void> {
  // Written aside and renamed: a reader in another process sees the whole file or none.
  const aside = `${CLUSTER_CACHE}.${process.pid}.${randomUUID()}`;
  try {
    const dump = await pg.dumpDataDir('none');
    emptyCluster = dump;
    mkdirSync(dirname(CLUSTER_CACHE), { recursive: true });
    await writeFile(aside, Buffer.from(await dump.arrayBuffer()));
    await rename(aside, CLUSTER_CACHE);
  } catch {
    // No copy on disk this time (a read-only or full disk); the next process initialises again.
    try {
      rmSync(aside, { force: true });
    } catch {
      // Nothing was written aside.
    }
  }
}
