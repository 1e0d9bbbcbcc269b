import { describe, expect, it } from '@jest/globals';
import { evaluateHandoff } from '../../src/handoff/evaluate.js';
import { createHandoff, type Handoff, transition } from '../../src/handoff/lifecycle.js';
import { businessTimeBetween, slaClock, slaDueAt, slaStatus } from '../../src/handoff/sla.js';
import { DEFAULT_BUSINESS_HOURS } from '../../src/handoff/template.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { accountant, caught, completeFinanceData, csm, system } from './fixtures.js';

const HOUR = 3_600_000;
const business = (hours: number) => ({ hours, calendar: 'business' as const });
const calendar = (hours: number) => ({ hours, calendar: 'calendar' as const });
const d = (iso: string) => new Date(iso);

describe('slaDueAt with business hours', () => {
  it('carries a Friday-afternoon submission over the weekend to Monday (UTC)', () => {
    // Fri 13 Mar 2026 15:00 → 2 h left on Friday, 2 h on Monday.
    expect(slaDueAt({ submittedAt: d('2026-03-13T15:00:00Z'), sla: business(4), timeZone: 'UTC' })).toEqual(
      d('2026-03-16T11:00:00Z'),
    );
  });

  it('counts working hours in the portal time zone, not UTC (New York)', () => {
    // 20:00 UTC on Friday is 16:00 in New York (EDT): 1 h on Friday, 7 h on Monday → Monday 16:00 EDT.
    expect(
      slaDueAt({ submittedAt: d('2026-03-13T20:00:00Z'), sla: business(8), timeZone: 'America/New_York' }),
    ).toEqual(d('2026-03-16T20:00:00Z'));
  });

  it('keeps working hours at 9–17 local across a daylight-saving change (Berlin, 29 March 2026)', () => {
    // Fri 27 Mar 16:00 CET (15:00Z): 1 h Friday; Monday 30 Mar 09:00–10:00 CEST = 07:00–08:00Z.
    expect(slaDueAt({ submittedAt: d('2026-03-27T15:00:00Z'), sla: business(2), timeZone: 'Europe/Berlin' })).toEqual(
      d('2026-03-30T08:00:00Z'),
    );
  });

  it('starts the clock at opening time for a submission made before hours', () => {
    // Mon 16 Mar 07:00 Berlin (06:00Z) → starts 09:00 (08:00Z) → due 11:00 Berlin.
    expect(slaDueAt({ submittedAt: d('2026-03-16T06:00:00Z'), sla: business(2), timeZone: 'Europe/Berlin' })).toEqual(
      d('2026-03-16T10:00:00Z'),
    );
  });

  it('follows a configured Sunday–Thursday week', () => {
    const sla = { ...business(2), businessHours: { start: '09:00', end: '17:00', days: [7, 1, 2, 3, 4] } };
    // Thu 12 Mar 16:00 Dubai (12:00Z): 1 h Thursday; Friday and Saturday off; Sunday 09:00–10:00 = 05:00–06:00Z.
    expect(slaDueAt({ submittedAt: d('2026-03-12T12:00:00Z'), sla, timeZone: 'Asia/Dubai' })).toEqual(
      d('2026-03-15T06:00:00Z'),
    );
  });

  it('spans several days for an SLA longer than one working day', () => {
    // 16 business hours from Mon 09:00 UTC → Tue 17:00 UTC.
    expect(slaDueAt({ submittedAt: d('2026-03-16T09:00:00Z'), sla: business(16), timeZone: 'UTC' })).toEqual(
      d('2026-03-17T17:00:00Z'),
    );
  });
});

describe('slaDueAt with calendar hours', () => {
  it('counts elapsed hours straight through the weekend', () => {
    expect(
      slaDueAt({ submittedAt: d('2026-03-13T15:00:00Z'), sla: calendar(24), timeZone: 'America/New_York' }),
    ).toEqual(d('2026-03-14T15:00:00Z'));
  });
});

describe('businessTimeBetween', () => {
  it('counts only working time across a weekend', () => {
    const ms = businessTimeBetween({
      from: d('2026-03-13T16:00:00Z'),
      to: d('2026-03-16T10:00:00Z'),
      businessHours: DEFAULT_BUSINESS_HOURS,
      timeZone: 'UTC',
    });
    expect(ms).toBe(2 * HOUR);
  });
});

