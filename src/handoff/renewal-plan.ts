import { z } from 'zod';
import { type CalendarDay, CalendarDaySchema, daysBetween, plusDays, TimeZoneSchema, todayIn } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { parseInput } from '../core/validate.js';

/**
 * Which renewal handoffs and reminders are due today. A contract's renewal handoff is due from `leadDays` before
 * its renewal date up to the renewal date itself; each reminder is due from its own number of days before. Days
 * are calendar days in the portal's time zone, so a renewal on 1 March is 90 days away on the same portal day
 * wherever the server runs. Pure: the sweep (src/jobs/renewals.ts) supplies contracts, "now" and the settings and
 * does the rest idempotently.
 */

const ContractSchema = z.strictObject({
  dealId: z.string({ error: 'must be a deal id' }).trim().min(1, 'is required'),
  renewalDate: z
    .string({ error: 'must be a date written YYYY-MM-DD, e.g. 2027-03-01' })
    .pipe(CalendarDaySchema)
    .describe('renewal date'),
  /** The portal day its renewal handoff was created, when it exists. */
  handoffCreatedOn: CalendarDaySchema.optional(),
  /** Reminders already sent (their day counts). */
  remindersSent: z.array(z.number().int()).default([]),
});
export type RenewalContract = z.input<typeof ContractSchema>;

const day = (what: string) =>
  z
    .number({ error: `must be a number of days (${what})` })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(365, 'must be at most 365 days');

const PlanSettingsSchema = z
  .strictObject({ leadDays: day('e.g. 90'), reminderDays: z.array(day('e.g. 60')).default([]) })
  .superRefine((s, ctx) => {
    s.reminderDays.forEach((d, i) => {
      if (d >= s.leadDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['reminderDays', i],
          message: `${d} must be fewer days than the lead of ${s.leadDays} (accepted: 1–${s.leadDays - 1})`,
        });
      }
    });
  });

const PlanInputSchema = z.strictObject({
  contracts: z.array(ContractSchema),
  now: z.date({ error: 'must be a date and time' }),
  timeZone: TimeZoneSchema,
  settings: PlanSettingsSchema,
});
export type RenewalPlanInput = z.input<typeof PlanInputSchema>;

/** What the sweep must make sure of for one contract today. */
export interface RenewalDue {
  dealId: string;
  renewalDate: CalendarDay;
  /** Days from today (portal time) to the renewal date, 0 on the day itself. */
  daysLeft: number;
  /** The portal day from which the handoff is due (renewal date − lead days). */
  dueFrom: CalendarDay;
  /** True when no renewal handoff exists yet for this contract and renewal date. */
  createHandoff: boolean;
  /** The reminder to send today (its day count), or null. */
  reminder: number | null;
}

/**
 * The contracts inside their renewal window today, each with what is due: the handoff (once), and at most one
 * reminder — the most recent threshold passed, provided the handoff was created before that threshold (a
 * handoff created at 25 days out does not also get a 30-day reminder) and it was not sent yet. Thresholds the
 * sweep missed (the app was down at 60 days) are superseded by later ones, never sent late in a burst.
 * @example planRenewals({ contracts: [{ dealId: '7', renewalDate: '2027-03-01' }], now, timeZone: 'UTC', settings: { leadDays: 90, reminderDays: [60, 30] } })
 * // at 2026-12-01: [{ dealId: '7', daysLeft: 90, createHandoff: true, reminder: null, … }]
 */
export function planRenewals(input: RenewalPlanInput): RenewalDue[] {
  const i = parseInput(PlanInputSchema, input, 'renewals');
  const today = todayIn(i.timeZone, i.now);
  const reminders = [...new Set(i.settings.reminderDays)].sort((a, b) => a - b);
  const due: RenewalDue[] = [];
  for (const c of i.contracts) {
    const daysLeft = daysBetween(today, c.renewalDate);
    if (daysLeft < 0 || daysLeft > i.settings.leadDays) continue;
    const createdOn = c.handoffCreatedOn ?? today;
    const current = reminders.find((r) => daysLeft <= r);
    const reminder =
      current !== undefined && daysBetween(createdOn, c.renewalDate) > current && !c.remindersSent.includes(current)
        ? current
        : null;
    due.push({
      dealId: c.dealId,
      renewalDate: c.renewalDate,
      daysLeft,
      dueFrom: plusDays(c.renewalDate, -i.settings.leadDays),
      createHandoff: c.handoffCreatedOn === undefined,
      reminder,
    });
  }
  return due;
}

/**
 * A renewal date as the sweep reads it from a handoff's data; throws DomainError('invalid_input') naming the
 * field, the value and the accepted form.
 * @example parseRenewalDate('2027-02-30') // throws 'renewalDate: "2027-02-30" is not a real calendar date …'
 */
export function parseRenewalDate(value: unknown, path = 'renewalDate'): CalendarDay {
  const r = CalendarDaySchema.safeParse(value);
  if (r.success) return r.data;
  throw new DomainError(
    'invalid_input',
    `${path}: ${JSON.stringify(value) ?? String(value)} is not a renewal date we can use; it must be a real calendar date written YYYY-MM-DD, e.g. 2027-03-01`,
    path,
  );
}
