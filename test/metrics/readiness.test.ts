import { describe, expect, it } from '@jest/globals';
import { durationStats, readinessDurations } from '../../src/metrics/index.js';
import { thrown } from '../receivables/fixtures.js';

const H = 3_600_000;
const at = (hoursAfterClose: number) => new Date(Date.UTC(2026, 2, 1) + hoursAfterClose * H);

describe('readinessDurations', () => {
  it('matches hand-computed median and p90 for each step from close to first invoice', () => {
    const closedAt = at(0);
    const metrics = readinessDurations([
      { dealId: 'd1', closedAt, billingLiveAt: at(24), firstInvoiceAt: at(36) },
      { dealId: 'd2', closedAt, billingLiveAt: at(48), firstInvoiceAt: at(96) },
      { dealId: 'd3', closedAt, billingLiveAt: at(72) },
      { dealId: 'd4', closedAt: closedAt.toISOString() },
    ]);
    expect(metrics).toEqual({
      dealCount: 4,
      // [24, 48, 72]: median 48; p90 is rank ⌈0.9 × 3⌉ = 3 → 72
      closeToBillingLive: { count: 3, medianHours: 48, p90Hours: 72, medianDays: 2, p90Days: 3 },
      // [12, 48]: median (12 + 48) / 2 = 30; p90 rank ⌈1.8⌉ = 2 → 48
      billingLiveToFirstInvoice: { count: 2, medianHours: 30, p90Hours: 48, medianDays: 1.25, p90Days: 2 },
      // [36, 96]: median 66; p90 96
      closeToFirstInvoice: { count: 2, medianHours: 66, p90Hours: 96, medianDays: 2.75, p90Days: 4 },
      awaitingBillingSetup: 1,
      awaitingFirstInvoice: 2,
    });
  });

  it('reports nulls, not zeros, when no deal has reached a step', () => {
    const metrics = readinessDurations([{ dealId: 'd1', closedAt: at(0) }]);
    expect(metrics.closeToBillingLive).toEqual({
      count: 0,
      medianHours: null,
      p90Hours: null,
      medianDays: null,
      p90Days: null,
    });
    expect(readinessDurations([]).dealCount).toBe(0);
  });

  it('accepts ISO strings with an offset and measures real elapsed time', () => {
    const metrics = readinessDurations([
      { dealId: 'd1', closedAt: '2026-03-01T09:00:00-05:00', billingLiveAt: '2026-03-01T15:30:00Z' },
    ]);
    expect(metrics.closeToBillingLive.medianHours).toBe(1.5);
  });

  it('names the fact at fault: a first invoice before the close', () => {
    const e = thrown(() =>
      readinessDurations([
        { dealId: 'd1', closedAt: at(0) },
        { dealId: 'd2', closedAt: at(10), firstInvoiceAt: at(5) },
      ]),
    );
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('deals[1].firstInvoiceAt');
    expect(e.issues[0]?.message).toBe('must not be before closedAt');
  });

  it('refuses a local time without a zone, and a repeated deal', () => {
    const zone = thrown(() => readinessDurations([{ dealId: 'd1', closedAt: '2026-03-01T09:00:00' }]));
    expect(zone.path).toBe('deals[0].closedAt');
    expect(zone.issues[0]?.message).toBe('must be a date-time with a zone, e.g. 2026-03-01T09:30:00Z');
    const twice = thrown(() =>
      readinessDurations([
        { dealId: 'd1', closedAt: at(0) },
        { dealId: 'd1', closedAt: at(1) },
      ]),
    );
    expect(twice.path).toBe('deals[1].dealId');
  });
});

describe('durationStats', () => {
  it('uses the nearest-rank p90 and the mean of the middle pair for an even count', () => {
    const hours = [5, 1, 9, 3, 7, 2, 10, 4, 8, 6]; // sorted 1…10: median 5.5, p90 rank 9 → 9
    expect(durationStats(hours.map((h) => h * H))).toEqual({
      count: 10,
      medianHours: 5.5,
      p90Hours: 9,
      medianDays: 0.23,
      p90Days: 0.38,
    });
  });

  it('refuses negative durations', () => {
    expect(thrown(() => durationStats([H, -1])).path).toBe('durationsMs[1]');
  });
});
