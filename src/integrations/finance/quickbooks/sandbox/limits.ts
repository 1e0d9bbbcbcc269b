/**
 * QuickBooks' per-realm limits as the sandbox enforces them: at most `requestsPerMinute` requests in any sliding
 * 60-second window and at most `concurrentRequests` in flight; anything beyond is answered 429 ThrottleExceeded.
 * Rejected requests do not count against the window.
 */
export interface SandboxLimits {
  requestsPerMinute: number;
  concurrentRequests: number;
}

/** Intuit's documented production limits. */
export const QUICKBOOKS_LIMITS: SandboxLimits = { requestsPerMinute: 500, concurrentRequests: 10 };

export type Admission = { ok: true; release: () => void } | { ok: false; retryAfterS: number; reason: string };

/** One realm's budget. @example const limiter = createRealmLimiter(QUICKBOOKS_LIMITS, () => new Date()) */
export function createRealmLimiter(limits: SandboxLimits, now: () => Date) {
  let inFlight = 0;
  let window: number[] = [];
  return {
    admit(): Admission {
      const t = now().getTime();
      window = window.filter((at) => at > t - 60_000);
      if (inFlight >= limits.concurrentRequests) {
        return { ok: false, retryAfterS: 1, reason: `more than ${limits.concurrentRequests} concurrent requests` };
      }
      if (window.length >= limits.requestsPerMinute) {
        const oldest = window[0] as number;
        return {
          ok: false,
          retryAfterS: Math.max(1, Math.ceil((oldest + 60_000 - t) / 1000)),
          reason: `more than ${limits.requestsPerMinute} requests in a minute`,
        };
      }
      inFlight++;
      window.push(t);
      let released = false;
      return {
        ok: true,
        release: () => {
          if (!released) inFlight--;
          released = true;
        },
      };
    },
    get inFlight() {
      return inFlight;
    },
    reset() {
      window = [];
    },
  };
}
