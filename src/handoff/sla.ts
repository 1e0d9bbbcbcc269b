import { TZDate } from '@date-fns/tz';
import { getISODay } from 'date-fns';
import { z } from 'zod';
import { TimeZoneSchema } from '../core/dates.js';
import { parseInput } from '../core/validate.js';
import { NowSchema } from './actor.js';
import { type Handoff, HandoffSchema } from './lifecycle.js';
import { type BusinessHours, BusinessHoursSchema, type Sla, SlaSchema } from './template.js';

/**
 * The SLA clock of a handoff. Business-hour SLAs count only time inside the portal's working hours, in the
 * portal's time zone (a Friday-afternoon submission is due on Monday, not over the weekend); calendar SLAs count
 * elapsed hours. Windows are built from local wall-clock times, so days with a DST change are handled by the zone.
 */

const HOUR = 3_600_000;

/** Share of the SLA left at which a handoff counts as due soon. */
export const DUE_SOON_SHARE = 0.25;

export type SlaStatus = 'not_started' | 'on_track' | 'due_soon' | 'breached' | 'met';

export type NextStepOwner = { kind: 'user'; userId: string } | { kind: 'team'; teamId: string } | { kind: 'system' };

export interface SlaClock {
  status: SlaStatus;
  /** True while the receiving team's clock is running (the handoff is submitted and undecided). */
  running: boolean;
  dueAt: string | null;
  /** SLA time left — business time for business-hour SLAs; 0 once due; null before submission. */
  remainingMs: number | null;
  /** Wall-clock time past the due time (0 unless breached). */
  overdueMs: number;
  /** Who has to act next; null when nothing is left to do. */
  nextStepOwner: NextStepOwner | null;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The working window of the local day containing `instant`; empty (start = end) on a day off. */
function windowOf(
  instant: number,
  hours: BusinessHours,
  timeZone: string,
): { start: number; end: number; nextDay: number } {
  const local = new TZDate(instant, timeZone);
  const y = local.getFullYear();
  const m = local.getMonth();
  const d = local.getDate();
  const nextDay = new TZDate(y, m, d + 1, 0, 0, timeZone).getTime();
  if (!hours.days.includes(getISODay(local))) return { start: nextDay, end: nextDay, nextDay };
  const s = minutesOf(hours.start);
  const e = minutesOf(hours.end);
  const start = new TZDate(y, m, d, Math.floor(s / 60), s % 60, timeZone).getTime();
  const end = new TZDate(y, m, d, Math.floor(e / 60), e % 60, timeZone).getTime();
  return { start, end, nextDay };
}

const DueAtInput = z.strictObject({ submittedAt: NowSchema, sla: SlaSchema, timeZone: TimeZoneSchema });

/**
 * When a handoff submitted at `submittedAt` is due.
 * @example slaDueAt({ submittedAt: new Date('2026-03-06T15:00:00Z'), sla: { hours: 4, calendar: 'business' }, timeZone: 'UTC' }) // Monday 2026-03-09T11:00:00Z
 */
export function slaDueAt(input: { submittedAt: Date; sla: z.input<typeof SlaSchema>; timeZone: string }): Date {
  const { submittedAt, sla, timeZone } = parseInput(DueAtInput, input, 'input');
  return dueAt(submittedAt, sla, timeZone);
}

function dueAt(submittedAt: Date, sla: Sla, timeZone: string): Date {
  const total = Math.round(sla.hours * HOUR);
  if (sla.calendar === 'calendar') return new Date(submittedAt.getTime() + total);
  let cursor = submittedAt.getTime();
  let remaining = total;
  // Terminates: every week has at least one non-empty window and each pass either returns or consumes one.
  for (;;) {
    const w = windowOf(cursor, sla.businessHours, timeZone);
    const from = Math.max(cursor, w.start);
    if (from < w.end) {
      const available = w.end - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
    }
    cursor = w.nextDay;
  }
}

const BetweenInput = z.strictObject({
  from: NowSchema,
  to: NowSchema,
  businessHours: BusinessHoursSchema,
  timeZone: TimeZoneSchema,
});

/**
 * Working time between two instants, in milliseconds (negative when `to` is before `from`).
 * @example businessTimeBetween({ from: fri16h, to: mon10h, businessHours: DEFAULT_BUSINESS_HOURS, timeZone: 'UTC' }) // 2 hours
 */
export function businessTimeBetween(input: {
  from: Date;
  to: Date;
  businessHours: BusinessHours;
  timeZone: string;
}): number {
  const { from, to, businessHours, timeZone } = parseInput(BetweenInput, input, 'input');
  return between(from.getTime(), to.getTime(), businessHours, timeZone);
}

function between(from: number, to: number, hours: BusinessHours, timeZone: string): number {
  if (to < from) return -between(to, from, hours, timeZone);
  let total = 0;
  let cursor = from;
  while (cursor < to) {
    const w = windowOf(cursor, hours, timeZone);
    const s = Math.max(cursor, w.start);
    const e = Math.min(to, w.end);
    if (s < e) total += e - s;
    cursor = w.nextDay;
  }
  return total;
}

const StatusInput = z.strictObject({
  submittedAt: NowSchema,
  sla: SlaSchema,
  timeZone: TimeZoneSchema,
  now: NowSchema,
  /** When the receiving team decided; stops the clock. */
  decidedAt: NowSchema.optional(),
});

/**
 * The SLA status of one submission at `now`: on_track, due_soon (≤ 25% of the SLA left), breached, or met once decided in time.
 * @example slaStatus({ submittedAt, sla: { hours: 8, calendar: 'calendar' }, timeZone: 'UTC', now }).status // 'on_track'
 */
export function slaStatus(input: z.input<typeof StatusInput>): Omit<SlaClock, 'nextStepOwner'> {
  const i = parseInput(StatusInput, input, 'input');
  return status(i.submittedAt, i.sla, i.timeZone, i.now, i.decidedAt);
}

function status(
  submittedAt: Date,
  sla: Sla,
  timeZone: string,
  now: Date,
  decidedAt?: Date,
): Omit<SlaClock, 'nextStepOwner'> {
  const due = dueAt(submittedAt, sla, timeZone);
  const dueIso = due.toISOString();
  if (decidedAt) {
    const late = decidedAt.getTime() - due.getTime();
    return late > 0
      ? { status: 'breached', running: false, dueAt: dueIso, remainingMs: 0, overdueMs: late }
      : { status: 'met', running: false, dueAt: dueIso, remainingMs: null, overdueMs: 0 };
  }
  const overdue = now.getTime() - due.getTime();
  if (overdue > 0) return { status: 'breached', running: true, dueAt: dueIso, remainingMs: 0, overdueMs: overdue };
  const remaining =
    sla.calendar === 'calendar' ? -overdue : between(now.getTime(), due.getTime(), sla.businessHours, timeZone);
  const total = sla.hours * HOUR;
  return {
    status: remaining <= total * DUE_SOON_SHARE ? 'due_soon' : 'on_track',
    running: true,
    dueAt: dueIso,
    remainingMs: remaining,
    overdueMs: 0,
  };
}

const ClockInput = z.strictObject({ handoff: HandoffSchema, timeZone: TimeZoneSchema, now: NowSchema });

/**
 * The clock the card shows for a handoff: status, due time, time left and who owns the next step.
 * @example slaClock({ handoff, timeZone: 'America/New_York', now }) // { status: 'due_soon', nextStepOwner: { kind: 'team', teamId: 'finance' }, … }
 */
export function slaClock(input: { handoff: Handoff; timeZone: string; now: Date }): SlaClock {
  const { handoff: h, timeZone, now } = parseInput(ClockInput, input, 'input');
  const owner = nextStepOwner(h);
  if (!h.submittedAt) {
    return {
      status: 'not_started',
      running: false,
      dueAt: null,
      remainingMs: null,
      overdueMs: 0,
      nextStepOwner: owner,
    };
  }
  const decided = h.state === 'submitted' ? undefined : new Date(h.decidedAt ?? h.updatedAt);
  return { ...status(new Date(h.submittedAt), h.contract.sla, timeZone, now, decided), nextStepOwner: owner };
}

function nextStepOwner(h: Handoff): NextStepOwner | null {
  switch (h.state) {
    case 'draft':
    case 'rejected':
      return { kind: 'team', teamId: h.contract.fromTeam };
    case 'submitted':
      return h.receivingOwner;
    case 'accepted':
    case 'billing_failed':
      return { kind: 'team', teamId: h.contract.toTeam };
    case 'billing_pending':
      return { kind: 'system' };
    case 'billing_live':
      return null;
  }
}
