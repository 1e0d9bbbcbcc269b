import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { backfillEta, budgetOf, formatDuration, windowTimeMs } from '../../src/jobs/backfill-eta.js';
import { VENDOR_LIMITS } from '../../src/jobs/rate-limit.js';

const hubspot = { api: 'hubspot', windows: [{ ms: 10_000, max: 100 }] };
const quickbooks = budgetOf('quickbooks', VENDOR_LIMITS.quickbooks('realm'));
const xero = budgetOf('xero', VENDOR_LIMITS.xero('tenant'));

describe('backfillEta', () => {
  it('is set by HubSpot for a QuickBooks portal: 10,000 deals × 8 calls at 100 per 10 s take 800 s less one window', () => {
    const eta = backfillEta({
      remainingDeals: 10_000,
      callsPerDeal: { hubspot: 8, quickbooks: 2 },
      budgets: [hubspot, quickbooks],
    });
    expect(eta.binding).toBe('hubspot');
    expect(eta.etaMs).toBe(7_990_000);
    expect(eta.dealsPerMinute).toBe(75);
    // QuickBooks alone: 20,000 calls at 500 a minute.
    expect(eta.byApi.quickbooks).toBe(39 * 60_000);
  });

  it("is set by Xero's daily cap once a backfill needs more than 5,000 Xero calls", () => {
    const eta = backfillEta({
      remainingDeals: 10_000,
      callsPerDeal: { hubspot: 8, xero: 2 },
      budgets: [hubspot, xero],
    });
    expect(eta.binding).toBe('xero');
    // 20,000 calls: three full days of 5,000 after the first 5,000.
    expect(eta.etaMs).toBe(3 * 86_400_000);
  });

  it('a small backfill fits in the first window of every budget and is done at once', () => {
    const eta = backfillEta({
      remainingDeals: 10,
      callsPerDeal: { hubspot: 8, quickbooks: 2 },
      budgets: [hubspot, quickbooks],
    });
    expect(eta.etaMs).toBe(0);
  });

  it('nothing left is no time, whatever the budgets', () => {
    expect(backfillEta({ remainingDeals: 0, callsPerDeal: { hubspot: 8 }, budgets: [hubspot] }).etaMs).toBe(0);
  });

  it('uses the observed pace when the run is slower than its budgets allow', () => {
    const eta = backfillEta({
      remainingDeals: 100,
      callsPerDeal: { hubspot: 8 },
      budgets: [{ api: 'hubspot', windows: [{ ms: 1_000, max: 1_000 }] }],
      observed: { deals: 10, elapsedMs: 5_000 },
    });
    expect(eta.binding).toBe('observed pace');
    expect(eta.etaMs).toBe(50_000);
  });

  it('ignores the observed pace of the first few deals', () => {
    const eta = backfillEta({
      remainingDeals: 100,
      callsPerDeal: { hubspot: 8 },
      budgets: [hubspot],
      observed: { deals: 2, elapsedMs: 60_000 },
    });
    expect(eta.binding).toBe('hubspot');
  });

  it('never promises more calls per window than any budget allows (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 100, max: 100_000 }),
        (deals, perDeal, max, ms) => {
          const eta = backfillEta({
            remainingDeals: deals,
            callsPerDeal: { api: perDeal },
            budgets: [{ api: 'api', windows: [{ ms, max }] }],
          });
          // Within etaMs + one window, at most max calls per window fit: (eta / ms + 1) × max ≥ calls.
          expect((eta.etaMs / ms + 1) * max).toBeGreaterThanOrEqual(deals * perDeal);
          // And it is not padded: one window less would not be enough.
          if (eta.etaMs > 0) expect((eta.etaMs / ms) * max).toBeLessThan(deals * perDeal);
        },
      ),
    );
  });
});

describe('windowTimeMs and formatDuration', () => {
  it('counts whole windows after the first burst', () => {
    expect(windowTimeMs(100, { ms: 10_000, max: 100 })).toBe(0);
    expect(windowTimeMs(101, { ms: 10_000, max: 100 })).toBe(10_000);
    expect(windowTimeMs(0, { ms: 10_000, max: 100 })).toBe(0);
  });

  it('reads like a person would say it', () => {
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
  });
});
