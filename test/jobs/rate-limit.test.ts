import { afterEach, describe, expect, it } from '@jest/globals';
import { acquire, RateBudgetExhausted, withRateLimit } from '../../src/jobs/rate-limit.js';
import type { Db } from '../../src/store/db.js';
import { testDatabases } from '../support/databases.js';

describe.each(testDatabases())('shared rate budget on $name', ({ open }) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('grants exactly the window maximum, then says how long to wait', async () => {
    db = await open();
    const spec = { key: 'xero:t1', windows: [{ ms: 60_000, max: 3 }] };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await acquire(db, spec));
    expect(results.map((r) => r.granted)).toEqual([true, true, true, false]);
    const last = results[3];
    expect(last?.granted === false && last.retryAfterMs).toBeGreaterThan(59_000);
  });

  it('never grants more than the budget when many callers race for it', async () => {
    db = await open();
    const d = db;
    const spec = { key: 'quickbooks:r1', windows: [{ ms: 60_000, max: 7 }] };
    const results = await Promise.all(Array.from({ length: 20 }, () => acquire(d, spec)));
    expect(results.filter((r) => r.granted)).toHaveLength(7);
  });

  it('keeps budgets of different tenants apart', async () => {
    db = await open();
    const a = await acquire(db, { key: 'xero:a', windows: [{ ms: 60_000, max: 1 }] });
    const b = await acquire(db, { key: 'xero:b', windows: [{ ms: 60_000, max: 1 }] });
    expect([a.granted, b.granted]).toEqual([true, true]);
  });

  it('limits concurrent calls with leases that are returned on release', async () => {
    db = await open();
    const spec = { key: 'xero:c', windows: [{ ms: 60_000, max: 100 }], maxConcurrent: 2 };
    const first = await acquire(db, spec);
    const second = await acquire(db, spec);
    const third = await acquire(db, spec);
    expect([first.granted, second.granted, third.granted]).toEqual([true, true, false]);
    if (first.granted) await first.release();
    expect((await acquire(db, spec)).granted).toBe(true);
  });

  it('frees a lease left behind by a crashed worker once it expires', async () => {
    db = await open();
    const spec = { key: 'xero:crash', windows: [{ ms: 60_000, max: 100 }], maxConcurrent: 1, leaseMs: 200 };
    expect((await acquire(db, spec)).granted).toBe(true); // never released
    expect((await acquire(db, spec)).granted).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect((await acquire(db, spec)).granted).toBe(true);
  });

  it('waits for the budget and runs the call, or gives up with a clear error when told not to wait that long', async () => {
    db = await open();
    const spec = { key: 'stripe:acct', windows: [{ ms: 300, max: 1 }] };
    const started = Date.now();
    await withRateLimit(db, spec, async () => 1);
    await withRateLimit(db, spec, async () => 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(
      withRateLimit(db, { key: 'x', windows: [{ ms: 60_000, max: 0 }] }, async () => 1, { maxWaitMs: 10 }),
    ).rejects.toBeInstanceOf(RateBudgetExhausted);
  });
});
