import type { z } from 'zod';
import type { CalendarDay } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { parseInput } from '../core/validate.js';
import { type BillingPlan, BillingPlanSchema, MAX_PLAN_AMOUNT } from './plan.js';
import { assembleSchedule, buildInvoices } from './schedule.js';
import {
  type BillingSchedule,
  BillingScheduleSchema,
  CancellationChangeSchema,
  type ScheduleChange,
  type ScheduledInvoice,
  UpgradeChangeSchema,
} from './schedule-model.js';

/**
 * Mid-cycle changes: an upgrade (new price for one recurring component) or a cancellation (service ends).
 *
 * Policy, by actual days (see proration.ts):
 * - `effectiveDate` is the first day the change applies: the first day at the new price, or the first day without
 *   service (the last day of service is the day before).
 * - Invoices issued before the effective date are kept as they are.
 * - In-advance periods already invoiced when the change happens are settled by one adjustment invoice on the
 *   effective date (key `chg<n>`): a credit for the unused days at the old price, a charge for the same days at the
 *   new price (upgrade only), and a discount adjustment when the period's discount changes. Its total is negative —
 *   a credit note — for cancellations and downgrades.
 * - In-arrears periods have not been invoiced yet: the period's invoice is issued as usual and carries the days
 *   before the change at the old price and the days after at the new price; on cancellation it is issued on the
 *   last day of service and covers the used days only (prorated; an hourly cap stays a whole-period ceiling).
 * - Later periods: at the new price (an upgrade replaces the price for the rest of the term, later ramp steps
 *   included) or removed (cancellation). A cancellation also removes one-off and milestone invoices that have not
 *   been issued before the effective date.
 * - Changes apply in date order; each is recorded in `schedule.changes`, so a second change builds on the first.
 *   Settling a period twice telescopes exactly: what the customer pays for a period is the sum over its days at the
 *   price of each day, to the minor unit.
 */

/** An upgrade or downgrade of one recurring component. */
export interface UpgradeInput {
  effectiveDate: CalendarDay;
  componentIndex: number;
  newPrice: { amount: number; currency: string };
}

/** A cancellation: service ends the day before `effectiveDate`. */
export interface CancellationInput {
  effectiveDate: CalendarDay;
}

const UpgradeInputSchema = UpgradeChangeSchema.omit({ kind: true }).refine(
  (u) => u.newPrice.amount <= MAX_PLAN_AMOUNT,
  {
    path: ['newPrice', 'amount'],
    message: `is too large (at most ${MAX_PLAN_AMOUNT.toLocaleString('en-US')} minor units)`,
  },
);
const CancellationInputSchema = CancellationChangeSchema.omit({ kind: true });

function checkChange(plan: BillingPlan, ch: ScheduleChange, path: string): void {
  if (ch.effectiveDate < plan.startDate || ch.effectiveDate > plan.endDate) {
    throw new DomainError(
      'invalid_input',
      `must fall within the contract term, ${plan.startDate} to ${plan.endDate}`,
      `${path}.effectiveDate`,
    );
  }
  if (ch.kind !== 'upgrade') return;
  const c = plan.components[ch.componentIndex];
  if (!c) {
    throw new DomainError(
      'invalid_input',
      `there is no component ${ch.componentIndex}; the plan has ${plan.components.length}`,
      `${path}.componentIndex`,
    );
  }
  if (c.kind !== 'recurring') {
    throw new DomainError(
      'invalid_input',
      `component ${ch.componentIndex} is a ${c.kind.replace('_', '-')} component; only recurring components change price mid-cycle`,
      `${path}.componentIndex`,
    );
  }
  if (ch.newPrice.currency !== plan.currency) {
    throw new DomainError(
      'invalid_input',
      `must be ${plan.currency}, the plan's currency (got ${ch.newPrice.currency})`,
      `${path}.newPrice.currency`,
    );
  }
}

function checkOrder(previous: ReadonlyArray<ScheduleChange>, ch: ScheduleChange, path: string): void {
  const cancelled = previous.find((p) => p.kind === 'cancellation');
  if (cancelled) {
    throw new DomainError(
      'invalid_transition',
      `the plan is already cancelled from ${cancelled.effectiveDate}; nothing can change after a cancellation`,
      path,
    );
  }
  const last = previous.at(-1);
  if (last && ch.effectiveDate < last.effectiveDate) {
    throw new DomainError(
      'invalid_transition',
      `must be on or after ${last.effectiveDate}, the effective date of the last change; changes apply in date order`,
      `${path}.effectiveDate`,
    );
  }
}

