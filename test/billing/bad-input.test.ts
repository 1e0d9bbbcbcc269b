import { describe, expect, it } from '@jest/globals';
import { checkFeasibility } from '../../src/billing/feasibility.js';
import { contractValue, generateSchedule } from '../../src/billing/schedule.js';
import { STRIPE_CAPABILITIES } from '../../src/billing/vendor-capabilities.js';
import { isDomainError } from '../../src/core/errors.js';
import { caught, monthlyPlan, usd } from './fixtures.js';

describe('bad billing plans', () => {
  it('names the milestone amount that is not positive, with its full path', () => {
    const plan = monthlyPlan({
      components: [
        { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(100) },
        { kind: 'milestone', milestones: [{ id: 'design', name: 'Design', amount: usd(0) }] },
      ],
    });
    const e = caught(() => generateSchedule(plan));
    expect(isDomainError(e)).toBe(true);
    expect(e).toMatchObject({
      code: 'invalid_input',
      path: 'billingPlan.components[1].milestones[0].amount.amount',
      message: 'billingPlan.components[1].milestones[0].amount.amount: must be more than zero',
    });
  });

  it('names every bad field at once, the first in the message', () => {
    const e = caught(() =>
      generateSchedule(
        monthlyPlan({
          paymentTerms: 'net_0',
          components: [
            {
              kind: 'recurring',
              description: 'Platform',
              interval: 'weekly' as 'monthly',
              timing: 'advance',
              price: usd(1),
            },
          ],
        }),
      ),
    );
    expect(e.message).toBe(
      'billingPlan.paymentTerms: must be due_on_receipt, net_<1-365 days> (e.g. net_30) or eofm_<1-31> (day of the following month) (and 1 more problem)',
    );
    expect(e.issues).toEqual([
      {
        path: 'billingPlan.paymentTerms',
        message: 'must be due_on_receipt, net_<1-365 days> (e.g. net_30) or eofm_<1-31> (day of the following month)',
      },
      { path: 'billingPlan.components[0].interval', message: 'must be monthly, quarterly or annual' },
    ]);
  });

  it('refuses a component kind it does not know, in words', () => {
    expect(caught(() => generateSchedule(monthlyPlan({ components: [{ kind: 'barter' } as never] })))).toMatchObject({
      path: 'billingPlan.components[0].kind',
      message: 'billingPlan.components[0].kind: must be one of recurring, milestone, hourly, one_time, usage',
    });
  });

  it('refuses an amount in another currency than the plan', () => {
    expect(
      caught(() =>
        contractValue(
          monthlyPlan({
            components: [{ kind: 'one_time', description: 'Setup', amount: { amount: 100, currency: 'EUR' } }],
          }),
        ),
      ),
    ).toMatchObject({
      path: 'billingPlan.components[0].amount.currency',
      message: "billingPlan.components[0].amount.currency: must be USD, the plan's currency (got EUR)",
    });
  });

  it('refuses an end date before the start date, without a second complaint about the same dates', () => {
    const e = caught(() => generateSchedule(monthlyPlan({ startDate: '2026-05-01', endDate: '2026-04-30' })));
    expect(e).toMatchObject({
      path: 'billingPlan.endDate',
      message: 'billingPlan.endDate: must be on or after the start date',
    });
    expect(e.issues).toHaveLength(1);
  });

  it('reports an impossible date once, not as a misordered term too', () => {
    const e = caught(() => generateSchedule(monthlyPlan({ startDate: '2026-02-30', endDate: '2026-01-01' })));
    expect(e.issues).toEqual([{ path: 'billingPlan.startDate', message: 'is not a real calendar date' }]);
  });

  it('refuses a term longer than 100 years', () => {
    expect(caught(() => generateSchedule(monthlyPlan({ endDate: '2126-01-01' })))).toMatchObject({
      path: 'billingPlan.endDate',
      message: 'billingPlan.endDate: the term cannot be longer than 100 years',
    });
  });

  it('refuses amounts too large to keep every sum exact', () => {
    expect(
      caught(() =>
        generateSchedule(
          monthlyPlan({ components: [{ kind: 'hourly', rate: usd(1_000_000_000), capHoursPerPeriod: 200 }] }),
        ),
      ),
    ).toMatchObject({
      path: 'billingPlan.components[0].rate.amount',
      message:
        'billingPlan.components[0].rate.amount: times the hour cap is too large (at most 100,000,000,000 minor units)',
    });
  });

  it('refuses a discount on a plan without recurring components', () => {
    expect(
      caught(() =>
        generateSchedule(
          monthlyPlan({
            discount: { kind: 'percent', basisPoints: 500 },
            components: [{ kind: 'one_time', description: 'Setup', amount: usd(100) }],
          }),
        ),
      ),
    ).toMatchObject({
      path: 'billingPlan.discount',
      message: 'billingPlan.discount: applies to recurring components, and this plan has none',
    });
  });

  it('refuses a one-time date outside the term and a repeated milestone id', () => {
    const e = caught(() =>
      generateSchedule(
        monthlyPlan({
          components: [
            { kind: 'one_time', description: 'Training', amount: usd(1), on: 'date', date: '2027-01-01' },
            {
              kind: 'milestone',
              milestones: [
                { id: 'a', name: 'A', amount: usd(1) },
                { id: 'a', name: 'A again', amount: usd(1) },
              ],
            },
          ],
        }),
      ),
    );
    expect(e.issues).toEqual([
      { path: 'billingPlan.components[0].date', message: 'must fall within the contract term' },
      { path: 'billingPlan.components[1].milestones[1].id', message: 'repeats "a"' },
    ]);
  });

  it('refuses a bad acceptance date option', () => {
    expect(caught(() => generateSchedule(monthlyPlan(), { acceptanceDate: '2026-13-01' }))).toMatchObject({
      path: 'options.acceptanceDate',
    });
  });

  it('refuses a plan that is not an object, naming the plan', () => {
    expect(caught(() => checkFeasibility('monthly please', STRIPE_CAPABILITIES))).toMatchObject({
      code: 'invalid_input',
      path: 'billingPlan',
    });
  });
});
