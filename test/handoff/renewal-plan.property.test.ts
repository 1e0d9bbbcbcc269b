import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startOfDayIn } from '../../src/core/dates.js';
import { isDomainError } from '../../src/core/errors.js';
import { parseRenewalDate, planRenewals } from '../../src/handoff/renewal-plan.js';

const numRuns = Number(process.env.FAST_CHECK_RUNS ?? 200);
const zones = [
  'UTC',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Sydney',
];
const DAY_MS = 86_400_000;

// An oracle independent of date-fns: days as whole UTC epoch days.
const epoch = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const shift = (day: string, n: number) => dayOf(epoch(day) + n * DAY_MS);

/** Renewal dates that stress the calendar: month ends, leap days, year ends, and any day 2024–2032. */
const renewalDate = fc.oneof(
  fc
    .integer({ min: 2024, max: 2032 })
    .chain((y) => fc.integer({ min: 0, max: 11 }).map((m) => dayOf(Date.UTC(y, m + 1, 0)))),
  fc.constantFrom('2028-02-29', '2032-02-29', '2024-02-29', '2027-03-01', '2028-03-01', '2027-01-01', '2026-12-31'),
  fc.integer({ min: epoch('2024-01-01') / DAY_MS, max: epoch('2032-12-31') / DAY_MS }).map((d) => dayOf(d * DAY_MS)),
);

const settingsUpTo = (maxLead: number) =>
  fc
    .integer({ min: 2, max: maxLead })
    .chain((leadDays) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: leadDays - 1 }), { maxLength: 4 })
        .map((reminderDays) => ({ leadDays, reminderDays })),
    );
const settings = settingsUpTo(365);

/** An instant on the given portal day: its local midnight plus up to 21 h 59 m (a spring-forward day has 23 hours). */
const instantOn = (day: string, timeZone: string, minutes: number) =>
  new Date(startOfDayIn(day, timeZone).getTime() + minutes * 60_000);