function prepare(planInput: unknown, scheduleInput: unknown) {
  const plan = parseInput(BillingPlanSchema, planInput, 'billingPlan');
  const schedule = parseInput(BillingScheduleSchema, scheduleInput, 'schedule');
  if (schedule.currency !== plan.currency) {
    throw new DomainError(
      'conflict',
      `the schedule is in ${schedule.currency} but the plan is in ${plan.currency}; was it generated from this plan?`,
      'schedule.currency',
    );
  }
  for (const [j, ch] of schedule.changes.entries()) {
    checkChange(plan, ch, `schedule.changes[${j}]`);
    checkOrder(schedule.changes.slice(0, j), ch, `schedule.changes[${j}]`);
  }
  return { plan, schedule };
}

function touches(inv: ScheduledInvoice, componentIndex: number): boolean {
  return inv.lines.some((l) => l.componentIndex === componentIndex);
}

function issuedBefore(inv: ScheduledInvoice, day: CalendarDay): boolean {
  return inv.issueDate !== null && inv.issueDate < day;
}

/**
 * A new schedule after a mid-cycle price change of one recurring component (downgrades too).
 * @example applyUpgrade(plan, schedule, { effectiveDate: '2026-03-16', componentIndex: 0, newPrice: { amount: 200_00, currency: 'USD' } })
 */
export function applyUpgrade(planInput: unknown, scheduleInput: unknown, upgrade: UpgradeInput): BillingSchedule {
  const { plan, schedule } = prepare(planInput, scheduleInput);
  const change: ScheduleChange = { kind: 'upgrade', ...parseInput(UpgradeInputSchema, upgrade, 'change') };
  checkChange(plan, change, 'change');
  checkOrder(schedule.changes, change, 'change');
  const changes = [...schedule.changes, change];
  const k = change.componentIndex;
  const e = change.effectiveDate;
  const kept = schedule.invoices.filter((inv) => issuedBefore(inv, e) || !touches(inv, k));
  const keptKeys = new Set(kept.map((inv) => inv.key));
  const replayed = buildInvoices(plan, changes).filter(
    (inv) => !issuedBefore(inv, e) && touches(inv, k) && !keptKeys.has(inv.key),
  );
  return assembleSchedule(plan.currency, [...kept, ...replayed], changes);
}

/**
 * A new schedule after cancelling the contract from `effectiveDate` (the first day without service).
 * @example applyCancellation(plan, schedule, { effectiveDate: '2026-07-01' })
 */
export function applyCancellation(
  planInput: unknown,
  scheduleInput: unknown,
  cancellation: CancellationInput,
): BillingSchedule {
  const { plan, schedule } = prepare(planInput, scheduleInput);
  const change: ScheduleChange = {
    kind: 'cancellation',
    ...parseInput(CancellationInputSchema, cancellation, 'change'),
  };
  checkChange(plan, change, 'change');
  checkOrder(schedule.changes, change, 'change');
  const changes = [...schedule.changes, change];
  const e = change.effectiveDate;
  const periodic = new Set(
    plan.components.flatMap((c, i) => (c.kind === 'recurring' || c.kind === 'hourly' || c.kind === 'usage' ? [i] : [])),
  );
  const kept = schedule.invoices.filter((inv) => issuedBefore(inv, e));
  const keptKeys = new Set(kept.map((inv) => inv.key));
  const replayed = buildInvoices(plan, changes).filter(
    (inv) => !keptKeys.has(inv.key) && inv.lines.every((l) => periodic.has(l.componentIndex)) && inv.issueDate !== null,
  );
  return assembleSchedule(plan.currency, [...kept, ...replayed], changes);
}

/** zod schema of an upgrade request, for handlers. */
export const UpgradeRequestSchema: z.ZodType<UpgradeInput> = UpgradeInputSchema;
/** zod schema of a cancellation request, for handlers. */
export const CancellationRequestSchema: z.ZodType<CancellationInput> = CancellationInputSchema;
