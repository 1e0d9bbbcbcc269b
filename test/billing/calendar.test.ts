import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  addMonths,
  dayFromNumber,
  dayNumber,
  daysInclusive,
  ScheduleDaySchema,
} from '../../src/billing/calendar.js';
import { CalendarDaySchema, daysBetween, plusDays, plusMonths } from '../../src/core/dates.js';

describe('billing calendar arithmetic', () => {
  it('agrees with core plusMonths on every day of 2023–2029 for 0 to 60 months', () => {
    const mismatches: string[] = [];
    for (let d = 0; d < 7 * 365; d += 1) {
      const anchor = plusDays('2023-01-01', d);
      for (const n of [0, 1, 2, 3, 6, 11, 12, 13, 24, 59, 60]) {
        if (addMonths(anchor, n) !== plusMonths(anchor, n)) mismatches.push(`${anchor}+${n}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with core day arithmetic across leap days and year ends', () => {
    for (const [day, n] of [
      ['2024-02-28', 1],
      ['2024-02-29', 1],
      ['2026-12-31', 1],
      ['2026-03-01', -1],
      ['1999-12-31', 1],
    ] as const) {
      expect(addDays(day, n)).toBe(plusDays(day, n));
    }
    expect(dayNumber('2026-03-01') - dayNumber('2024-02-29')).toBe(daysBetween('2024-02-29', '2026-03-01'));
    expect(dayFromNumber(dayNumber('2028-02-29'))).toBe('2028-02-29');
    expect(daysInclusive('2024-02-01', '2024-02-29')).toBe(29);
  });

  it('validates days exactly like core', () => {
    for (const s of ['2026-02-29', '2024-02-29', '2026-13-01', '26-01-01', '2026-04-31', '2026-04-30']) {
      expect(ScheduleDaySchema.safeParse(s).success).toBe(CalendarDaySchema.safeParse(s).success);
    }
  });
});
