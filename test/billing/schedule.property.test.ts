import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays, dayNumber } from '../../src/billing/calendar.js';
import { applyCancellation, applyUpgrade } from '../../src/billing/changes.js';
import type { BillingPlan, BillingPlanInput } from '../../src/billing/plan.js';
import { BillingPlanSchema } from '../../src/billing/plan.js';
import { prorateDays, prorateFinalPeriod, prorateFirstPeriod, prorateUpgrade } from '../../src/billing/proration.js';
import { generateSchedule } from '../../src/billing/schedule.js';
import type { BillingSchedule } from '../../src/billing/schedule-model.js';
import { minDay } from '../../src/core/dates.js';

const runs = Number(process.env.FAST_CHECK_RUNS ?? 200);
/** A generous ceiling: the default run takes well under a second per property. */
const timeout = Math.max(10_000, runs * 20);

const CURRENCIES = ['JPY', 'USD', 'KWD'] as const; // 0, 2 and 3 minor units
const FIRST_DAY = '2023-01-01';

const day = (offset: number) => addDays(FIRST_DAY, offset);

/** Amounts up to 10^9 minor units: large enough for every rounding case, small enough to stay cheap. */
const amountArb = fc.integer({ min: 0, max: 1_000_000_000 });

interface Draft {
  currency: (typeof CURRENCIES)[number];
  startOffset: number;
  termDays: number;
  paymentTerms: string;
  components: Array<(currency: string, start: string, end: string, termDays: number) => Record<string, unknown>>;
  discount: ((currency: string) => Record<string, unknown>) | null;
}

const recurringArb = fc
  .record({
    interval: fc.constantFrom('monthly', 'quarterly', 'annual'),
    timing: fc.constantFrom('advance', 'arrears'),
    alignment: fc.constantFrom('term', 'calendar'),
    price: amountArb,
    ramps: fc.uniqueArray(fc.record({ fromPeriod: fc.integer({ min: 2, max: 30 }), price: amountArb }), {
      maxLength: 2,
      selector: (r) => r.fromPeriod,
    }),
  })
  .map(
    (r) => (currency: string) =>
      ({
        kind: 'recurring',
        description: 'Subscription',
        interval: r.interval,
        timing: r.timing,
        alignment: r.alignment,
        price: { amount: r.price, currency },
        ramps: [...r.ramps]
          .sort((a, b) => a.fromPeriod - b.fromPeriod)
          .map((s) => ({ fromPeriod: s.fromPeriod, price: { amount: s.price, currency } })),
      }) as Record<string, unknown>,
  );

const hourlyArb = fc
  .record({
    rate: fc.integer({ min: 1, max: 1_000_000 }),
    cap: fc.integer({ min: 1, max: 200 }),
    interval: fc.constantFrom('monthly', 'quarterly', 'annual'),
  })
  .map(
    (h) => (currency: string) =>
      ({
        kind: 'hourly',
        rate: { amount: h.rate, currency },
        capHoursPerPeriod: h.cap,
        interval: h.interval,
      }) as Record<string, unknown>,
  );

const usageArb = fc
  .record({
    minimum: amountArb,
    included: fc.integer({ min: 0, max: 10_000 }),
    overage: fc.integer({ min: 0, max: 10_000 }),
    interval: fc.constantFrom('monthly', 'quarterly', 'annual'),
  })
  .map(
    (u) => (currency: string) =>
      ({
        kind: 'usage',
        interval: u.interval,
        minimumPerPeriod: { amount: u.minimum, currency },
        includedUnits: u.included,
        overageUnitPrice: { amount: u.overage, currency },
      }) as Record<string, unknown>,
  );

const oneTimeArb = fc
  .record({
    amount: fc.integer({ min: 1, max: 1_000_000_000 }),
    on: fc.constantFrom('start', 'acceptance', 'date'),
    at: fc.double({ min: 0, max: 0.999, noNaN: true }),
  })
  .map(
    (o) => (currency: string, start: string, _end: string, termDays: number) =>
      ({
        kind: 'one_time',
        description: 'Fee',
        amount: { amount: o.amount, currency },
        on: o.on,
        ...(o.on === 'date' ? { date: addDays(start, Math.floor(o.at * termDays)) } : {}),
      }) as Record<string, unknown>,
  );

