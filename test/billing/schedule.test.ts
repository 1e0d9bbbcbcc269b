import { describe, expect, it } from '@jest/globals';
import type { BillingPlanInput } from '../../src/billing/plan.js';
import { contractValue, generateSchedule } from '../../src/billing/schedule.js';
import { jpy, monthlyPlan, usd } from './fixtures.js';

const issueDates = (plan: BillingPlanInput) => generateSchedule(plan).invoices.map((i) => i.issueDate);
const totals = (plan: BillingPlanInput) => generateSchedule(plan).invoices.map((i) => i.total.amount);

describe('recurring components', () => {
  it('bills a monthly subscription in advance on the first day of each period', () => {
    const s = generateSchedule(monthlyPlan());
    expect(s.invoices).toHaveLength(12);
    expect(s.invoices.map((i) => i.issueDate)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
    ]);
    expect(s.invoices[0]).toEqual({
      key: 'c0-p1',
      document: 'invoice',
      issueDate: '2026-01-01',
      dueDate: '2026-01-31',
      trigger: 'date',
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
      lines: [
        {
          componentIndex: 0,
          kind: 'recurring',
          description: 'Platform, 2026-01-01 to 2026-01-31',
          quantity: 1,
          unitPrice: usd(3000_00),
          amount: usd(3000_00),
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
        },
      ],
      total: usd(3000_00),
    });
    expect(s.contractValue).toEqual(usd(36_000_00));
    expect(s.currency).toBe('USD');
    expect(s.changes).toEqual([]);
  });

  it('bills a quarterly retainer in arrears on the last day of each quarter', () => {
    const plan = monthlyPlan({
      paymentTerms: 'net_15',
      components: [
        { kind: 'recurring', description: 'Retainer', interval: 'quarterly', timing: 'arrears', price: usd(9000_00) },
      ],
    });
    const s = generateSchedule(plan);
    expect(s.invoices.map((i) => [i.issueDate, i.dueDate])).toEqual([
      ['2026-03-31', '2026-04-15'],
      ['2026-06-30', '2026-07-15'],
      ['2026-09-30', '2026-10-15'],
      ['2026-12-31', '2027-01-15'],
    ]);
    expect(s.contractValue).toEqual(usd(36_000_00));
  });

  it('bills an annual subscription in advance on each anniversary', () => {
    const plan = monthlyPlan({
      startDate: '2026-03-01',
      endDate: '2029-02-28',
      components: [
        { kind: 'recurring', description: 'Licence', interval: 'annual', timing: 'advance', price: usd(12_000_00) },
      ],
    });
    expect(issueDates(plan)).toEqual(['2026-03-01', '2027-03-01', '2028-03-01']);
    expect(contractValue(plan)).toEqual(usd(36_000_00));
  });

  it('issues the arrears invoice of a period cut short by the term end on the last day of the term', () => {
    const plan = monthlyPlan({
      endDate: '2026-02-14',
      components: [
        { kind: 'recurring', description: 'Support', interval: 'monthly', timing: 'arrears', price: usd(28_00) },
      ],
    });
    const s = generateSchedule(plan);
    expect(s.invoices.map((i) => [i.issueDate, i.total.amount])).toEqual([
      ['2026-01-31', 28_00],
      ['2026-02-14', 14_00],
    ]);
    expect(s.invoices[1]?.lines[0]).toMatchObject({ proration: { days: 14, periodDays: 28 }, periodEnd: '2026-02-14' });
    expect(s.invoices[1]?.lines[0]).not.toHaveProperty('quantity');
  });

  it('bills a Jan 31 monthly term on the clamped boundaries (Feb 28, Mar 31, Apr 30)', () => {
    const plan = monthlyPlan({ startDate: '2026-01-31', endDate: '2026-05-30' });
    expect(issueDates(plan)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(totals(plan)).toEqual([3000_00, 3000_00, 3000_00, 3000_00]);
  });

  it('bills a leap-year Jan 31 term in arrears on Feb 28 and Mar 30', () => {
    const plan = monthlyPlan({
      startDate: '2024-01-31',
      endDate: '2024-03-30',
      components: [
        { kind: 'recurring', description: 'Support', interval: 'monthly', timing: 'arrears', price: usd(100_00) },
      ],
    });
    expect(issueDates(plan)).toEqual(['2024-02-28', '2024-03-30']);
  });

  it('prorates the first and last periods of a calendar-aligned plan by actual days', () => {
    const plan = monthlyPlan({
      startDate: '2026-01-22',
      endDate: '2026-03-10',
      components: [
        {
          kind: 'recurring',
          description: 'Platform',
          interval: 'monthly',
          timing: 'advance',
          alignment: 'calendar',
          price: usd(31_00),
        },
      ],
    });
    const s = generateSchedule(plan);
    expect(s.invoices.map((i) => [i.issueDate, i.total.amount])).toEqual([
      ['2026-01-22', 10_00],
      ['2026-02-01', 31_00],
      ['2026-03-01', 10_00],
    ]);
    expect(s.invoices[0]?.lines[0]?.description).toBe(
      'Platform, 2026-01-22 to 2026-01-31 (10 of 31 days at 31.00 USD per period)',
    );
  });

  it('changes the price from the ramp step period on', () => {
    const plan = monthlyPlan({
      endDate: '2026-06-30',
      components: [
        {
          kind: 'recurring',
          description: 'Platform',
          interval: 'monthly',
          timing: 'advance',
          price: usd(100_00),
          ramps: [
            { fromPeriod: 3, price: usd(200_00) },
            { fromPeriod: 5, price: usd(300_00) },
          ],
        },
      ],
    });
    expect(totals(plan)).toEqual([100_00, 100_00, 200_00, 200_00, 300_00, 300_00]);
  });

  it('counts the partial first period of a calendar-aligned plan as period 1 for ramps', () => {
    const plan = monthlyPlan({
      startDate: '2026-01-16',
      endDate: '2026-03-31',
      components: [
        {
          kind: 'recurring',
          description: 'Platform',
          interval: 'monthly',
          timing: 'arrears',
          alignment: 'calendar',
          price: usd(31_00),
          ramps: [{ fromPeriod: 2, price: usd(28_00) }],
        },
      ],
    });
    expect(totals(plan)).toEqual([16_00, 28_00, 28_00]);
  });

  it('leaves out a free ramp period: there is nothing to invoice', () => {
    const plan = monthlyPlan({
      endDate: '2026-03-31',
      components: [
        {
          kind: 'recurring',
          description: 'Platform',
          interval: 'monthly',
          timing: 'advance',
          price: usd(0),
          ramps: [{ fromPeriod: 2, price: usd(500_00) }],
        },
      ],
    });
    expect(generateSchedule(plan).invoices.map((i) => i.key)).toEqual(['c0-p2', 'c0-p3']);
  });
});

