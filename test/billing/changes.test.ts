import { describe, expect, it } from '@jest/globals';
import { applyCancellation, applyUpgrade } from '../../src/billing/changes.js';
import type { BillingPlanInput } from '../../src/billing/plan.js';
import { generateSchedule } from '../../src/billing/schedule.js';
import { caught, monthlyPlan, usd } from './fixtures.js';

const arrearsPlan = (overrides: Partial<BillingPlanInput> = {}) =>
  monthlyPlan({
    components: [
      { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'arrears', price: usd(3000_00) },
    ],
    ...overrides,
  });

const summary = (s: ReturnType<typeof generateSchedule>) =>
  s.invoices.map((i) => [i.key, i.issueDate, i.document, i.total.amount]);

describe('applyUpgrade', () => {
  it('keeps earlier invoices, settles the advance period on the effective date and bills later periods at the new price', () => {
    const plan = monthlyPlan();
    const before = generateSchedule(plan);
    const after = applyUpgrade(plan, before, {
      effectiveDate: '2026-04-16',
      componentIndex: 0,
      newPrice: usd(6000_00),
    });
    expect(after.invoices.slice(0, 4)).toEqual(before.invoices.slice(0, 4));
    const adjustment = after.invoices[4];
    expect(adjustment).toMatchObject({
      key: 'chg0',
      issueDate: '2026-04-16',
      dueDate: '2026-05-16',
      document: 'invoice',
    });
    expect(adjustment?.lines.map((l) => [l.kind, l.amount.amount, l.periodStart, l.periodEnd])).toEqual([
      ['proration_credit', -1500_00, '2026-04-16', '2026-04-30'],
      ['proration_charge', 3000_00, '2026-04-16', '2026-04-30'],
    ]);
    expect(after.invoices.slice(5).map((i) => i.total.amount)).toEqual(Array(8).fill(6000_00));
    expect(after.contractValue).toEqual(usd(4 * 3000_00 + 1500_00 + 8 * 6000_00));
    expect(after.changes).toEqual([
      { kind: 'upgrade', effectiveDate: '2026-04-16', componentIndex: 0, newPrice: usd(6000_00) },
    ]);
  });

  it('needs no adjustment when the upgrade starts a period: same as a ramp step', () => {
    const plan = monthlyPlan();
    const upgraded = applyUpgrade(plan, generateSchedule(plan), {
      effectiveDate: '2026-07-01',
      componentIndex: 0,
      newPrice: usd(4000_00),
    });
    const ramped = generateSchedule(
      monthlyPlan({
        components: [
          {
            kind: 'recurring',
            description: 'Platform',
            interval: 'monthly',
            timing: 'advance',
            price: usd(3000_00),
            ramps: [{ fromPeriod: 7, price: usd(4000_00) }],
          },
        ],
      }),
    );
    expect(upgraded.invoices).toEqual(ramped.invoices);
  });

  it('splits the arrears invoice of the changed period into days at the old and the new price', () => {
    const plan = arrearsPlan();
    const after = applyUpgrade(plan, generateSchedule(plan), {
      effectiveDate: '2026-04-16',
      componentIndex: 0,
      newPrice: usd(6000_00),
    });
    const april = after.invoices.find((i) => i.key === 'c0-p4');
    expect(april?.issueDate).toBe('2026-04-30');
    expect(april?.lines.map((l) => [l.periodStart, l.periodEnd, l.amount.amount])).toEqual([
      ['2026-04-01', '2026-04-15', 1500_00],
      ['2026-04-16', '2026-04-30', 3000_00],
    ]);
    expect(after.invoices.some((i) => i.key.startsWith('chg'))).toBe(false);
  });

  it('issues a credit note for a mid-period downgrade billed in advance', () => {
    const plan = monthlyPlan();
    const after = applyUpgrade(plan, generateSchedule(plan), {
      effectiveDate: '2026-04-16',
      componentIndex: 0,
      newPrice: usd(1000_00),
    });
    expect(after.invoices.find((i) => i.key === 'chg0')).toMatchObject({
      document: 'credit_note',
      total: usd(-1000_00),
    });
  });

  it('adjusts the percent discount together with the price', () => {
    const plan = monthlyPlan({ discount: { kind: 'percent', basisPoints: 1000 } });
    const after = applyUpgrade(plan, generateSchedule(plan), {
      effectiveDate: '2026-04-16',
      componentIndex: 0,
      newPrice: usd(6000_00),
    });
    expect(after.invoices.find((i) => i.key === 'chg0')?.lines.map((l) => [l.kind, l.amount.amount])).toEqual([
      ['proration_credit', -1500_00],
      ['proration_charge', 3000_00],
      ['discount_adjustment', -150_00],
    ]);
  });

  it('leaves invoices of other components alone', () => {
    const plan = monthlyPlan({
      components: [
        { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(3000_00) },
        { kind: 'recurring', description: 'Support', interval: 'quarterly', timing: 'arrears', price: usd(900_00) },
        { kind: 'milestone', milestones: [{ id: 'm1', name: 'Kickoff', amount: usd(500_00) }] },
      ],
    });
    const before = generateSchedule(plan);
    const after = applyUpgrade(plan, before, {
      effectiveDate: '2026-05-10',
      componentIndex: 0,
      newPrice: usd(3100_00),
    });
    const others = (s: typeof before) => s.invoices.filter((i) => i.lines.every((l) => l.componentIndex !== 0));
    expect(others(after)).toEqual(others(before));
  });

  it('builds a second upgrade in the same period on the first', () => {
    const plan = monthlyPlan();
    const once = applyUpgrade(plan, generateSchedule(plan), {
      effectiveDate: '2026-04-11',
      componentIndex: 0,
      newPrice: usd(6000_00),
    });
    const twice = applyUpgrade(plan, once, { effectiveDate: '2026-04-21', componentIndex: 0, newPrice: usd(9000_00) });
    const chg1 = twice.invoices.find((i) => i.key === 'chg1');
    expect(chg1?.lines.map((l) => [l.kind, l.amount.amount])).toEqual([
      ['proration_credit', -2000_00],
      ['proration_charge', 3000_00],
    ]);
    // April: 10 days at 3000, 10 at 6000, 10 at 9000 = 1000 + 2000 + 3000.
    const april = twice.invoices.filter((i) => ['c0-p4', 'chg0', 'chg1'].includes(i.key));
    expect(april.reduce((s, i) => s + i.total.amount, 0)).toBe(6000_00);
  });
});

