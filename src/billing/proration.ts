import { z } from 'zod';
import type { CalendarDay } from '../core/dates.js';
import { fractionOf, type Money, MoneySchema, subtractMoney, zero } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { ScheduleDaySchema as CalendarDaySchema, dayNumber } from './calendar.js';

/**
 * Proration by actual days.
 *
 * A period worth `price` has D days (its whole length, e.g. 28 for February, 92 for Q3). The amount accrued over its
 * first d days is
 *
 *     accrued(d) = fractionOf(price, d, D)        ≈ price × d / D, in whole minor units
 *
 * (fractionOf splits the price into d and D − d shares by allocation, so accrued(d) + (price − accrued(d)) = price
 * exactly; the share is rounded down when d < D/2 and up when d > D/2, which keeps accrued() non-decreasing).
 * Any run of days [from, to] of the period is billed as
 *
 *     amount(from, to) = accrued(to − start + 1) − accrued(from − start)
 *
 * so adjacent runs of one period always add up to exactly the full price: a first-period charge plus the unused
 * share, a cancellation's used share plus its credit, the days before and after an upgrade. Every amount lies
 * between 0 and the full-period price.
 */

/** A whole billing period [start, end], both days inclusive. */
export interface PeriodRange {
  start: CalendarDay;
  end: CalendarDay;
}

/** What a mid-period price change settles for the rest of the period. */
export interface UpgradeProration {
  /** Unused days at the old price, given back (zero or negative). */
  credit: Money;
  /** Remaining days at the new price (zero or positive). */
  charge: Money;
  /** charge + credit. */
  net: Money;
  daysRemaining: number;
  periodDays: number;
}

const PriceSchema = MoneySchema.refine((m) => m.amount >= 0, { path: ['amount'], message: 'must not be negative' });

const PeriodSchema = z
  .object({ start: CalendarDaySchema, end: CalendarDaySchema })
  .refine((p) => p.end >= p.start, { path: ['end'], message: 'must be on or after the period start' });

function dayIn(field: string) {
  return (v: { period: PeriodRange } & Record<string, unknown>, ctx: z.RefinementCtx) => {
    const day = v[field] as string;
    if (day < v.period.start || day > v.period.end) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `must fall within the period ${v.period.start} to ${v.period.end}`,
      });
    }
  };
}

const FirstPeriodArgs = z
  .object({ price: PriceSchema, period: PeriodSchema, serviceStart: CalendarDaySchema })
  .superRefine(dayIn('serviceStart'));

const FinalPeriodArgs = z
  .object({ price: PriceSchema, period: PeriodSchema, lastServiceDay: CalendarDaySchema })
  .superRefine(dayIn('lastServiceDay'));

const DaysArgs = z
  .object({ price: PriceSchema, period: PeriodSchema, from: CalendarDaySchema, to: CalendarDaySchema })
  .superRefine(dayIn('from'))
  .superRefine(dayIn('to'))
  .refine((x) => x.to >= x.from, { path: ['to'], message: 'must be on or after "from"' });

const UpgradeArgs = z
  .object({ oldPrice: PriceSchema, newPrice: PriceSchema, period: PeriodSchema, effectiveDate: CalendarDaySchema })
  .superRefine(dayIn('effectiveDate'))
  .refine((x) => x.oldPrice.currency === x.newPrice.currency, {
    path: ['newPrice', 'currency'],
    message: 'must be the same currency as the old price',
  });

/**
 * Amount for the days [fromOffset, toOffset) of a period of `periodDays` days, without validation: the
 * schedule engine calls it in its inner loop with values it derived itself.
 * @example accruedBetween(money(3100, 'USD'), 0, 10, 31) // $10.00
 */
export function accruedBetween(price: Money, fromOffset: number, toOffset: number, periodDays: number): Money {
  if (fromOffset === 0 && toOffset === periodDays) return { ...price };
  const upTo = fractionOf(price, toOffset, periodDays);
  return fromOffset === 0 ? upTo : subtractMoney(upTo, fractionOf(price, fromOffset, periodDays));
}

/**
 * Amount for the days [from, to] of the whole period `period` (unvalidated; see `prorateDays`).
 * @example amountForDays(money(2800, 'USD'), { start: '2026-02-01', end: '2026-02-28' }, '2026-02-01', '2026-02-14') // $14.00
 */
export function amountForDays(price: Money, period: PeriodRange, from: CalendarDay, to: CalendarDay): Money {
  const start = dayNumber(period.start);
  const periodDays = dayNumber(period.end) - start + 1;
  return accruedBetween(price, dayNumber(from) - start, dayNumber(to) - start + 1, periodDays);
}

/**
 * The price of one whole period: nothing to prorate.
 * @example fullPeriod(money(100_00, 'USD')) // $100.00
 */
export function fullPeriod(price: Money): Money {
  return { ...parseInput(PriceSchema, price, 'price') };
}

/**
 * Charge for a first period that starts after the period's first day (service from `serviceStart` to period end).
 * @example prorateFirstPeriod(money(3100, 'USD'), { start: '2026-01-01', end: '2026-01-31' }, '2026-01-22') // $10.00
 */
export function prorateFirstPeriod(price: Money, period: PeriodRange, serviceStart: CalendarDay): Money {
  const v = parseInput(FirstPeriodArgs, { price, period, serviceStart });
  return amountForDays(v.price, v.period, v.serviceStart, v.period.end);
}

/**
 * Charge for a last period that ends early — a cancellation or a term ending mid-period (service to `lastServiceDay`).
 * @example prorateFinalPeriod(money(3000, 'USD'), { start: '2026-04-01', end: '2026-04-30' }, '2026-04-10') // $10.00
 */
export function prorateFinalPeriod(price: Money, period: PeriodRange, lastServiceDay: CalendarDay): Money {
  const v = parseInput(FinalPeriodArgs, { price, period, lastServiceDay });
  return amountForDays(v.price, v.period, v.period.start, v.lastServiceDay);
}

/**
 * Any run of days [from, to] inside a period, prorated by actual days.
 * @example prorateDays(money(3000, 'USD'), { start: '2026-04-01', end: '2026-04-30' }, '2026-04-11', '2026-04-20') // $10.00
 */
export function prorateDays(price: Money, period: PeriodRange, from: CalendarDay, to: CalendarDay): Money {
  const v = parseInput(DaysArgs, { price, period, from, to });
  return amountForDays(v.price, v.period, v.from, v.to);
}

/**
 * Mid-period price change from `effectiveDate` (the first day at the new price): credit the unused days at the old
 * price, charge the same days at the new price. Works for downgrades too (net is then negative).
 * @example prorateUpgrade(money(3000, 'USD'), money(6000, 'USD'), { start: '2026-04-01', end: '2026-04-30' }, '2026-04-21').net // $10.00
 */
export function prorateUpgrade(
  oldPrice: Money,
  newPrice: Money,
  period: PeriodRange,
  effectiveDate: CalendarDay,
): UpgradeProration {
  const v = parseInput(UpgradeArgs, { oldPrice, newPrice, period, effectiveDate });
  const unused = amountForDays(v.oldPrice, v.period, v.effectiveDate, v.period.end);
  const credit = subtractMoney(zero(unused.currency), unused);
  const charge = amountForDays(v.newPrice, v.period, v.effectiveDate, v.period.end);
  const start = dayNumber(v.period.start);
  return {
    credit,
    charge,
    net: subtractMoney(charge, unused),
    daysRemaining: dayNumber(v.period.end) - dayNumber(v.effectiveDate) + 1,
    periodDays: dayNumber(v.period.end) - start + 1,
  };
}
