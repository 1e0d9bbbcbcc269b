import type { Db } from './db.js';
import { LATEST_MIGRATION, MIGRATIONS } from './migrations/index.js';

// Any constant shared by every process of the app: concurrent starts wait for one migrator.
const MIGRATION_LOCK = 724_001;

/**
 * Brings the schema up to date in one transaction under an advisory lock, so that several processes starting
 * together apply each migration once, and a failing migration leaves the schema as it was. Returns the version now in force.
 * @example const version = await migrate(db); // 1
 */
export async function migrate(db: Db, migrations = MIGRATIONS): Promise<number> {
  // The lock comes first: even CREATE TABLE IF NOT EXISTS races when two servers start together.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
    );
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
  });
  return currentVersion(db);
}

/** The highest applied migration, 0 for an empty database. */
export async function currentVersion(db: Db): Promise<number> {
  const rows = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}

export { LATEST_MIGRATION };
