import { afterEach, describe, expect, it } from '@jest/globals';
import type { Db } from '../../src/store/db.js';
import { openPostgres } from '../../src/store/postgres.js';
import { createSecretBox } from '../../src/store/secrets.js';
import {
  accessToken,
  accessTokenAcrossProcesses,
  type FreshTokens,
  ReconnectNeeded,
  saveTokens,
  type TokenOwner,
} from '../../src/store/tokens.js';
import { testDatabases } from '../support/databases.js';

const box = createSecretBox(Buffer.alloc(32, 7).toString('base64'));
const owner: TokenOwner = { table: 'finance_connections', portalId: 42, system: 'xero' };
const now = new Date('2026-11-25T12:00:00Z');

/** A vendor whose refresh tokens work once (Xero-style rotation). */
function rotatingVendor() {
  let current = 'rt-0';
  let n = 0;
  const calls: string[] = [];
  return {
    calls,
    async refresh(rt: string): Promise<FreshTokens> {
      calls.push(rt);
      await new Promise((r) => setTimeout(r, 50));
      if (rt !== current) throw Object.assign(new Error('invalid_grant: refresh token already used'), { kind: 'auth' });
      n++;
      current = `rt-${n}`;
      return { accessToken: `at-${n}`, refreshToken: current, expiresAt: new Date(now.getTime() + 1_800_000) };
    },
  };
}

async function seed(db: Db) {
  await db.query('INSERT INTO installations (portal_id) VALUES (42)');
  await db.query(`INSERT INTO finance_connections (portal_id, system, tenant_id) VALUES (42, 'xero', 't-1')`);
  await saveTokens(db, box, owner, {
    accessToken: 'at-0',
    refreshToken: 'rt-0',
    expiresAt: new Date(now.getTime() - 1),
  });
}

describe.each(testDatabases())('tokens on $name', ({ name, open }) => {
  let db: (Db & { url?: string }) | undefined;
  const extra: Db[] = [];
  afterEach(async () => {
    for (const d of extra.splice(0)) await d.close();
    await db?.close();
    db = undefined;
  });

  it('stores tokens encrypted: a database dump shows no token', async () => {
    db = await open();
    await seed(db);
    const dump = JSON.stringify(await db.query('SELECT * FROM finance_connections'));
    expect(dump).not.toContain('rt-0');
    expect(dump).not.toContain('at-0');
  });

  it('returns a still-valid access token without refreshing', async () => {
    db = await open();
    await seed(db);
    await saveTokens(db, box, owner, { accessToken: 'at-ok', expiresAt: new Date(now.getTime() + 600_000) });
    const vendor = rotatingVendor();
    expect(await accessToken(db, box, owner, vendor.refresh, () => now)).toBe('at-ok');
    expect(vendor.calls).toEqual([]);
  });

  it('refreshes an expired token once when ten callers in one process ask together', async () => {
    db = await open();
    await seed(db);
    const vendor = rotatingVendor();
    const d = db;
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => accessToken(d, box, owner, vendor.refresh, () => now)),
    );
    expect(new Set(tokens)).toEqual(new Set(['at-1']));
    expect(vendor.calls).toEqual(['rt-0']);
  });

  it('lets two workers never spend the same rotating refresh token', async () => {
    db = await open();
    await seed(db);
    const vendor = rotatingVendor();
    // Two processes: on PostgreSQL two separate pools; PGlite is one embedded connection by nature.
    const workers: Db[] = [db];
    if (name === 'postgres' && db.url) {
      const other = await openPostgres(db.url, 2);
      extra.push(other);
      workers.push(other);
    } else {
      workers.push(db);
    }
    const tokens = await Promise.all(
      workers.flatMap((w) =>
        [1, 2, 3].map(() => accessTokenAcrossProcesses(w, box, owner, vendor.refresh, () => now, 120_000)),
      ),
    );
    expect(new Set(tokens)).toEqual(new Set(['at-1']));
    expect(vendor.calls).toEqual(['rt-0']);
    // The newest refresh token was kept, so the next refresh works.
    await saveTokens(db, box, owner, { accessToken: 'at-1', expiresAt: new Date(now.getTime() - 1) });
    expect(await accessToken(db, box, owner, vendor.refresh, () => now)).toBe('at-2');
    // Six callers queue on one embedded connection: generous room on a loaded machine; it is not a speed check.
  }, 90_000);

  it('marks the connection "reconnect needed" when the refresh is refused, and says so on every later call', async () => {
    db = await open();
    await seed(db);
    const refused = async (): Promise<FreshTokens> => {
      throw Object.assign(new Error('invalid_grant'), { kind: 'auth' });
    };
    await expect(accessToken(db, box, owner, refused, () => now)).rejects.toBeInstanceOf(ReconnectNeeded);
    const [row] = await db.query<{ status: string; last_error: string }>(
      'SELECT status, last_error FROM finance_connections',
    );
    expect(row).toEqual({ status: 'reconnect_needed', last_error: 'invalid_grant' });
    await expect(accessToken(db, box, owner, rotatingVendor().refresh, () => now)).rejects.toThrow(
      'needs to be reconnected',
    );
  });

  it('lets a network failure during refresh be retried, keeping the stored tokens', async () => {
    db = await open();
    await seed(db);
    const flaky = async (): Promise<FreshTokens> => {
      throw Object.assign(new Error('socket hang up'), { kind: 'temporary' });
    };
    await expect(accessToken(db, box, owner, flaky, () => now)).rejects.toThrow('socket hang up');
    expect(await accessToken(db, box, owner, rotatingVendor().refresh, () => now)).toBe('at-1');
  });
});