describe('applyCancellation', () => {
  it('credits the unused days of an advance period and removes later invoices', () => {
    const plan = monthlyPlan();
    const after = applyCancellation(plan, generateSchedule(plan), { effectiveDate: '2026-04-16' });
    expect(summary(after)).toEqual([
      ['c0-p1', '2026-01-01', 'invoice', 3000_00],
      ['c0-p2', '2026-02-01', 'invoice', 3000_00],
      ['c0-p3', '2026-03-01', 'invoice', 3000_00],
      ['c0-p4', '2026-04-01', 'invoice', 3000_00],
      ['chg0', '2026-04-16', 'credit_note', -1500_00],
    ]);
    expect(after.invoices[4]?.lines[0]?.description).toBe(
      'Credit for Platform, 2026-04-16 to 2026-04-30 (cancelled; 15 of 30 days)',
    );
  });

  it('comes to the same contract value as a plan ending the day before the cancellation', () => {
    const plan = monthlyPlan({ discount: { kind: 'percent', basisPoints: 1250 } });
    const after = applyCancellation(plan, generateSchedule(plan), { effectiveDate: '2026-04-16' });
    expect(after.contractValue).toEqual(generateSchedule({ ...plan, endDate: '2026-04-15' }).contractValue);
  });

  it('bills the used days of an arrears period on the last day of service', () => {
    const plan = arrearsPlan();
    const after = applyCancellation(plan, generateSchedule(plan), { effectiveDate: '2026-04-16' });
    expect(summary(after).slice(-2)).toEqual([
      ['c0-p3', '2026-03-31', 'invoice', 3000_00],
      ['c0-p4', '2026-04-15', 'invoice', 1500_00],
    ]);
  });

  it('cuts hourly and usage periods at the cancellation and drops what has not been issued', () => {
    const plan = monthlyPlan({
      components: [
        { kind: 'hourly', description: 'Consulting', rate: usd(100_00), capHoursPerPeriod: 10 },
        { kind: 'usage', minimumPerPeriod: usd(300_00), includedUnits: 10, overageUnitPrice: usd(1_00) },
        {
          kind: 'milestone',
          milestones: [
            { id: 'a', name: 'A', amount: usd(100_00), acceptedOn: '2026-02-01' },
            { id: 'b', name: 'B', amount: usd(200_00) },
          ],
        },
        { kind: 'one_time', description: 'Training', amount: usd(50_00), on: 'acceptance' },
      ],
    });
    const after = applyCancellation(plan, generateSchedule(plan), { effectiveDate: '2026-02-11' });
    expect(summary(after)).toEqual([
      ['c0-p1', '2026-01-31', 'invoice', 1000_00],
      ['c1-p1', '2026-01-31', 'invoice', 300_00],
      ['c2-m:a', '2026-02-01', 'invoice', 100_00],
      ['c0-p2', '2026-02-10', 'invoice', 1000_00],
      ['c1-p2', '2026-02-10', 'invoice', 107_14],
    ]);
  });

  it('settles an upgrade and a later cancellation in the same period by actual days', () => {
    const plan = monthlyPlan();
    const upgraded = applyUpgrade(plan, generateSchedule(plan), {
      effectiveDate: '2026-04-11',
      componentIndex: 0,
      newPrice: usd(6000_00),
    });
    const cancelled = applyCancellation(plan, upgraded, { effectiveDate: '2026-04-21' });
    expect(cancelled.invoices.at(-1)?.lines.map((l) => [l.kind, l.amount.amount])).toEqual([
      ['proration_credit', -2000_00],
    ]);
    // April: 10 days at 3000 + 10 days at 6000.
    expect(cancelled.contractValue).toEqual(usd(3 * 3000_00 + 1000_00 + 2000_00));
  });
});

