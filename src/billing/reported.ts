import { z } from 'zod';
import { type CalendarDay, CalendarDaySchema } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { type Money, money, multiplyMoney } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { HourlyComponentSchema, UsageComponentSchema } from './plan.js';
import type { InvoiceLine } from './schedule-model.js';

/**
 * Lines built from what is reported after the schedule was made: usage overage and actual hours. The schedule
 * shows usage at its minimum and hourly work at its cap; these helpers produce the lines that finance adds (overage)
 * or substitutes (hours) when the period's figures arrive.
 */

/** Where the reported line belongs: the plan component and the service period it covers. */
export interface ReportedLineOptions {
  componentIndex?: number;
  periodStart?: CalendarDay;
  periodEnd?: CalendarDay;
}

const OptionsSchema = z
  .object({
    componentIndex: z.number().int().min(0).default(0),
    periodStart: CalendarDaySchema.optional(),
    periodEnd: CalendarDaySchema.optional(),
  })
  .default({ componentIndex: 0 });

function plural(n: number, unit: string): string {
  return `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;
}

function ensureSafe(m: Money, path: string): Money {
  if (!Number.isSafeInteger(m.amount)) {
    throw new DomainError('invalid_input', 'makes an amount too large to invoice exactly', path);
  }
  return m;
}

/**
 * The overage line for a period's reported usage: units beyond the included units × overage unit price
 * (zero when usage stayed within the commitment).
 * @example usageInvoiceLine({ kind: 'usage', minimumPerPeriod: money(500_00, 'USD'), includedUnits: 1000, overageUnitPrice: money(10, 'USD') }, 1250).amount // $25.00
 */
export function usageInvoiceLine(component: unknown, unitsUsed: number, options?: ReportedLineOptions): InvoiceLine {
  const c = parseInput(UsageComponentSchema, component, 'component');
  // A refinement rather than .int(): core/validate.ts words every invalid_type issue as "is required" (zod 4 does
  // not report the input unless asked), which would hide the real problem from the person reporting usage.
  const units = parseInput(
    z
      .number()
      .refine(Number.isSafeInteger, 'must be a whole number of units')
      .refine((n) => n >= 0, 'must not be negative'),
    unitsUsed,
    'unitsUsed',
  );
  const o = parseInput(OptionsSchema, options, 'options');
  const over = Math.max(0, units - c.includedUnits);
  const amount = ensureSafe(multiplyMoney(c.overageUnitPrice, over), 'unitsUsed');
  return {
    componentIndex: o.componentIndex,
    kind: 'usage_overage',
    description: `${c.description}: ${plural(over, c.unitName)} over the ${plural(c.includedUnits, c.unitName)} included (${plural(units, c.unitName)} used)`,
    quantity: over,
    unitPrice: c.overageUnitPrice,
    amount,
    ...(o.periodStart ? { periodStart: o.periodStart } : {}),
    ...(o.periodEnd ? { periodEnd: o.periodEnd } : {}),
  };
}

/**
 * The line for a period's reported hours, billed up to the cap; it replaces the schedule's "maximum billable" line.
 * Hours may have two decimals; the amount is rate × hours rounded half up to the minor unit.
 * @example hourlyInvoiceLine({ kind: 'hourly', rate: money(150_00, 'USD'), capHoursPerPeriod: 40 }, 42.5).amount // $6,000.00 (40 h)
 */
export function hourlyInvoiceLine(component: unknown, hoursWorked: number, options?: ReportedLineOptions): InvoiceLine {
  const c = parseInput(HourlyComponentSchema, component, 'component');
  const hours = parseInput(
    z
      .number()
      .min(0, 'must not be negative')
      .max(1_000_000, 'is more hours than a period can have')
      .refine((h) => Math.abs(h * 100 - Math.round(h * 100)) < 1e-6, 'may have at most two decimals'),
    hoursWorked,
    'hoursWorked',
  );
  const o = parseInput(OptionsSchema, options, 'options');
  const billed = Math.min(hours, c.capHoursPerPeriod);
  const hundredths = Math.round(billed * 100);
  const cents = Math.floor((c.rate.amount * hundredths + 50) / 100);
  const amount = ensureSafe(money(cents, c.rate.currency), 'component.rate');
  const beyond =
    hours > c.capHoursPerPeriod ? `; ${Math.round((hours - billed) * 100) / 100} h over the cap not billed` : '';
  return {
    componentIndex: o.componentIndex,
    kind: 'hourly',
    description: `${c.description}: ${billed} h (cap ${c.capHoursPerPeriod} h${beyond})`,
    quantity: billed,
    unitPrice: c.rate,
    amount,
    ...(o.periodStart ? { periodStart: o.periodStart } : {}),
    ...(o.periodEnd ? { periodEnd: o.periodEnd } : {}),
  };
}