describe('discounts', () => {
  it('applies a percent discount as a separate negative line on each recurring invoice', () => {
    const s = generateSchedule(monthlyPlan({ discount: { kind: 'percent', basisPoints: 1000, reason: 'Launch' } }));
    expect(s.invoices[0]?.lines.map((l) => [l.kind, l.description, l.amount.amount])).toEqual([
      ['recurring', 'Platform, 2026-01-01 to 2026-01-31', 3000_00],
      ['discount', 'Discount 10% (Launch), Platform', -300_00],
    ]);
    expect(s.invoices[0]?.total).toEqual(usd(2700_00));
    expect(s.contractValue).toEqual(usd(32_400_00));
  });

  it('rounds a percent discount by allocation so that discount and rest add up to the line', () => {
    const plan = monthlyPlan({
      endDate: '2026-01-31',
      discount: { kind: 'percent', basisPoints: 3333 },
      components: [
        { kind: 'recurring', description: 'Seat', interval: 'monthly', timing: 'advance', price: usd(1_00) },
      ],
    });
    const [inv] = generateSchedule(plan).invoices;
    expect(inv?.lines.map((l) => l.amount.amount)).toEqual([1_00, -33]);
    expect(inv?.total).toEqual(usd(67));
  });

  it('applies a fixed discount per period, prorated in a partial period', () => {
    const plan = monthlyPlan({
      startDate: '2026-01-01',
      endDate: '2026-02-14',
      discount: { kind: 'amount_per_period', amount: usd(280_00) },
      components: [
        { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(2800_00) },
      ],
    });
    expect(generateSchedule(plan).invoices.map((i) => i.lines.map((l) => l.amount.amount))).toEqual([
      [2800_00, -280_00],
      [1400_00, -140_00],
    ]);
  });

  it('never discounts a fixed amount below zero: the invoice total stays at least zero', () => {
    const plan = monthlyPlan({
      endDate: '2026-01-31',
      discount: { kind: 'amount_per_period', amount: usd(5000_00) },
    });
    const [inv] = generateSchedule(plan).invoices;
    expect(inv?.lines.map((l) => l.amount.amount)).toEqual([3000_00, -3000_00]);
    expect(inv?.total).toEqual(usd(0));
  });

  it('applies a fixed discount to the first recurring component only, and never to one-off charges', () => {
    const plan = monthlyPlan({
      endDate: '2026-01-31',
      discount: { kind: 'amount_per_period', amount: usd(100_00) },
      components: [
        { kind: 'one_time', description: 'Setup', amount: usd(500_00) },
        { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(1000_00) },
        { kind: 'recurring', description: 'Support', interval: 'monthly', timing: 'advance', price: usd(200_00) },
      ],
    });
    const byKey = Object.fromEntries(generateSchedule(plan).invoices.map((i) => [i.key, i.total.amount]));
    expect(byKey).toEqual({ 'c0-once': 500_00, 'c1-p1': 900_00, 'c2-p1': 200_00 });
  });
});