const milestoneArb = fc
  .array(
    fc.record({
      amount: fc.integer({ min: 1, max: 1_000_000_000 }),
      accepted: fc.option(fc.integer({ min: -30, max: 2000 }), { nil: undefined }),
      expected: fc.option(fc.integer({ min: -30, max: 2000 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map(
    (ms) => (currency: string, start: string) =>
      ({
        kind: 'milestone',
        milestones: ms.map((m, j) => ({
          id: `m${j}`,
          name: `Milestone ${j}`,
          amount: { amount: m.amount, currency },
          ...(m.accepted === undefined ? {} : { acceptedOn: addDays(start, m.accepted) }),
          ...(m.expected === undefined ? {} : { expectedOn: addDays(start, m.expected) }),
        })),
      }) as Record<string, unknown>,
  );

const discountArb = fc.option(
  fc.oneof(
    fc.integer({ min: 1, max: 10_000 }).map((bp) => () => ({ kind: 'percent', basisPoints: bp })),
    fc
      .integer({ min: 1, max: 1_000_000_000 })
      .map((amount) => (currency: string) => ({ kind: 'amount_per_period', amount: { amount, currency } })),
  ),
  { nil: null },
);

function draftArb(
  componentArb: fc.Arbitrary<Draft['components'][number]>,
  withRecurring: boolean,
): fc.Arbitrary<Draft> {
  return fc.record({
    currency: fc.constantFrom(...CURRENCIES),
    startOffset: fc.integer({ min: 0, max: 3 * 365 }),
    // Up to five years; mostly a year or so, which exercises the same edges for a fraction of the cost.
    termDays: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 400 }), weight: 3 },
      { arbitrary: fc.integer({ min: 1, max: 5 * 365 }), weight: 1 },
    ),
    paymentTerms: fc.constantFrom('due_on_receipt', 'net_30', 'net_45', 'eofm_20', 'eofm_31'),
    components: withRecurring
      ? fc.tuple(recurringArb, fc.array(componentArb, { maxLength: 2 })).map(([r, rest]) => [r, ...rest])
      : fc.array(componentArb, { minLength: 1, maxLength: 3 }),
    discount: discountArb,
  });
}

function toPlan(d: Draft): BillingPlanInput {
  const start = day(d.startOffset);
  const end = addDays(start, d.termDays - 1);
  const components = d.components.map((c) => c(d.currency, start, end, d.termDays));
  const hasRecurring = components.some((c) => c.kind === 'recurring');
  return {
    currency: d.currency,
    startDate: start,
    endDate: end,
    paymentTerms: d.paymentTerms,
    components,
    ...(d.discount && hasRecurring ? { discount: d.discount(d.currency) } : {}),
  } as BillingPlanInput;
}

const anyComponent = fc.oneof(recurringArb, hourlyArb, usageArb, oneTimeArb, milestoneArb);
const periodicComponent = fc.oneof(recurringArb, hourlyArb, usageArb);

const planArb = draftArb(anyComponent, false).map(toPlan);
const recurringPlanArb = draftArb(anyComponent, true).map(toPlan);
const periodicPlanArb = draftArb(periodicComponent, true).map(toPlan);

/**
 * The first way the schedule fails to add up, or null. Plain checks rather than one `expect` per invoice: jest's
 * matchers cost microseconds each, which dominates at 100 000 runs.
 */
function inconsistency(s: BillingSchedule, plan: BillingPlanInput): string | null {
  let sum = 0;
  const keys = new Set<string>();
  for (const inv of s.invoices) {
    if (inv.total.currency !== plan.currency) return `${inv.key} is in ${inv.total.currency}`;
    let lines = 0;
    for (const l of inv.lines) {
      if (l.amount.currency !== plan.currency) return `${inv.key} has a line in ${l.amount.currency}`;
      lines += l.amount.amount;
    }
    if (lines !== inv.total.amount) return `${inv.key}: lines add up to ${lines}, total says ${inv.total.amount}`;
    if (inv.document !== (inv.total.amount < 0 ? 'credit_note' : 'invoice')) return `${inv.key} is a ${inv.document}`;
    if (keys.has(inv.key)) return `${inv.key} appears twice`;
    keys.add(inv.key);
    sum += inv.total.amount;
  }
  if (s.contractValue.amount !== sum || s.contractValue.currency !== plan.currency) {
    return `contract value ${s.contractValue.amount} ${s.contractValue.currency}, invoices add up to ${sum}`;
  }
  return null;
}

/** The first date-triggered invoice or line outside the term, or null. */
function outsideTerm(s: BillingSchedule, plan: BillingPlanInput): string | null {
  for (const inv of s.invoices) {
    if (inv.trigger !== 'date') continue;
    if (inv.issueDate === null || inv.issueDate < plan.startDate || inv.issueDate > plan.endDate) {
      return `${inv.key} issued on ${inv.issueDate}`;
    }
    for (const l of inv.lines) {
      if ((l.periodStart && l.periodStart < plan.startDate) || (l.periodEnd && l.periodEnd > plan.endDate)) {
        return `${inv.key} has a line for ${l.periodStart} to ${l.periodEnd}`;
      }
    }
  }
  return null;
}

function expectConsistent(s: BillingSchedule, plan: BillingPlanInput): void {
  expect(inconsistency(s, plan)).toBeNull();
}

function expectWithinTerm(s: BillingSchedule, plan: BillingPlanInput): void {
  expect(outsideTerm(s, plan)).toBeNull();
}

function rampPrice(c: Extract<BillingPlan['components'][number], { kind: 'recurring' }>, n: number): number {
  let p = c.price.amount;
  for (const r of c.ramps) if (r.fromPeriod <= n) p = r.price.amount;
  return p;
}

/** A date inside the term, from a fraction. */
const within = (plan: BillingPlanInput, f: number) =>
  addDays(plan.startDate, Math.floor(f * (dayNumber(plan.endDate) - dayNumber(plan.startDate) + 1)));

const fraction = fc.double({ min: 0, max: 0.9999, noNaN: true });

describe('schedule properties', () => {
  it(
    'sums every schedule exactly to its contract value, in JPY, USD and KWD',
    () => {
      fc.assert(
        fc.property(planArb, (plan) => {
          expectConsistent(generateSchedule(plan), plan);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'issues no date-triggered invoice before the start or after the end of the term',
    () => {
      fc.assert(
        fc.property(planArb, fc.option(fraction, { nil: undefined }), (plan, f) => {
          const s = generateSchedule(plan, f === undefined ? {} : { acceptanceDate: within(plan, f) });
          expectWithinTerm(s, plan);
          expect(s.invoices.find((inv) => inv.total.amount < 0)).toBeUndefined();
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'never prorates a recurring line above the full-period price of its period',
    () => {
      fc.assert(
        fc.property(recurringPlanArb, (input) => {
          const plan = BillingPlanSchema.parse(input);
          const tooMuch: string[] = [];
          for (const inv of generateSchedule(plan).invoices) {
            const m = /^c(\d+)-p(\d+)$/.exec(inv.key);
            if (!m) continue;
            const c = plan.components[Number(m[1])];
            if (c?.kind !== 'recurring') continue;
            const full = rampPrice(c, Number(m[2]));
            for (const l of inv.lines) {
              if (l.kind === 'recurring' && (l.amount.amount < 0 || l.amount.amount > full)) {
                tooMuch.push(`${inv.key}: ${l.amount.amount} of a full ${full}`);
              }
            }
          }
          expect(tooMuch).toEqual([]);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );
});

describe('proration properties', () => {
  const periodArb = fc.record({
    currency: fc.constantFrom(...CURRENCIES),
    price: amountArb,
    newPrice: amountArb,
    startOffset: fc.integer({ min: 0, max: 3 * 365 }),
    length: fc.integer({ min: 1, max: 366 }),
    split: fraction,
  });

  it(
    'keeps every prorated amount between zero and the full price, and the two sides of a split add up to it',
    () => {
      fc.assert(
        fc.property(periodArb, (p) => {
          const period = { start: day(p.startOffset), end: day(p.startOffset + p.length - 1) };
          const price = { amount: p.price, currency: p.currency };
          const splitAt = Math.floor(p.split * p.length); // days used before the split
          const first = prorateFirstPeriod(price, period, addDays(period.start, splitAt));
          expect(first.amount).toBeGreaterThanOrEqual(0);
          expect(first.amount).toBeLessThanOrEqual(p.price);
          if (splitAt > 0) {
            const used = prorateFinalPeriod(price, period, addDays(period.start, splitAt - 1));
            expect(used.amount).toBeLessThanOrEqual(p.price);
            expect(used.amount + first.amount).toBe(p.price);
            expect(prorateDays(price, period, period.start, addDays(period.start, splitAt - 1))).toEqual(used);
          }
          const up = prorateUpgrade(
            price,
            { amount: p.newPrice, currency: p.currency },
            period,
            addDays(period.start, splitAt),
          );
          expect(up.credit.amount + first.amount).toBe(0);
          expect(up.charge.amount).toBeLessThanOrEqual(p.newPrice);
          expect(up.net.amount).toBe(up.charge.amount + up.credit.amount);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );
});

describe('mid-cycle change properties', () => {
  it(
    'keeps an upgraded schedule summing to its contract value, earlier invoices unchanged and dates within the term',
    () => {
      fc.assert(
        fc.property(recurringPlanArb, fraction, amountArb, (plan, f, newPrice) => {
          const before = generateSchedule(plan);
          const effectiveDate = within(plan, f);
          const after = applyUpgrade(plan, before, {
            effectiveDate,
            componentIndex: 0,
            newPrice: { amount: newPrice, currency: plan.currency },
          });
          expectConsistent(after, plan);
          expectWithinTerm(after, plan);
          const early = (s: BillingSchedule) =>
            s.invoices.filter((i) => i.issueDate !== null && i.issueDate < effectiveDate);
          expect(early(after)).toEqual(early(before));
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'changes nothing in the contract value when an upgrade keeps the price',
    () => {
      fc.assert(
        fc.property(recurringPlanArb, fraction, (input, f) => {
          const plan = {
            ...input,
            components: input.components.map((c) => (c.kind === 'recurring' ? { ...c, ramps: [] } : c)),
          };
          const first = plan.components[0] as { price: { amount: number; currency: string } };
          const before = generateSchedule(plan);
          const after = applyUpgrade(plan, before, {
            effectiveDate: within(plan, f),
            componentIndex: 0,
            newPrice: first.price,
          });
          expect(after.contractValue).toEqual(before.contractValue);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'gives an upgrade at the start of a period the same invoices as a ramp step from that period',
    () => {
      fc.assert(
        fc.property(recurringPlanArb, fc.integer({ min: 2, max: 12 }), amountArb, (input, n, newPrice) => {
          const plan = BillingPlanSchema.parse(input);
          const c = plan.components[0];
          if (c?.kind !== 'recurring' || c.alignment !== 'term' || c.ramps.length > 0) return;
          const target = generateSchedule({ ...input, components: [c] }).invoices.find((i) => i.key === `c0-p${n}`);
          if (!target?.periodStart) return;
          const price = { amount: newPrice, currency: plan.currency };
          const upgraded = applyUpgrade(input, generateSchedule(input), {
            effectiveDate: target.periodStart,
            componentIndex: 0,
            newPrice: price,
          });
          const ramped = generateSchedule({
            ...input,
            components: [{ ...c, ramps: [{ fromPeriod: n, price }] }, ...input.components.slice(1)],
          });
          expect(upgraded.invoices).toEqual(ramped.invoices);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'comes to the same contract value after a cancellation as the plan ending the day before',
    () => {
      fc.assert(
        fc.property(periodicPlanArb, fraction, (plan, f) => {
          if (plan.startDate === plan.endDate) return;
          // The day after a day of service, so that at least one day is served; never past the end of the term.
          const dayAfter = addDays(within(plan, f), 1);
          const effectiveDate = minDay(dayAfter, plan.endDate);
          const after = applyCancellation(plan, generateSchedule(plan), { effectiveDate });
          expectConsistent(after, plan);
          expectWithinTerm(after, plan);
          const shortened = generateSchedule({ ...plan, endDate: addDays(effectiveDate, -1) });
          expect(after.contractValue).toEqual(shortened.contractValue);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'keeps the sums consistent through an upgrade followed by a cancellation',
    () => {
      fc.assert(
        fc.property(recurringPlanArb, fraction, fraction, amountArb, (plan, f1, f2, newPrice) => {
          const [a, b] = [within(plan, f1), within(plan, f2)].sort();
          const upgraded = applyUpgrade(plan, generateSchedule(plan), {
            effectiveDate: a as string,
            componentIndex: 0,
            newPrice: { amount: newPrice, currency: plan.currency },
          });
          const cancelled = applyCancellation(plan, upgraded, { effectiveDate: b as string });
          expectConsistent(cancelled, plan);
          expectWithinTerm(cancelled, plan);
          expect(cancelled.changes.map((c) => c.kind)).toEqual(['upgrade', 'cancellation']);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );
});
