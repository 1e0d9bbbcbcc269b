import { afterEach, describe, expect, it } from '@jest/globals';
import type { Db } from '../../src/store/db.js';
import { currentVersion, LATEST_MIGRATION, migrate } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { testDatabases } from '../support/databases.js';

describe.each(testDatabases())('store on $name', ({ open }) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('migrates an empty database to the latest version, and a second run changes nothing', async () => {
    db = await open({ migrated: false });
    expect(await migrate(db)).toBe(LATEST_MIGRATION);
    expect(await migrate(db)).toBe(LATEST_MIGRATION);
    const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    // Every registered migration once, numbered 1, 2, 3… with no gap.
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(Number(rows[0]?.n)).toBe(MIGRATIONS.length);
  });

  it('applies each migration once when several processes migrate at the same time', async () => {
    db = await open({ migrated: false });
    const d = db;
    await Promise.all([migrate(d), migrate(d), migrate(d)]);
    expect(await currentVersion(d)).toBe(LATEST_MIGRATION);
  });

  it('leaves the schema as it was when a migration fails part-way', async () => {
    db = await open();
    const broken = [
      { version: LATEST_MIGRATION + 1, name: 'half', sql: 'CREATE TABLE half_done (x int); SELECT no_such_fn();' },
    ];
    await expect(migrate(db, broken)).rejects.toThrow(/no_such_fn/);
    expect(await currentVersion(db)).toBe(LATEST_MIGRATION);
    expect(await db.query(`SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
  });

  it('rolls back every write of a failed transaction', async () => {
    db = await open();
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO installations (portal_id) VALUES ($1)', [101]);
        await tx.query('INSERT INTO installations (portal_id) VALUES ($1)', [101]); // duplicate key
      }),
    ).rejects.toThrow();
    expect(await db.query('SELECT * FROM installations WHERE portal_id = 101')).toEqual([]);
  });

  it('keeps the handoff audit trail append-only', async () => {
    db = await open();
    await db.query('INSERT INTO installations (portal_id) VALUES (7)');
    const [h] = await db.query<{ id: string }>(
      `INSERT INTO handoffs (portal_id, deal_id, template_id, template_version, state)
       VALUES (7, 'd1', 'cs-to-finance', 1, 'draft') RETURNING id`,
    );
    await db.query(`INSERT INTO handoff_events (portal_id, handoff_id, type, actor) VALUES (7, $1, 'created', '{}')`, [
      h?.id,
    ]);
    await expect(db.query(`UPDATE handoff_events SET type = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM handoff_events')).rejects.toThrow(/append-only/);
    expect(await db.query('SELECT type FROM handoff_events')).toEqual([{ type: 'created' }]);
  });

  it('allows one finance customer link per company and per customer in a portal', async () => {
    db = await open();
    const link = `INSERT INTO finance_links (portal_id, system, company_id, customer_id, matched_by)
                  VALUES ($1, 'xero', $2, $3, 'created')`;
    await db.query(link, [1, 'c1', 'x1']);
    await expect(db.query(link, [1, 'c1', 'x2'])).rejects.toThrow();
    await expect(db.query(link, [1, 'c2', 'x1'])).rejects.toThrow();
    await db.query(link, [2, 'c1', 'x1']); // another portal may use the same ids
  });
});
