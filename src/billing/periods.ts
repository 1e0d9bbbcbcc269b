import { z } from 'zod';
import { type CalendarDay, CalendarDaySchema } from '../core/dates.js';
import { parseInput } from '../core/validate.js';
import { addDays, addMonths } from './calendar.js';
import { type BillingInterval, BillingIntervalSchema } from './plan.js';

/**
 * Service periods of a billing term.
 *
 * Month-end clamp (the one rule every interval uses): period k of a term runs from `anchor + k·n months` to the day
 * before `anchor + (k+1)·n months`, each boundary computed from the anchor with core/dates' `plusMonths` and never
 * chained from the previous boundary. A monthly term starting Jan 31 therefore has periods Jan 31–Feb 27,
 * Feb 28–Mar 30, Mar 31–Apr 29, Apr 30–May 30, …: boundaries fall on the 31st, or on the last day of shorter months,
 * and a schedule anchored on the 31st returns to the 31st whenever the month has one. In a leap year the Feb 29
 * boundary is used (Jan 31 2024 → Jan 31–Feb 28, Feb 29–Mar 30). An annual term starting Feb 29 renews on Feb 28 in
 * common years and on Feb 29 again in the next leap year.
 *
 * Alignment: `term` anchors on the start date, so every period is whole except a last one cut short by the end
 * date. `calendar` anchors on the first day of the calendar month / quarter (Jan, Apr, Jul, Oct) / year containing
 * the start date, so the first and last periods are usually partial.
 *
 * Each period carries the whole period it belongs to (`fullStart`–`fullEnd`): that is the proration denominator.
 */

export type PeriodAlignment = 'term' | 'calendar';

/** One billing period: the days billed and the whole period they belong to (all days inclusive). */
export interface ServicePeriod {
  /** 1-based position in the term; ramp steps (`fromPeriod`) count with it. */
  number: number;
  start: CalendarDay;
  end: CalendarDay;
  fullStart: CalendarDay;
  fullEnd: CalendarDay;
}

/** The period interface every interval implements. */
export interface PeriodInterval {
  readonly interval: BillingInterval;
  readonly months: number;
  /** The service periods of the term [startDate, endDate]. */
  periods(startDate: CalendarDay, endDate: CalendarDay, alignment?: PeriodAlignment): ServicePeriod[];
}

const TermSchema = z
  .object({
    startDate: CalendarDaySchema,
    endDate: CalendarDaySchema,
    alignment: z.enum(['term', 'calendar']),
  })
  .refine((t) => !bothDays(t.startDate, t.endDate) || t.endDate >= t.startDate, {
    path: ['endDate'],
    message: 'must be on or after the start date',
  });

function bothDays(a: string, b: string): boolean {
  return CalendarDaySchema.safeParse(a).success && CalendarDaySchema.safeParse(b).success;
}

function calendarAnchor(startDate: CalendarDay, months: number): CalendarDay {
  const month0 = Number(startDate.slice(5, 7)) - 1;
  const first = month0 - (month0 % months) + 1;
  return `${startDate.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
}

/**
 * Unvalidated period computation for callers that validated the term already (schedule generation).
 * @example computePeriods(1, '2026-01-31', '2026-03-30', 'term').length // 2
 */
export function computePeriods(
  months: number,
  startDate: CalendarDay,
  endDate: CalendarDay,
  alignment: PeriodAlignment,
): ServicePeriod[] {
  const anchor = alignment === 'term' ? startDate : calendarAnchor(startDate, months);
  const out: ServicePeriod[] = [];
  let fullStart = anchor;
  for (let k = 0; fullStart <= endDate; k++) {
    const next = addMonths(anchor, (k + 1) * months);
    const fullEnd = addDays(next, -1);
    if (fullEnd >= startDate) {
      out.push({
        number: out.length + 1,
        start: fullStart < startDate ? startDate : fullStart,
        end: fullEnd > endDate ? endDate : fullEnd,
        fullStart,
        fullEnd,
      });
    }
    fullStart = next;
  }
  return out;
}

function makeInterval(interval: BillingInterval, months: number): PeriodInterval {
  return {
    interval,
    months,
    periods(startDate, endDate, alignment = 'term') {
      const t = parseInput(TermSchema, { startDate, endDate, alignment }, '');
      return computePeriods(months, t.startDate, t.endDate, t.alignment);
    },
  };
}

/** Monthly periods. @example MONTHLY.periods('2026-01-31', '2026-12-31')[1] // { start: '2026-02-28', end: '2026-03-30', … } */
export const MONTHLY: PeriodInterval = makeInterval('monthly', 1);
/** Quarterly periods (three months from the anchor; calendar quarters start Jan, Apr, Jul, Oct). */
export const QUARTERLY: PeriodInterval = makeInterval('quarterly', 3);
/** Annual periods (twelve months from the anchor; calendar years start Jan 1). */
export const ANNUAL: PeriodInterval = makeInterval('annual', 12);

/** The period implementation of each interval. */
export const PERIOD_INTERVALS: Readonly<Record<BillingInterval, PeriodInterval>> = {
  monthly: MONTHLY,
  quarterly: QUARTERLY,
  annual: ANNUAL,
};

/** Months in one period of an interval. @example intervalMonths('quarterly') // 3 */
export function intervalMonths(interval: BillingInterval): number {
  return PERIOD_INTERVALS[parseInput(BillingIntervalSchema, interval, 'interval')].months;
}

/**
 * Monthly service periods of a term.
 * @example monthlyPeriods('2026-01-31', '2026-04-29').map((p) => p.start) // ['2026-01-31', '2026-02-28', '2026-03-31']
 */
export function monthlyPeriods(startDate: CalendarDay, endDate: CalendarDay, alignment?: PeriodAlignment) {
  return MONTHLY.periods(startDate, endDate, alignment);
}

/**
 * Quarterly service periods of a term.
 * @example quarterlyPeriods('2026-02-15', '2026-12-31', 'calendar')[0] // { start: '2026-02-15', end: '2026-03-31', fullStart: '2026-01-01', … }
 */
export function quarterlyPeriods(startDate: CalendarDay, endDate: CalendarDay, alignment?: PeriodAlignment) {
  return QUARTERLY.periods(startDate, endDate, alignment);
}

/**
 * Annual service periods of a term.
 * @example annualPeriods('2024-02-29', '2026-02-27').map((p) => p.end) // ['2025-02-27', '2026-02-27']
 */
export function annualPeriods(startDate: CalendarDay, endDate: CalendarDay, alignment?: PeriodAlignment) {
  return ANNUAL.periods(startDate, endDate, alignment);
}

/**
 * Service periods of a term for any interval.
 * @example servicePeriods('monthly', '2026-01-01', '2026-12-31').length // 12
 */
export function servicePeriods(
  interval: BillingInterval,
  startDate: CalendarDay,
  endDate: CalendarDay,
  alignment: PeriodAlignment = 'term',
): ServicePeriod[] {
  return PERIOD_INTERVALS[parseInput(BillingIntervalSchema, interval, 'interval')].periods(
    startDate,
    endDate,
    alignment,
  );
}
