import { type CalendarDay, daysBetween, plusDays, plusMonths } from '../core/dates.js';

/**
 * Day arithmetic for schedule generation, computed by core/dates and remembered.
 *
 * Why: core/dates goes through date-fns + TZDate, about 50 µs a call. A five-year monthly schedule makes a few
 * hundred such calls and the property suites generate hundreds of thousands of schedules, so each distinct day is
 * converted once (to a day number) and arithmetic happens on integers. The values still come from core/dates —
 * there is one definition of the calendar and of the month-end clamp in the codebase. The caches are bounded so
 * a long-running server does not grow them without limit.
 */

const EPOCH: CalendarDay = '2000-01-01';
const MAX_ENTRIES = 200_000;

const numberOfDay = new Map<CalendarDay, number>();
const dayOfNumber = new Map<number, CalendarDay>();
const monthsCache = new Map<string, CalendarDay>();

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

/**
 * anchor + n months with core/dates' anchor-based clamp (never chained).
 * @example addMonths('2026-01-31', 1) // '2026-02-28'
 */
export function addMonths(anchor: CalendarDay, n: number): CalendarDay {
  const key = `${anchor}+${n}`;
  return monthsCache.get(key) ?? remember(monthsCache, key, plusMonths(anchor, n));
}
