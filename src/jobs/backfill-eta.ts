import type { RateLimitSpec } from './rate-limit.js';

/**
 * How long the rest of a backfill will take, from the API budgets it has to stay inside. Pure: no clock, no I/O.
 *
 * Each API the backfill calls has sliding windows (HubSpot: 100 requests per 10 s per portal; QuickBooks: 500 per
 * minute per realm; Xero: 60 per minute and 5,000 per day per tenant; Stripe: 25 or 100 per second). The deals left
 * need `calls per deal × deals` requests of each API; under a window of `max` requests per `ms`, n requests take
 * ⌊(n − 1) / max⌋ windows after the first request (the first `max` go at once, each further `max` one window later),
 * less what the window already allows right now. The slowest API is the binding one and sets the ETA. When the run
 * so far was slower than the budget allows (latency, not budget, is the limit), its observed pace is used instead.
 */

export interface ApiBudget {
  /** e.g. 'hubspot', 'quickbooks'. */
  api: string;
  windows: ReadonlyArray<{ ms: number; max: number }>;
}

export interface EtaInput {
  remainingDeals: number;
  /** Average requests one deal needs, per API (observed so far, or the estimate before the first deal). */
  callsPerDeal: Readonly<Record<string, number>>;
  budgets: ReadonlyArray<ApiBudget>;
  /** The run so far in this session: deals finished and the time they took. */
  observed?: { deals: number; elapsedMs: number };
}

export interface Eta {
  /** Milliseconds until the last deal is done; 0 when none are left. */
  etaMs: number;
  /** The API whose budget sets the pace, or 'observed pace' when the run is slower than any budget. */
  binding: string;
  /** The pace the binding limit allows, in deals per minute (Infinity when no API limits it). */
  dealsPerMinute: number;
  /** Time each API's budget needs for the rest, by API. */
  byApi: Record<string, number>;
}

/** Before any deal has been processed: HubSpot reads the deal, its company association and the company (and a billing
 * contact where there is one), writes the handoff status, and for a linked company reads and writes its payment
 * properties — about 5 on average (the bench measures 4.8); the finance system gets one customer lookup and one
 * invoice listing. The observed averages replace these after the first deal. */
export const ESTIMATED_CALLS_PER_DEAL = { hubspot: 6, finance: 2 } as const;

/** Deals observed before the observed pace is trusted over the budget alone. */
const MIN_OBSERVED_DEALS = 5;

/**
 * Time `calls` requests need under one sliding window of `max` per `ms`. Pure.
 * @example windowTimeMs(250, { ms: 10_000, max: 100 }) // 20000
 */
export function windowTimeMs(calls: number, window: { ms: number; max: number }): number {
  if (!(calls > 0)) return 0;
  if (!(window.max > 0)) return Number.POSITIVE_INFINITY;
  return Math.floor((Math.ceil(calls) - 1) / window.max) * window.ms;
}

/**
 * The budgets of a rate-limit spec (VENDOR_LIMITS) under an API name.
 * @example budgetOf('quickbooks', VENDOR_LIMITS.quickbooks('123')) // { api: 'quickbooks', windows: [{ ms: 60000, max: 500 }] }
 */
export function budgetOf(api: string, spec: Pick<RateLimitSpec, 'windows'>): ApiBudget {
  return { api, windows: spec.windows.map((w) => ({ ms: w.ms, max: w.max })) };
}

/**
 * The ETA of the rest of a backfill and the API that binds it.
 * @example backfillEta({ remainingDeals: 1000, callsPerDeal: { hubspot: 8, quickbooks: 2 }, budgets: [{ api: 'hubspot', windows: [{ ms: 10_000, max: 100 }] }, { api: 'quickbooks', windows: [{ ms: 60_000, max: 500 }] }] }) // { etaMs: 790000, binding: 'hubspot', dealsPerMinute: 75, … }
 */
export function backfillEta(input: EtaInput): Eta {
  const remaining = Math.max(0, Math.ceil(input.remainingDeals));
  const byApi: Record<string, number> = {};
  let binding = 'none';
  let worst = 0;
  let dealsPerMinute = Number.POSITIVE_INFINITY;
  for (const budget of input.budgets) {
    const perDeal = input.callsPerDeal[budget.api] ?? 0;
    if (!(perDeal > 0)) continue;
    const calls = perDeal * remaining;
    const ms = Math.max(0, ...budget.windows.map((w) => windowTimeMs(calls, w)));
    byApi[budget.api] = ms;
    // The sustained pace: the tightest window's requests per minute over this API's calls per deal.
    const pace = Math.min(...budget.windows.map((w) => (w.max / w.ms) * 60_000)) / perDeal;
    if (ms > worst || (ms === worst && pace < dealsPerMinute)) {
      worst = ms;
      binding = budget.api;
    }
    dealsPerMinute = Math.min(dealsPerMinute, pace);
  }
  const observed = input.observed;
  if (observed && observed.deals >= MIN_OBSERVED_DEALS && observed.elapsedMs > 0 && remaining > 0) {
    const observedMs = (observed.elapsedMs / observed.deals) * remaining;
    if (observedMs > worst) {
      return {
        etaMs: Math.round(observedMs),
        binding: 'observed pace',
        dealsPerMinute: (observed.deals / observed.elapsedMs) * 60_000,
        byApi,
      };
    }
  }
  return { etaMs: remaining === 0 ? 0 : worst, binding, dealsPerMinute, byApi };
}

/**
 * A duration as people read it on a progress line.
 * @example formatDuration(3_725_000) // '1 h 02 min'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
