import { z } from 'zod';
import { type CalendarDay, CalendarDaySchema, daysBetween, endOfMonthDay, plusDays } from '../core/dates.js';

/**
 * Day arithmetic for schedule generation, computed by core/dates and remembered.
 *
 * Why: core/dates goes through date-fns + TZDate, about 50 µs a call. A five-year monthly schedule makes a few
 * hundred such calls and the property suites generate hundreds of thousands of schedules, so each distinct day is
 * converted once (to a day number, by core's `daysBetween`) and arithmetic happens on integers. Month arithmetic
 * applies core's month-end clamp with the month lengths core reports (`endOfMonthDay`): the same rule as core's
 * `plusMonths` — a test checks the two agree day by day. The caches are bounded so that a long-running server
 * does not grow them without limit.
 */

const EPOCH: CalendarDay = '2000-01-01';
const MAX_ENTRIES = 200_000;

const numberOfDay = new Map<CalendarDay, number>();
const dayOfNumber = new Map<number, CalendarDay>();
const lastDayOfMonth = new Map<number, number>();
const realDays = new Map<string, boolean>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, value);
  return value;
}

/** Days since 2000-01-01 (negative before). @example dayNumber('2000-01-02') // 1 */
export function dayNumber(day: CalendarDay): number {
  return numberOfDay.get(day) ?? remember(numberOfDay, day, daysBetween(EPOCH, day));
}

/** The day with this day number. @example dayFromNumber(1) // '2000-01-02' */
export function dayFromNumber(n: number): CalendarDay {
  return dayOfNumber.get(n) ?? remember(dayOfNumber, n, plusDays(EPOCH, n));
}

/** day + n days. @example addDays('2026-02-28', 1) // '2026-03-01' */
export function addDays(day: CalendarDay, n: number): CalendarDay {
  return dayFromNumber(dayNumber(day) + n);
}

/** Days from a to b, both inclusive. @example daysInclusive('2026-02-01', '2026-02-28') // 28 */
export function daysInclusive(a: CalendarDay, b: CalendarDay): number {
  return dayNumber(b) - dayNumber(a) + 1;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Last day-of-month number of the month `monthIndex` (year × 12 + month − 1). */
function monthLength(monthIndex: number): number {
  const known = lastDayOfMonth.get(monthIndex);
  if (known !== undefined) return known;
  const first = `${pad(Math.floor(monthIndex / 12), 4)}-${pad((monthIndex % 12) + 1, 2)}-01`;
  return remember(lastDayOfMonth, monthIndex, Number(endOfMonthDay(first).slice(8, 10)));
}

/**
 * anchor + n months, clamped to the month's last day, always from the anchor (never chained) — core's rule.
 * @example addMonths('2026-01-31', 1) // '2026-02-28'
 */
export function addMonths(anchor: CalendarDay, n: number): CalendarDay {
  const target = Number(anchor.slice(0, 4)) * 12 + Number(anchor.slice(5, 7)) - 1 + n;
  const day = Math.min(Number(anchor.slice(8, 10)), monthLength(target));
  return `${pad(Math.floor(target / 12), 4)}-${pad((target % 12) + 1, 2)}-${pad(day, 2)}`;
}

function isRealDay(s: string): boolean {
  return realDays.get(s) ?? remember(realDays, s, CalendarDaySchema.safeParse(s).success);
}

/**
 * core's CalendarDaySchema with each answer remembered, for validating schedules handed back to us (hundreds of
 * dates each). Same rules and the same messages as core.
 * @example ScheduleDaySchema.parse('2026-02-28')
 */
export const ScheduleDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isRealDay, { message: 'is not a real calendar date' });
