import pRetry from 'p-retry';
import { type HubSpotError, parseHubSpotError } from './errors.js';

/**
 * Why not the SDK's own retry (`numberOfApiCallRetries`): on 429 it waits a fixed 10 s × attempt and only when the
 * body names the TEN_SECONDLY_ROLLING policy, ignoring `Retry-After`; and it retries creates on 5xx, which can
 * write a note twice. Here a 429 waits exactly what HubSpot asked, 5xx and network failures back off
 * exponentially, and non-idempotent calls are retried only when HubSpot certainly did nothing (429).
 */
export interface RetryPolicy {
  /** Further attempts after a 5xx or a network failure. */
  retries: number;
  /** First backoff after a 5xx; doubles each time, with jitter. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** How many 429s in a row we wait out before giving up (they do not use up `retries`). */
  maxRateLimitWaits: number;
  /** Wait after a 429 without Retry-After: HubSpot's budget window is 10 seconds. */
  defaultRetryAfterMs: number;
  /** Never wait longer than this for one Retry-After, whatever the header says. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  minBackoffMs: 500,
  maxBackoffMs: 8_000,
  maxRateLimitWaits: 5,
  defaultRetryAfterMs: 10_000,
  maxRetryAfterMs: 60_000,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one HubSpot request with our retry policy; whatever fails comes out as a HubSpotError.
 * `idempotent: false` (creates) retries only 429s, which HubSpot rejects before doing anything.
 * @example const deals = await withHubSpotRetry(() => api.read(body), { operation: 'deals batch read', idempotent: true });
 */
export async function withHubSpotRetry<T>(
  request: () => Promise<T>,
  options: { operation: string; idempotent: boolean; policy?: Partial<RetryPolicy> },
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  let rateLimitWaits = 0;
  return pRetry(
    async () => {
      try {
        return await request();
      } catch (e) {
        throw parseHubSpotError(e, options.operation);
      }
    },
    {
      // At least one so that a 429 (which uses up no retry) is still retried when 5xx retries are turned off.
      retries: Math.max(1, policy.retries),
      minTimeout: policy.minBackoffMs,
      maxTimeout: policy.maxBackoffMs,
      factor: 2,
      randomize: true,
      shouldConsumeRetry: ({ error }) => (error as HubSpotError).kind !== 'rate_limited',
      onFailedAttempt: async ({ error }) => {
        const e = error as HubSpotError;
        if (e.kind !== 'rate_limited') return;
        rateLimitWaits += 1;
        if (rateLimitWaits > policy.maxRateLimitWaits) throw e;
        await sleep(Math.min(e.retryAfterMs ?? policy.defaultRetryAfterMs, policy.maxRetryAfterMs));
      },
      shouldRetry: ({ error, retriesConsumed }) => {
        const e = error as HubSpotError;
        if (e.kind === 'rate_limited') return true;
        return options.idempotent && e.kind === 'temporary' && retriesConsumed < policy.retries;
      },
    },
  );
}
