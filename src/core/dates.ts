import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, format, getDaysInMonth, lastDayOfMonth } from 'date-fns';
import { z } from 'zod';
import { DomainError } from './errors.js';

/**
 * A calendar day, `YYYY-MM-DD`, with no time and no zone: contract start, due date, renewal date.
 * Arithmetic on days happens in UTC so that it never shifts with the process's zone.
 */
export type CalendarDay = string;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  // Plain UTC arithmetic (a day rolls over when it does not exist): this runs for every date field of every
  // validation, and a time-zone-aware date here cost more than the rest of a handoff evaluation.
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo && date.getUTCDate() === d;
}

/** zod schema for a calendar day. */
export const CalendarDaySchema = z
  .string()
  .regex(DAY_RE, 'must be a date written YYYY-MM-DD')
  .refine(isRealDay, { message: 'is not a real calendar date' });

/** An IANA time zone such as `America/New_York`. */
export const TimeZoneSchema = z.string().refine(isTimeZone, { message: 'is not a known IANA time zone' });

// Known zones only (there are a few hundred), so hostile input cannot grow it.
const knownZones = new Set<string>();

function isTimeZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  knownZones.add(tz);
  return true;
}

/** A Date at midnight UTC of the calendar day. @example parseDay('2026-02-28') */
export function parseDay(day: CalendarDay): TZDate {
  const m = DAY_RE.exec(day);
  if (!m || !isRealDay(day)) throw new DomainError('invalid_input', `"${day}" is not a date written YYYY-MM-DD`);
  return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 'UTC');
}

/** The calendar day of a UTC-midnight date. */
export function formatDay(d: Date): CalendarDay {
  return format(new TZDate(d, 'UTC'), 'yyyy-MM-dd');
}

/** day + n days. @example plusDays('2026-12-30', 3) // '2027-01-02' */
export function plusDays(day: CalendarDay, n: number): CalendarDay {
  return formatDay(addDays(parseDay(day), n));
}

/**
 * anchor + n months, clamped to the month's last day (Jan 31 + 1 → Feb 28). Always computed from the anchor,
 * never chained, so a schedule anchored on the 31st returns to the 31st in long months.
 * @example plusMonths('2026-01-31', 1) // '2026-02-28'
 */
export function plusMonths(anchor: CalendarDay, n: number): CalendarDay {
  return formatDay(addMonths(parseDay(anchor), n));
}

/** Whole days from a to b (b − a). @example daysBetween('2026-01-01', '2026-01-31') // 30 */
export function daysBetween(a: CalendarDay, b: CalendarDay): number {
  // Epoch-day arithmetic: this runs for every invoice of every customer, so it skips date-object churn.
  return epochDay(b) - epochDay(a);
}

function epochDay(day: CalendarDay): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new DomainError('invalid_input', `"${day}" is not a date written YYYY-MM-DD`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new DomainError('invalid_input', `"${day}" is not a real calendar date`);
  }
  return ms / 86_400_000;
}

/** Number of days in the month of `day`. */
export function daysInMonth(day: CalendarDay): number {
  return getDaysInMonth(parseDay(day));
}

/** Last day of the month of `day`. */
export function endOfMonthDay(day: CalendarDay): CalendarDay {
  return formatDay(lastDayOfMonth(parseDay(day)));
}

/** Earlier / later of two days. */
export function minDay(a: CalendarDay, b: CalendarDay): CalendarDay {
  return a <= b ? a : b;
}
export function maxDay(a: CalendarDay, b: CalendarDay): CalendarDay {
  return a >= b ? a : b;
}

/**
 * The calendar day it is in `timeZone` at the instant `now` — "today" for a portal.
 * @example todayIn('Asia/Tokyo', new Date('2026-03-01T20:00:00Z')) // '2026-03-02'
 */
export function todayIn(timeZone: string, now: Date): CalendarDay {
  return format(new TZDate(now.getTime(), timeZone), 'yyyy-MM-dd');
}

/** The instant at which `day` begins in `timeZone`. */
export function startOfDayIn(day: CalendarDay, timeZone: string): Date {
  const m = DAY_RE.exec(day);
  if (!m) throw new DomainError('invalid_input', `"${day}" is not a date written YYYY-MM-DD`);
  return new Date(new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), timeZone).getTime());
}