describe('bad mid-cycle changes', () => {
  const plan = monthlyPlan({
    components: [
      { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(3000_00) },
      { kind: 'milestone', milestones: [{ id: 'm1', name: 'Kickoff', amount: usd(500_00) }] },
    ],
  });
  const schedule = generateSchedule(plan);

  it('refuses to change the price of a milestone component', () => {
    expect(
      caught(() => applyUpgrade(plan, schedule, { effectiveDate: '2026-03-01', componentIndex: 1, newPrice: usd(1) })),
    ).toMatchObject({
      code: 'invalid_input',
      path: 'change.componentIndex',
      message:
        'change.componentIndex: component 1 is a milestone component; only recurring components change price mid-cycle',
    });
  });

  it('refuses an effective date outside the term', () => {
    expect(caught(() => applyCancellation(plan, schedule, { effectiveDate: '2027-01-01' }))).toMatchObject({
      path: 'change.effectiveDate',
      message: 'change.effectiveDate: must fall within the contract term, 2026-01-01 to 2026-12-31',
    });
  });

  it('refuses a new price in another currency', () => {
    expect(
      caught(() =>
        applyUpgrade(plan, schedule, {
          effectiveDate: '2026-03-01',
          componentIndex: 0,
          newPrice: { amount: 100, currency: 'EUR' },
        }),
      ),
    ).toMatchObject({
      path: 'change.newPrice.currency',
      message: "change.newPrice.currency: must be USD, the plan's currency (got EUR)",
    });
  });

  it('refuses a change dated before the last change', () => {
    const upgraded = applyUpgrade(plan, schedule, { effectiveDate: '2026-06-01', componentIndex: 0, newPrice: usd(1) });
    expect(caught(() => applyCancellation(plan, upgraded, { effectiveDate: '2026-05-01' }))).toMatchObject({
      code: 'invalid_transition',
      path: 'change.effectiveDate',
    });
  });

  it('refuses any change after a cancellation', () => {
    const cancelled = applyCancellation(plan, schedule, { effectiveDate: '2026-06-01' });
    expect(
      caught(() => applyUpgrade(plan, cancelled, { effectiveDate: '2026-07-01', componentIndex: 0, newPrice: usd(1) })),
    ).toMatchObject({
      code: 'invalid_transition',
      message: 'change: the plan is already cancelled from 2026-06-01; nothing can change after a cancellation',
    });
  });

  it('refuses a schedule whose contract value does not add up', () => {
    const tampered = { ...schedule, contractValue: usd(1) };
    expect(caught(() => applyCancellation(plan, tampered, { effectiveDate: '2026-06-01' }))).toMatchObject({
      path: 'schedule.contractValue.amount',
      message: 'schedule.contractValue.amount: does not equal the sum of the invoice totals',
    });
  });

  it('refuses a schedule from a plan in another currency', () => {
    const other = generateSchedule(
      monthlyPlan({
        currency: 'JPY',
        components: [{ kind: 'one_time', description: 'x', amount: { amount: 1, currency: 'JPY' } }],
      }),
    );
    expect(caught(() => applyCancellation(plan, other, { effectiveDate: '2026-06-01' }))).toMatchObject({
      code: 'conflict',
      path: 'schedule.currency',
    });
  });
});
