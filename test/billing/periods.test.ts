import { describe, expect, it } from '@jest/globals';
import {
  ANNUAL,
  annualPeriods,
  intervalMonths,
  MONTHLY,
  monthlyPeriods,
  QUARTERLY,
  quarterlyPeriods,
  servicePeriods,
} from '../../src/billing/periods.js';
import { plusDays } from '../../src/core/dates.js';
import { caught } from './fixtures.js';

const spans = (ps: Array<{ start: string; end: string }>) => ps.map((p) => `${p.start}..${p.end}`);

describe('monthly periods', () => {
  it('clamps a Jan 31 term to month ends from the anchor: Jan 31–Feb 27, Feb 28–Mar 30, Mar 31–Apr 29', () => {
    expect(spans(monthlyPeriods('2026-01-31', '2026-06-29'))).toEqual([
      '2026-01-31..2026-02-27',
      '2026-02-28..2026-03-30',
      '2026-03-31..2026-04-29',
      '2026-04-30..2026-05-30',
      '2026-05-31..2026-06-29',
    ]);
  });

  it('uses Feb 29 as the boundary in a leap year', () => {
    expect(spans(monthlyPeriods('2024-01-31', '2024-03-30'))).toEqual([
      '2024-01-31..2024-02-28',
      '2024-02-29..2024-03-30',
    ]);
  });

  it('runs a term starting on Feb 29 from the 29th, clamped only where a month is shorter', () => {
    expect(spans(monthlyPeriods('2024-02-29', '2024-05-28'))).toEqual([
      '2024-02-29..2024-03-28',
      '2024-03-29..2024-04-28',
      '2024-04-29..2024-05-28',
    ]);
  });

  it('cuts the last period at the end date and keeps the whole period as the proration basis', () => {
    const ps = monthlyPeriods('2026-01-01', '2026-02-14');
    expect(ps.at(-1)).toEqual({
      number: 2,
      start: '2026-02-01',
      end: '2026-02-14',
      fullStart: '2026-02-01',
      fullEnd: '2026-02-28',
    });
  });

  it('aligns to calendar months with partial first and last periods', () => {
    const ps = monthlyPeriods('2026-01-22', '2026-03-10', 'calendar');
    expect(ps).toEqual([
      { number: 1, start: '2026-01-22', end: '2026-01-31', fullStart: '2026-01-01', fullEnd: '2026-01-31' },
      { number: 2, start: '2026-02-01', end: '2026-02-28', fullStart: '2026-02-01', fullEnd: '2026-02-28' },
      { number: 3, start: '2026-03-01', end: '2026-03-10', fullStart: '2026-03-01', fullEnd: '2026-03-31' },
    ]);
  });

  it('gives a one-day term one period of one day', () => {
    expect(spans(monthlyPeriods('2026-05-05', '2026-05-05'))).toEqual(['2026-05-05..2026-05-05']);
  });
});

describe('quarterly periods', () => {
  it('runs three months from the anchor with the month-end clamp', () => {
    expect(spans(quarterlyPeriods('2026-01-31', '2027-01-30'))).toEqual([
      '2026-01-31..2026-04-29',
      '2026-04-30..2026-07-30',
      '2026-07-31..2026-10-30',
      '2026-10-31..2027-01-30',
    ]);
  });

  it('aligns to calendar quarters starting in January, April, July and October', () => {
    const ps = quarterlyPeriods('2026-02-15', '2026-11-20', 'calendar');
    expect(ps.map((p) => [p.start, p.end, p.fullStart, p.fullEnd])).toEqual([
      ['2026-02-15', '2026-03-31', '2026-01-01', '2026-03-31'],
      ['2026-04-01', '2026-06-30', '2026-04-01', '2026-06-30'],
      ['2026-07-01', '2026-09-30', '2026-07-01', '2026-09-30'],
      ['2026-10-01', '2026-11-20', '2026-10-01', '2026-12-31'],
    ]);
  });
});

describe('annual periods', () => {
  it('renews a Feb 29 start on Feb 28 in common years and on Feb 29 in the next leap year', () => {
    expect(spans(annualPeriods('2024-02-29', '2028-02-28'))).toEqual([
      '2024-02-29..2025-02-27',
      '2025-02-28..2026-02-27',
      '2026-02-28..2027-02-27',
      '2027-02-28..2028-02-28',
    ]);
  });

  it('aligns to calendar years with partial first and last years', () => {
    expect(spans(annualPeriods('2026-07-01', '2028-03-31', 'calendar'))).toEqual([
      '2026-07-01..2026-12-31',
      '2027-01-01..2027-12-31',
      '2028-01-01..2028-03-31',
    ]);
  });
});

describe('every interval', () => {
  it('covers each day of the term exactly once, in numbered order', () => {
    for (const interval of [MONTHLY, QUARTERLY, ANNUAL]) {
      for (const alignment of ['term', 'calendar'] as const) {
        const ps = interval.periods('2025-11-30', '2029-03-01', alignment);
        expect(ps[0]?.start).toBe('2025-11-30');
        expect(ps.at(-1)?.end).toBe('2029-03-01');
        ps.forEach((p, k) => {
          expect(p.number).toBe(k + 1);
          expect(p.fullStart <= p.start && p.start <= p.end && p.end <= p.fullEnd).toBe(true);
          if (k > 0) expect(p.start).toBe(plusDays(ps[k - 1]?.end as string, 1));
        });
      }
    }
  });

  it('knows the months in each interval', () => {
    expect([intervalMonths('monthly'), intervalMonths('quarterly'), intervalMonths('annual')]).toEqual([1, 3, 12]);
    expect(servicePeriods('quarterly', '2026-01-01', '2026-12-31')).toHaveLength(4);
  });
});

describe('bad input to periods', () => {
  it('names an unknown interval', () => {
    const e = caught(() => servicePeriods('weekly' as 'monthly', '2026-01-01', '2026-12-31'));
    expect(e).toMatchObject({
      code: 'invalid_input',
      path: 'interval',
      message: 'interval: must be monthly, quarterly or annual',
    });
  });

  it('names an impossible start date', () => {
    expect(caught(() => monthlyPeriods('2026-02-30', '2026-12-31'))).toMatchObject({
      code: 'invalid_input',
      path: 'startDate',
      message: 'startDate: is not a real calendar date',
    });
  });

  it('refuses an end date before the start date', () => {
    expect(caught(() => annualPeriods('2026-05-01', '2026-04-30'))).toMatchObject({
      path: 'endDate',
      message: 'endDate: must be on or after the start date',
    });
  });
});