describe('other component kinds', () => {
  it('bills hourly work with a cap once per period in arrears at rate × cap, the most billable', () => {
    const plan = monthlyPlan({
      endDate: '2026-03-31',
      components: [{ kind: 'hourly', description: 'Consulting', rate: usd(150_00), capHoursPerPeriod: 40 }],
    });
    const s = generateSchedule(plan);
    expect(s.invoices.map((i) => i.issueDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(s.invoices[0]?.lines[0]).toMatchObject({
      kind: 'hourly',
      quantity: 40,
      unitPrice: usd(150_00),
      amount: usd(6000_00),
    });
    expect(s.invoices[0]?.lines[0]?.description).toContain('maximum billable; replaced by the hours reported');
    expect(s.contractValue).toEqual(usd(18_000_00));
  });

  it('bills a usage commitment at its minimum per period in arrears, prorated in a short last period', () => {
    const plan = monthlyPlan({
      endDate: '2026-03-15',
      components: [
        {
          kind: 'usage',
          description: 'API calls',
          minimumPerPeriod: usd(500_00),
          includedUnits: 100_000,
          overageUnitPrice: usd(1),
          unitName: 'call',
        },
      ],
    });
    const s = generateSchedule(plan);
    expect(s.invoices.map((i) => [i.issueDate, i.total.amount])).toEqual([
      ['2026-01-31', 500_00],
      ['2026-02-28', 500_00],
      ['2026-03-15', 241_93],
    ]);
    expect(s.invoices[0]?.lines[0]?.description).toBe(
      'API calls, 2026-01-01 to 2026-01-31: minimum commitment (100000 calls included)',
    );
  });

  it('invoices a one-time fee on the start date, on a given date, or on acceptance', () => {
    const plan = monthlyPlan({
      components: [
        { kind: 'one_time', category: 'setup', description: 'Setup', amount: usd(100_00) },
        { kind: 'one_time', description: 'Training', amount: usd(200_00), on: 'date', date: '2026-03-15' },
        {
          kind: 'one_time',
          category: 'implementation',
          description: 'Implementation',
          amount: usd(300_00),
          on: 'acceptance',
        },
      ],
    });
    const pending = generateSchedule(plan).invoices;
    expect(pending.map((i) => [i.key, i.trigger, i.issueDate, i.dueDate])).toEqual([
      ['c0-once', 'date', '2026-01-01', '2026-01-31'],
      ['c1-once', 'date', '2026-03-15', '2026-04-14'],
      ['c2-once', 'acceptance', null, null],
    ]);
    const accepted = generateSchedule(plan, { acceptanceDate: '2026-01-09' }).invoices;
    expect(accepted.find((i) => i.key === 'c2-once')).toMatchObject({
      trigger: 'acceptance',
      issueDate: '2026-01-09',
      dueDate: '2026-02-08',
    });
  });

  it('invoices each milestone on its acceptance and shows the expected date until then', () => {
    const plan = monthlyPlan({
      components: [
        {
          kind: 'milestone',
          description: 'Project',
          milestones: [
            { id: 'design', name: 'Design', amount: usd(4000_00), expectedOn: '2026-02-01', acceptedOn: '2026-02-03' },
            { id: 'build', name: 'Build', amount: usd(6000_00), expectedOn: '2026-05-01' },
            { id: 'launch', name: 'Launch', amount: usd(2000_00) },
          ],
        },
      ],
    });
    const s = generateSchedule(plan);
    expect(s.invoices.map((i) => [i.key, i.trigger, i.milestoneId, i.issueDate, i.dueDate, i.expectedDate])).toEqual([
      ['c0-m:design', 'milestone', 'design', '2026-02-03', '2026-03-05', '2026-02-01'],
      ['c0-m:build', 'milestone', 'build', null, null, '2026-05-01'],
      ['c0-m:launch', 'milestone', 'launch', null, null, undefined],
    ]);
    expect(s.invoices[0]?.lines[0]?.description).toBe('Project: Design');
    expect(s.contractValue).toEqual(usd(12_000_00));
  });
});

describe('the schedule as a whole', () => {
  const mixed = monthlyPlan({
    currency: 'JPY',
    startDate: '2026-01-31',
    endDate: '2027-01-30',
    paymentTerms: 'eofm_20',
    discount: { kind: 'percent', basisPoints: 500 },
    components: [
      { kind: 'recurring', description: 'Platform', interval: 'quarterly', timing: 'advance', price: jpy(300_000) },
      { kind: 'one_time', description: 'Onboarding', amount: jpy(50_000), on: 'acceptance' },
      {
        kind: 'milestone',
        milestones: [{ id: 'golive', name: 'Go-live', amount: jpy(100_000), expectedOn: '2026-04-01' }],
      },
      { kind: 'usage', minimumPerPeriod: jpy(10_000), includedUnits: 5, overageUnitPrice: jpy(2_000) },
    ],
  });

  it('sorts invoices by issue date, then the ones waiting on a trigger by expected date', () => {
    const keys = generateSchedule(mixed).invoices.map((i) => i.key);
    expect(keys.slice(0, 3)).toEqual(['c0-p1', 'c3-p1', 'c3-p2']);
    expect(keys.slice(-2)).toEqual(['c2-m:golive', 'c1-once']);
  });

  it('sets due dates from the plan payment terms (20th of the following month)', () => {
    const [first] = generateSchedule(mixed).invoices;
    expect([first?.issueDate, first?.dueDate]).toEqual(['2026-01-31', '2026-02-20']);
  });

  it('sums every invoice to the contract value exactly, milestones and acceptance fees included', () => {
    const s = generateSchedule(mixed);
    expect(s.contractValue.amount).toBe(s.invoices.reduce((sum, i) => sum + i.total.amount, 0));
    expect(s.contractValue).toEqual(jpy(4 * 285_000 + 50_000 + 100_000 + 12 * 10_000));
  });

  it('produces the same schedule, keys included, every time', () => {
    expect(generateSchedule(mixed)).toEqual(generateSchedule(structuredClone(mixed)));
  });
});
