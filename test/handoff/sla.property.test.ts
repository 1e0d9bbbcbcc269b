import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from '@jest/globals';
import { getISODay } from 'date-fns';
import fc from 'fast-check';
import { businessTimeBetween, slaDueAt } from '../../src/handoff/sla.js';

const numRuns = Number(process.env.FAST_CHECK_RUNS ?? 200);
const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Asia/Dubai'];

const arbitrarySla = fc.record({
  hours: fc.integer({ min: 1, max: 120 }),
  startHour: fc.integer({ min: 6, max: 11 }),
  length: fc.integer({ min: 4, max: 10 }),
  days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
});

describe('business-hour SLA properties', () => {
  it('gives exactly the SLA hours of working time between submission and due time, ending inside working hours', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        arbitrarySla,
        (submittedAt, timeZone, s) => {
          const pad = (n: number) => String(n).padStart(2, '0');
          const businessHours = {
            start: `${pad(s.startHour)}:00`,
            end: `${pad(s.startHour + s.length)}:00`,
            days: s.days,
          };
          const due = slaDueAt({ submittedAt, sla: { hours: s.hours, calendar: 'business', businessHours }, timeZone });
          expect(due.getTime()).toBeGreaterThan(submittedAt.getTime());
          expect(businessTimeBetween({ from: submittedAt, to: due, businessHours, timeZone })).toBe(
            s.hours * 3_600_000,
          );
          const local = new TZDate(due.getTime(), timeZone);
          const msOfDay =
            ((local.getHours() * 60 + local.getMinutes()) * 60 + local.getSeconds()) * 1000 + local.getMilliseconds();
          expect(s.days).toContain(getISODay(local));
          expect(msOfDay).toBeGreaterThan(s.startHour * 3_600_000);
          expect(msOfDay).toBeLessThanOrEqual((s.startHour + s.length) * 3_600_000);
        },
      ),
      { numRuns },
    );
  });
});