describe('renewal planning', () => {
  it('with a sweep every portal day, creates the handoff exactly on renewal − lead days and each reminder exactly on its day, once', () => {
    fc.assert(
      fc.property(
        renewalDate,
        // Every day of the window is swept, so the lead is kept to a third of a year to keep the run short.
        settingsUpTo(120),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 1319 }),
        (renewal, s, timeZone, minute) => {
          let createdOn: string | undefined;
          const sent: Array<{ days: number; on: string }> = [];
          for (let offset = -(s.leadDays + 3); offset <= 3; offset++) {
            const today = shift(renewal, offset);
            const due = planRenewals({
              contracts: [
                {
                  dealId: 'd1',
                  renewalDate: renewal,
                  ...(createdOn ? { handoffCreatedOn: createdOn } : {}),
                  remindersSent: sent.map((r) => r.days),
                },
              ],
              now: instantOn(today, timeZone, minute),
              timeZone,
              settings: s,
            });
            const item = due[0];
            if (offset < -s.leadDays || offset > 0) {
              expect(due).toEqual([]);
              continue;
            }
            expect(item?.daysLeft).toBe(0 - offset || 0);
            expect(item?.dueFrom).toBe(shift(renewal, -s.leadDays));
            if (item?.createHandoff) {
              expect(createdOn).toBeUndefined();
              createdOn = today;
            }
            if (item?.reminder != null) sent.push({ days: item.reminder, on: today });
          }
          expect(createdOn).toBe(shift(renewal, -s.leadDays));
          expect(sent.map((r) => r.days)).toEqual([...s.reminderDays].sort((a, b) => b - a));
          for (const r of sent) expect(r.on).toBe(shift(renewal, -r.days));
        },
      ),
      { numRuns: Math.max(20, Math.round(numRuns / 4)) },
    );
  });

  it('with sweeps on random days (outages, several a day), never creates twice, never reminds twice or on the creation day, and supersedes missed reminders', () => {
    fc.assert(
      fc.property(
        renewalDate,
        settings,
        fc.constantFrom(...zones),
        fc.array(fc.record({ offset: fc.integer({ min: -400, max: 5 }), minute: fc.integer({ min: 0, max: 1319 }) }), {
          maxLength: 40,
        }),
        (renewal, s, timeZone, sweeps) => {
          const ordered = [...sweeps].sort((a, b) => a.offset - b.offset || a.minute - b.minute);
          let createdOn: string | undefined;
          const sent: number[] = [];
          for (const { offset, minute } of ordered) {
            const today = shift(renewal, offset);
            const [item] = planRenewals({
              contracts: [
                {
                  dealId: 'd1',
                  renewalDate: renewal,
                  ...(createdOn ? { handoffCreatedOn: createdOn } : {}),
                  remindersSent: sent,
                },
              ],
              now: instantOn(today, timeZone, minute),
              timeZone,
              settings: s,
            });
            if (!item) {
              expect(offset < -s.leadDays || offset > 0).toBe(true);
              continue;
            }
            if (item.createHandoff) {
              expect(createdOn).toBeUndefined();
              createdOn = today;
            }
            const reminder = item.reminder;
            if (reminder !== null) {
              expect(sent).not.toContain(reminder);
              expect(createdOn).not.toBe(today);
              // The reminder of the latest threshold passed, never an older one.
              expect(s.reminderDays.filter((r) => -offset <= r && r < reminder)).toEqual([]);
              expect(-offset).toBeLessThanOrEqual(reminder);
              sent.push(reminder);
            }
          }
          // Reminders went out in countdown order.
          expect(sent).toEqual([...sent].sort((a, b) => b - a));
          if (ordered.some((w) => w.offset >= -s.leadDays && w.offset <= 0)) expect(createdOn).toBeDefined();
        },
      ),
      { numRuns },
    );
  });

  it('judges "today" in the portal time zone: the same instant is due in Kiritimati (UTC+14) a day before it is in Pago Pago (UTC−11)', () => {
    const renewal = '2028-03-01';
    // 2027-12-02T09:00Z is 2027-12-02 23:00 in Kiritimati and 2027-12-01 22:00 in Pago Pago.
    const now = new Date('2027-12-02T09:00:00Z');
    const plan = (timeZone: string) =>
      planRenewals({
        contracts: [{ dealId: '7', renewalDate: renewal }],
        now,
        timeZone,
        settings: { leadDays: 90, reminderDays: [60, 30] },
      });
    expect(plan('Pacific/Kiritimati')).toEqual([
      { dealId: '7', renewalDate: renewal, daysLeft: 90, dueFrom: '2027-12-02', createHandoff: true, reminder: null },
    ]);
    expect(plan('Pacific/Pago_Pago')).toEqual([]);
  });

  it('refuses a renewal date that is not a real day, naming the field, the value and what is accepted', () => {
    for (const bad of ['2027-02-29', '2027-13-01', '01/03/2027', '', 20270301]) {
      try {
        parseRenewalDate(bad);
        throw new Error(`accepted ${String(bad)}`);
      } catch (e) {
        expect(isDomainError(e)).toBe(true);
        expect((e as Error).message).toContain('renewalDate');
        expect((e as Error).message).toContain(JSON.stringify(bad));
        expect((e as Error).message).toContain('YYYY-MM-DD');
      }
    }
    expect(() =>
      planRenewals({
        contracts: [{ dealId: '7', renewalDate: '2027-02-30' }],
        now: new Date(),
        timeZone: 'UTC',
        settings: { leadDays: 90, reminderDays: [] },
      }),
    ).toThrow(/renewalDate.*real calendar date/);
  });

  it('refuses reminder day counts a lead cannot hold, naming the value and the accepted range', () => {
    expect(() =>
      planRenewals({ contracts: [], now: new Date(), timeZone: 'UTC', settings: { leadDays: 30, reminderDays: [45] } }),
    ).toThrow(/reminderDays.*45.*1–29/);
  });
});
