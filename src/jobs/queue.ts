import { fromPglite, type Job, PgBoss, type SendOptions } from 'pg-boss';
import type { Db } from '../store/db.js';

/**
 * Every queue the app uses, with its retry policy. One place, so that retry behaviour is reviewable.
 * `stately` queues hold at most one queued and one active job per singleton key (a customer, a handoff, a portal):
 * a webhook arriving while that customer's refresh runs queues exactly one more, never a pile.
 */
export const QUEUES = {
  /** HubSpot webhook events, stored before the ack and processed here (stage gate, company changes). */
  hubspotEvents: {
    name: 'hubspot-events',
    policy: 'standard',
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 300,
  },
  /** Billing setup of one accepted handoff in the finance system. */
  billingSetup: {
    name: 'billing-setup',
    policy: 'stately',
    retryLimit: 8,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 1800,
  },
  /** Refresh of one customer's invoices after a finance webhook. */
  receivablesRefresh: {
    name: 'receivables-refresh',
    policy: 'stately',
    retryLimit: 6,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 900,
  },
  /** Issues scheduled invoices whose date or trigger has come (QuickBooks has no drafts). */
  scheduledInvoices: {
    name: 'scheduled-invoices',
    policy: 'stately',
    retryLimit: 6,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 900,
  },
  /** The renewal sweep: renewal handoffs, tasks, reminders and renewal deals due today (src/jobs/renewals.ts). */
  renewals: {
    name: 'renewals',
    policy: 'stately',
    retryLimit: 4,
    retryDelay: 60,
    retryBackoff: true,
    retryDelayMax: 3600,
  },
  /** The reconciliation sweep that catches missed webhooks within the API budget. */
  reconciliation: {
    name: 'reconciliation',
    policy: 'stately',
    retryLimit: 2,
    retryDelay: 60,
    retryBackoff: true,
    retryDelayMax: 3600,
  },
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]['name'];

export interface JobQueue {
  readonly boss: PgBoss;
  /** Queues a job; with a `singletonKey` a second send while the first is queued returns null. */
  send<T extends object>(queue: QueueName, data: T, options?: SendOptions): Promise<string | null>;
  /** Queues one job per item in one statement, under the queue's own retry policy (standard queues only). */
  sendMany<T extends object>(queue: QueueName, items: ReadonlyArray<T>): Promise<void>;
  /** Runs `handler` for each job of `queue` (one at a time per worker unless `localConcurrency` says otherwise). */
  work<T>(
    queue: QueueName,
    handler: (job: Job<T>) => Promise<unknown>,
    options?: { localConcurrency?: number; pollingIntervalSeconds?: number },
  ): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts pg-boss in the app's own database: PGlite through pg-boss's `fromPglite` adapter (over our Db, so
 * jobs and app data share one embedded database), or PostgreSQL through its own pool. Creates every queue.
 * @example const queue = await startJobQueue({ db, databaseUrl: config.databaseUrl });
 */
export async function startJobQueue(options: {
  db: Db;
  databaseUrl?: string | undefined;
  /** Workers and schedulers off: a process that only sends jobs (the web server in a scaled-out deployment). */
  sendOnly?: boolean;
  onError?: (e: Error) => void;
}): Promise<JobQueue> {
  const { db } = options;
  const maintenance = { supervise: !options.sendOnly, schedule: !options.sendOnly, migrate: true };
  const boss =
    db.kind === 'pglite' || !options.databaseUrl
      ? new PgBoss({
          db: fromPglite({
            query: async (sql: string, params?: unknown[]) => ({ rows: await db.query(sql, params ?? []) }),
            exec: async (sql: string) => [{ rows: await db.exec(sql) }],
          }),
          backend: 'pglite',
          ...maintenance,
        })
      : new PgBoss({ connectionString: options.databaseUrl, max: 5, ...maintenance });
  boss.on('error', (e: Error) => options.onError?.(e));
  await boss.start();
  for (const q of Object.values(QUEUES)) {
    const { name, ...policy } = q;
    await boss.createQueue(name, policy);
  }
  return {
    boss,
    send: (queue, data, sendOptions) => {
      const policy = Object.values(QUEUES).find((q) => q.name === queue)?.policy;
      if (policy !== 'standard' && !sendOptions?.singletonKey) {
        // Without a key a stately queue would hold one job for the whole app, silently dropping the rest.
        throw new Error(`queue ${queue} needs a singletonKey on every job`);
      }
      return boss.send(queue, data, sendOptions ?? {});
    },
    sendMany: async (queue, items) => {
      if (items.length === 0) return;
      const policy = Object.values(QUEUES).find((q) => q.name === queue)?.policy;
      if (policy !== 'standard') throw new Error(`queue ${queue} takes one keyed job at a time; use send`);
      await boss.insert(
        queue,
        items.map((data) => ({ data: data as object })),
      );
    },
    work: (queue, handler, workOptions = {}) =>
      boss.work(
        queue,
        {
          batchSize: 1,
          pollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? 1,
          localConcurrency: workOptions.localConcurrency ?? 1,
        },
        async (jobs: Job<never>[]) => {
          for (const job of jobs) await handler(job as unknown as Job<never>);
        },
      ) as Promise<string>,
    stop: () => boss.stop({ graceful: true, timeout: 10_000, close: true }),
  };
}
