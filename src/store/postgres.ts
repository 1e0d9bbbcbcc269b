import pg from 'pg';
import type { Db } from './db.js';

type Client = Pick<pg.PoolClient, 'query'>;

function wrapClient(client: Client): Db {
  const db: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params: ReadonlyArray<unknown> = []) {
      const res = await client.query(sql, [...params]);
      return res.rows as T[];
    },
    async exec(sql: string) {
      const res = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(res) ? res : [res]).flatMap((r) => r.rows ?? []);
    },
    transaction: (fn) => fn(db),
    close: async () => {},
  };
  return db;
}

/**
 * Connects to PostgreSQL. The pool is shared; a transaction holds one client from BEGIN to COMMIT/ROLLBACK.
 * @example const db = await openPostgres(process.env.DATABASE_URL!);
 */
export async function openPostgres(connectionString: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client the server drops (restart, failover, an administrator's terminate) makes the pool emit 'error';
  // unheard, that event kills the process. The pool discards the client and the next query opens a new one.
  pool.on('error', () => {});
  // Fail at start-up, not at the first request, when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  const db: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params: ReadonlyArray<unknown> = []) {
      const res = await pool.query(sql, [...params]);
      return res.rows as T[];
    },
    async exec(sql: string) {
      const client = await pool.connect();
      try {
        return await wrapClient(client).exec(sql);
      } finally {
        client.release();
      }
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrapClient(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  return db;
}
