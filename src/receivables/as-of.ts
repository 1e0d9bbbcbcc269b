import { z } from 'zod';
import { type CalendarDay, CalendarDaySchema, TimeZoneSchema, todayIn } from '../core/dates.js';

/**
 * "Today" for a portal: either the calendar day itself, or the instant `now` plus the portal's IANA time zone.
 * Callers on the server pass `now` and the zone, because the server's own zone is not the portal's; tests and
 * reports about a fixed day pass `today`.
 */
export type AsOf = { today: CalendarDay } | { now: Date; timeZone: string };

/** The zod fields of AsOf, to be spread into an options schema that is refined with `refineAsOf`. */
export const asOfShape = {
  today: CalendarDaySchema.optional(),
  now: z.date().optional(),
  timeZone: TimeZoneSchema.optional(),
};

interface AsOfFields {
  today?: CalendarDay | undefined;
  now?: Date | undefined;
  timeZone?: string | undefined;
}

interface IssueSink {
  addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void;
}

/**
 * Reports a missing or ambiguous "today" as field issues (used in `superRefine`).
 * @example z.strictObject(asOfShape).superRefine(refineAsOf)
 */
export function refineAsOf(v: AsOfFields, ctx: IssueSink): void {
  if (v.today !== undefined) {
    if (v.now !== undefined || v.timeZone !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['today'], message: 'give either today or now with timeZone, not both' });
    }
    return;
  }
  if (v.now === undefined) {
    ctx.addIssue({ code: 'custom', path: ['now'], message: 'is required (or give today as YYYY-MM-DD)' });
  }
  if (v.timeZone === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['timeZone'],
      message: "is required with now: the portal's IANA time zone, e.g. America/New_York",
    });
  }
}

/**
 * The calendar day that counts as today, from fields already checked by `refineAsOf`.
 * @example resolveToday({ now: new Date('2026-03-01T20:00:00Z'), timeZone: 'Asia/Tokyo' }) // '2026-03-02'
 */
export function resolveToday(v: AsOfFields): CalendarDay {
  if (v.today !== undefined) return v.today;
  if (v.now === undefined || v.timeZone === undefined) throw new Error('resolveToday called before refineAsOf');
  return todayIn(v.timeZone, v.now);
}
