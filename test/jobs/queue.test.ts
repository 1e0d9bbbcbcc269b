import { afterEach, describe, expect, it } from '@jest/globals';
import { type JobQueue, QUEUES, startJobQueue } from '../../src/jobs/queue.js';
import type { Db } from '../../src/store/db.js';
import { testDatabases } from '../support/databases.js';

async function until<T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(testDatabases())('durable jobs on $name', ({ open }) => {
  let db: (Db & { url?: string }) | undefined;
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.stop();
    await db?.close();
    queue = undefined;
    db = undefined;
  });

  it('runs a queued job in the same database as the app data', async () => {
    db = await open();
    queue = await startJobQueue({ db, databaseUrl: db.url });
    const seen: unknown[] = [];
    await queue.work<{ dealId: string }>(QUEUES.billingSetup.name, async (job) => {
      seen.push(job.data);
    });
    await queue.send(QUEUES.billingSetup.name, { dealId: 'd-1' }, { singletonKey: 'handoff-1' });
    await until(async () => (seen.length ? seen : undefined));
    expect(seen).toEqual([{ dealId: 'd-1' }]);
    const tables = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'pgboss'`,
    );
    expect(Number(tables[0]?.n)).toBeGreaterThan(0);
  }, 90_000);

  it('retries a failing job and records the error when it finally succeeds', async () => {
    db = await open();
    queue = await startJobQueue({ db, databaseUrl: db.url });
    await queue.boss.createQueue('test-retry', { retryLimit: 2, retryDelay: 0 } as never);
    let attempts = 0;
    await queue.boss.work('test-retry', { pollingIntervalSeconds: 0.5 }, async () => {
      attempts++;
      if (attempts < 2) throw new Error('vendor unavailable');
    });
    const id = await queue.boss.send('test-retry', {});
    const job = await until(async () => {
      const j = await queue?.boss.getJobById('test-retry', id as string);
      return j?.state === 'completed' ? j : undefined;
    });
    expect(attempts).toBe(2);
    expect(job.retryCount).toBe(1);
  }, 90_000);

  it('keeps one queued refresh per customer, while other customers queue freely', async () => {
    db = await open();
    queue = await startJobQueue({ db, databaseUrl: db.url, sendOnly: true });
    const a = await queue.send(QUEUES.receivablesRefresh.name, { c: 1 }, { singletonKey: 'xero:c1' });
    const b = await queue.send(QUEUES.receivablesRefresh.name, { c: 1 }, { singletonKey: 'xero:c1' });
    const c = await queue.send(QUEUES.receivablesRefresh.name, { c: 2 }, { singletonKey: 'xero:c2' });
    expect(a).not.toBeNull();
    expect(b).toBeNull();
    expect(c).not.toBeNull();
  }, 90_000);

  it('refuses a job without a key on a per-key queue instead of silently dropping it', async () => {
    db = await open();
    queue = await startJobQueue({ db, databaseUrl: db.url, sendOnly: true });
    const q = queue;
    expect(() => q.send(QUEUES.receivablesRefresh.name, { c: 1 })).toThrow('needs a singletonKey');
  }, 90_000);
});