describe('slaStatus', () => {
  const submittedAt = d('2026-03-16T09:00:00Z');
  const status = (now: string, sla = calendar(8)) => slaStatus({ submittedAt, sla, timeZone: 'UTC', now: d(now) });

  it('is on track with more than a quarter of the SLA left', () => {
    expect(status('2026-03-16T14:00:00Z')).toMatchObject({ status: 'on_track', remainingMs: 3 * HOUR, running: true });
  });

  it('is due soon with a quarter or less left', () => {
    expect(status('2026-03-16T15:00:00Z')).toMatchObject({ status: 'due_soon', remainingMs: 2 * HOUR });
  });

  it('is breached once the due time has passed, saying by how much', () => {
    expect(status('2026-03-16T18:00:00Z')).toMatchObject({
      status: 'breached',
      remainingMs: 0,
      overdueMs: HOUR,
      dueAt: '2026-03-16T17:00:00.000Z',
    });
  });

  it('measures time left in working hours for a business SLA, so a weekend does not make it due soon', () => {
    // Submitted Fri 15:00 UTC with 4 business hours; on Saturday 2 h of the 4 are left.
    const s = slaStatus({
      submittedAt: d('2026-03-13T15:00:00Z'),
      sla: business(4),
      timeZone: 'UTC',
      now: d('2026-03-14T12:00:00Z'),
    });
    expect(s).toMatchObject({ status: 'on_track', remainingMs: 2 * HOUR, dueAt: '2026-03-16T11:00:00.000Z' });
    const monday = slaStatus({
      submittedAt: d('2026-03-13T15:00:00Z'),
      sla: business(4),
      timeZone: 'UTC',
      now: d('2026-03-16T10:00:00Z'),
    });
    expect(monday).toMatchObject({ status: 'due_soon', remainingMs: HOUR });
  });

  it('stops the clock when the receiving team decides: met in time, breached when late', () => {
    expect(
      slaStatus({
        submittedAt,
        sla: calendar(8),
        timeZone: 'UTC',
        now: d('2026-03-20T00:00:00Z'),
        decidedAt: d('2026-03-16T12:00:00Z'),
      }),
    ).toMatchObject({
      status: 'met',
      running: false,
    });
    expect(
      slaStatus({
        submittedAt,
        sla: calendar(8),
        timeZone: 'UTC',
        now: d('2026-03-20T00:00:00Z'),
        decidedAt: d('2026-03-16T19:00:00Z'),
      }),
    ).toMatchObject({
      status: 'breached',
      running: false,
      overdueMs: 2 * HOUR,
    });
  });

  it('refuses an SLA of zero hours and an unknown zone, naming the field', () => {
    expect(caught(() => slaStatus({ submittedAt, sla: calendar(0), timeZone: 'UTC', now: submittedAt }))).toMatchObject(
      {
        path: 'input.sla.hours',
        message: 'input.sla.hours: must be more than 0 hours',
      },
    );
    expect(caught(() => slaDueAt({ submittedAt, sla: calendar(1), timeZone: 'Europe/Atlantis' })).path).toBe(
      'input.timeZone',
    );
  });
});

describe('slaClock for a handoff', () => {
  // Submitted Mon 16 Mar 2026 09:00 Berlin (08:00Z); finance has 16 business hours → due Tue 17:00 Berlin (16:00Z).
  const submittedAt = d('2026-03-16T08:00:00Z');
  const evaluation = evaluateHandoff(DEFAULT_CS_TO_FINANCE, completeFinanceData, {
    now: submittedAt,
    timeZone: 'Europe/Berlin',
  });
  const draft = createHandoff({ id: 'h-1', dealId: 'd-1' }, DEFAULT_CS_TO_FINANCE, d('2026-03-16T07:00:00Z'));
  const submitted = transition(draft, { type: 'submit', evaluation }, csm, submittedAt).handoff;
  const clock = (h: Handoff, now: string) => slaClock({ handoff: h, timeZone: 'Europe/Berlin', now: d(now) });

  it('has not started for a draft, and the sending team owns the next step', () => {
    expect(clock(draft, '2026-03-16T08:00:00Z')).toEqual({
      status: 'not_started',
      running: false,
      dueAt: null,
      remainingMs: null,
      overdueMs: 0,
      nextStepOwner: { kind: 'team', teamId: 'customer_success' },
    });
  });

  it('runs once submitted, with the receiving team owning the next step', () => {
    expect(clock(submitted, '2026-03-16T12:00:00Z')).toMatchObject({
      status: 'on_track',
      running: true,
      dueAt: '2026-03-17T16:00:00.000Z',
      remainingMs: 12 * HOUR,
      nextStepOwner: { kind: 'team', teamId: 'finance' },
    });
  });

  it('is breached when finance has not decided by the due time', () => {
    expect(clock(submitted, '2026-03-18T08:00:00Z')).toMatchObject({ status: 'breached', overdueMs: 16 * HOUR });
  });

  it('is met when finance accepted in time, and billing is then the system’s step', () => {
    const accepted = transition(submitted, { type: 'accept' }, accountant, d('2026-03-17T09:00:00Z')).handoff;
    expect(clock(accepted, '2026-03-20T08:00:00Z')).toMatchObject({
      status: 'met',
      nextStepOwner: { kind: 'team', teamId: 'finance' },
    });
    const pending = transition(accepted, { type: 'start_billing' }, system, d('2026-03-17T09:01:00Z')).handoff;
    expect(clock(pending, '2026-03-20T08:00:00Z').nextStepOwner).toEqual({ kind: 'system' });
  });

  it('stays breached after a late acceptance, and hands a rejection back to the sender', () => {
    const late = transition(submitted, { type: 'accept' }, accountant, d('2026-03-18T08:00:00Z')).handoff;
    expect(clock(late, '2026-03-20T08:00:00Z').status).toBe('breached');
    const rejected = transition(
      submitted,
      { type: 'reject', reason: 'missing_info', note: 'Billing address incomplete.' },
      accountant,
      d('2026-03-16T10:00:00Z'),
    ).handoff;
    expect(clock(rejected, '2026-03-16T11:00:00Z').nextStepOwner).toEqual({ kind: 'team', teamId: 'customer_success' });
  });
});
