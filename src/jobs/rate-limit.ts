import type { Db } from '../store/db.js';

/**
 * A rate budget held in the database, so that every worker process draws on one budget per vendor tenant:
 * a sliding log of calls for each window (per minute, per day…) and leases for concurrent calls. Checks for one
 * key are serialised with a transaction-scoped advisory lock, so two workers can never both take the last slot.
 */
export interface RateLimitSpec {
  /** e.g. `xero:<tenantId>`, `quickbooks:<realmId>`, `hubspot:<portalId>`. */
  key: string;
  windows: ReadonlyArray<{ ms: number; max: number }>;
  maxConcurrent?: number;
  /** A lease left by a crashed worker frees itself after this long. */
  leaseMs?: number;
}

export type Acquired = { granted: true; release: () => Promise<void> } | { granted: false; retryAfterMs: number };

/** The documented per-tenant limits of each vendor (VENDOR-FACTS.md), used unless a test lowers them. */
export const VENDOR_LIMITS = {
  quickbooks: (realmId: string): RateLimitSpec => ({
    key: `quickbooks:${realmId}`,
    windows: [{ ms: 60_000, max: 500 }],
    maxConcurrent: 10,
  }),
  xero: (tenantId: string): RateLimitSpec => ({
    key: `xero:${tenantId}`,
    windows: [
      { ms: 60_000, max: 60 },
      { ms: 86_400_000, max: 5_000 },
    ],
    maxConcurrent: 5,
  }),
  stripe: (accountId: string, live = false): RateLimitSpec => ({
    key: `stripe:${accountId}`,
    windows: [{ ms: 1_000, max: live ? 100 : 25 }],
  }),
  hubspot: (portalId: number | string): RateLimitSpec => ({
    key: `hubspot:${portalId}`,
    windows: [{ ms: 10_000, max: 100 }],
  }),
} as const;

/**
 * Takes one call from the budget (and a concurrency lease) if every window has room; otherwise says how long to wait.
 * @example const a = await acquire(db, VENDOR_LIMITS.xero(tenantId)); if (a.granted) { try { … } finally { await a.release(); } }
 */
export async function acquire(db: Db, spec: RateLimitSpec): Promise<Acquired> {
  const longest = Math.max(...spec.windows.map((w) => w.ms));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [spec.key]);
    const [clock] = await tx.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const now = new Date(clock?.now ?? Date.now());
    let wait = 0;
    for (const w of spec.windows) {
      if (w.max <= 0) {
        wait = Math.max(wait, w.ms);
        continue;
      }
      const since = new Date(now.getTime() - w.ms);
      const rows = await tx.query<{ n: string; oldest: Date | null }>(
        `SELECT count(*) AS n, min(at) AS oldest FROM (
           SELECT at FROM rate_limit_calls WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3
         ) recent`,
        [spec.key, since, w.max],
      );
      const n = Number(rows[0]?.n ?? 0);
      if (n >= w.max && rows[0]?.oldest) {
        wait = Math.max(wait, new Date(rows[0].oldest).getTime() + w.ms - now.getTime() + 1);
      }
    }
    let leaseId: string | undefined;
    if (wait === 0 && spec.maxConcurrent !== undefined) {
      await tx.query('DELETE FROM rate_limit_leases WHERE key = $1 AND expires_at <= $2', [spec.key, now]);
      const [active] = await tx.query<{ n: string }>('SELECT count(*) AS n FROM rate_limit_leases WHERE key = $1', [
        spec.key,
      ]);
      if (Number(active?.n ?? 0) >= spec.maxConcurrent) {
        wait = 50; // a lease frees when a call ends; poll briefly
      } else {
        const [lease] = await tx.query<{ lease_id: string }>(
          'INSERT INTO rate_limit_leases (key, expires_at) VALUES ($1, $2) RETURNING lease_id',
          [spec.key, new Date(now.getTime() + (spec.leaseMs ?? 120_000))],
        );
        leaseId = lease?.lease_id;
      }
    }
    if (wait > 0) return { granted: false as const, retryAfterMs: wait };
    await tx.query('INSERT INTO rate_limit_calls (key, at) VALUES ($1, $2)', [spec.key, now]);
    // Keep the log short: nothing older than the longest window matters.
    await tx.query('DELETE FROM rate_limit_calls WHERE key = $1 AND at < $2', [
      spec.key,
      new Date(now.getTime() - longest),
    ]);
    return {
      granted: true as const,
      release: async () => {
        if (leaseId)
          await db.query('DELETE FROM rate_limit_leases WHERE key = $1 AND lease_id = $2', [spec.key, leaseId]);
      },
    };
  });
}

/**
 * Runs `fn` once the budget allows, waiting as long as the budget says (up to `maxWaitMs`), and always releases.
 * @example await withRateLimit(db, VENDOR_LIMITS.quickbooks(realm), () => qbo.createInvoice(draft, key));
 */
export async function withRateLimit<T>(
  db: Db,
  spec: RateLimitSpec,
  fn: () => Promise<T>,
  options: { maxWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (options.maxWaitMs ?? 120_000);
  for (;;) {
    const a = await acquire(db, spec);
    if (a.granted) {
      try {
        return await fn();
      } finally {
        await a.release();
      }
    }
    if (Date.now() + a.retryAfterMs > deadline) {
      throw new RateBudgetExhausted(spec.key, a.retryAfterMs);
    }
    await sleep(a.retryAfterMs);
  }
}

/** The budget will not allow a call within the caller's patience; the job is retried later. */
export class RateBudgetExhausted extends Error {
  constructor(
    readonly key: string,
    readonly retryAfterMs: number,
  ) {
    super(`rate budget for ${key} exhausted; next call allowed in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'RateBudgetExhausted';
  }
}
