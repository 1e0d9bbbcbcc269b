import { describe, expect, it } from '@jest/globals';
import type { FinanceCapabilities } from '../../src/billing/capabilities.js';
import {
  applyPlanPatch,
  averageDaysToPay,
  checkFeasibility,
  FinanceCapabilitiesSchema,
} from '../../src/billing/feasibility.js';
import { type BillingPlanInput, BillingPlanSchema } from '../../src/billing/plan.js';
import {
  QUICKBOOKS_CAPABILITIES,
  STRIPE_CAPABILITIES,
  VENDOR_CAPABILITIES,
  XERO_CAPABILITIES,
} from '../../src/billing/vendor-capabilities.js';
import { caught, monthlyPlan, usd } from './fixtures.js';

const codes = (plan: BillingPlanInput, caps: FinanceCapabilities) =>
  checkFeasibility(plan, caps).problems.map((p) => p.code);

const arrears = monthlyPlan({
  components: [
    { kind: 'recurring', description: 'Retainer', interval: 'monthly', timing: 'arrears', price: usd(2000_00) },
  ],
});

describe('vendor capability descriptors', () => {
  it('describes QuickBooks without drafts, Xero with drafts, and Stripe without day-of-following-month terms', () => {
    expect(QUICKBOOKS_CAPABILITIES.draftInvoices).toBe(false);
    expect(XERO_CAPABILITIES.draftInvoices).toBe(true);
    expect(XERO_CAPABILITIES.paymentTerms.dayOfFollowingMonth).toBe(true);
    expect(STRIPE_CAPABILITIES.paymentTerms.dayOfFollowingMonth).toBe(false);
    expect(STRIPE_CAPABILITIES.recurring?.timings).toEqual(['advance']);
    expect(STRIPE_CAPABILITIES.recurring?.intervals).toContain('quarterly');
  });

  it('passes its own schema for every vendor', () => {
    for (const caps of Object.values(VENDOR_CAPABILITIES)) {
      expect(FinanceCapabilitiesSchema.safeParse(caps).success).toBe(true);
    }
  });
});

describe('checkFeasibility', () => {
  it('finds nothing to say about a monthly advance plan on net 30 in Stripe', () => {
    expect(checkFeasibility(monthlyPlan(), STRIPE_CAPABILITIES)).toEqual({ feasible: true, problems: [] });
  });

  it('blocks day-of-following-month terms on Stripe and suggests the net days that match on average', () => {
    const result = checkFeasibility(monthlyPlan({ paymentTerms: 'eofm_20' }), STRIPE_CAPABILITIES);
    expect(result.feasible).toBe(false);
    expect(result.problems).toEqual([
      {
        code: 'payment_terms_day_of_month_unsupported',
        path: 'billingPlan.paymentTerms',
        blocking: true,
        message:
          'Stripe cannot make an invoice due on a day of the following month ("20th of the following month"); it only counts days from the invoice date. Net 35 gives the customer the same 35 days to pay on average.',
        alternative: {
          description: 'Use Net 35 instead of "20th of the following month"',
          patch: [{ op: 'replace', path: '/paymentTerms', value: 'net_35' }],
        },
      },
    ]);
  });

  it('accepts day-of-following-month terms in Xero and QuickBooks', () => {
    expect(codes(monthlyPlan({ paymentTerms: 'eofm_20' }), XERO_CAPABILITIES)).toEqual([]);
    expect(codes(monthlyPlan({ paymentTerms: 'eofm_20' }), QUICKBOOKS_CAPABILITIES)).toEqual(['no_draft_invoices']);
  });

  it('becomes feasible once the suggested alternative is applied', () => {
    const plan = monthlyPlan({ paymentTerms: 'eofm_10' });
    const [problem] = checkFeasibility(plan, STRIPE_CAPABILITIES).problems;
    const patched = applyPlanPatch(plan, problem?.alternative?.patch ?? []);
    expect(patched.paymentTerms).toBe(`net_${averageDaysToPay('eofm_10')}`);
    expect(checkFeasibility(patched, STRIPE_CAPABILITIES).feasible).toBe(true);
  });

  it('caps net days at the most the system allows', () => {
    const caps = { ...XERO_CAPABILITIES, paymentTerms: { maxNetDays: 60, dayOfFollowingMonth: true } };
    const [problem] = checkFeasibility(monthlyPlan({ paymentTerms: 'net_90' }), caps).problems;
    expect(problem).toMatchObject({
      code: 'payment_terms_too_long',
      blocking: true,
      message: 'Xero allows at most 60 days to pay; this plan gives 90 ("Net 90").',
      alternative: { patch: [{ op: 'replace', path: '/paymentTerms', value: 'net_60' }] },
    });
  });

  it('is feasible with a note when QuickBooks cannot repeat an arrears invoice: we create each one on its date', () => {
    const result = checkFeasibility(arrears, QUICKBOOKS_CAPABILITIES);
    expect(result.feasible).toBe(true);
    const problem = result.problems.find((p) => p.code === 'arrears_unsupported');
    expect(problem).toMatchObject({
      path: 'billingPlan.components[0].timing',
      blocking: false,
      alternative: { patch: [{ op: 'replace', path: '/components/0/timing', value: 'advance' }] },
    });
    expect(problem?.message).toBe(
      `QuickBooks Online's repeating invoices go out at the start of each period (in advance). "Retainer" is billed in arrears, so each invoice is created from this schedule on the last day of its period, in QuickBooks Online on its issue date (QuickBooks Online has no draft invoices, so scheduled invoices wait in Revenue Handoff until then).`,
    );
    expect(result.problems.map((p) => p.code)).toContain('no_draft_invoices');
  });

  it('notes that Xero arrears invoices are created as drafts', () => {
    const [problem] = checkFeasibility(arrears, XERO_CAPABILITIES).problems;
    expect(problem?.message).toContain('as a draft invoice in Xero, ready for review before it is sent');
  });

  it('blocks a currency the books do not have and says which they do', () => {
    const caps = { ...XERO_CAPABILITIES, currencies: ['USD', 'EUR'] };
    const plan = monthlyPlan({
      currency: 'JPY',
      components: [{ kind: 'one_time', description: 'Setup', amount: { amount: 10_000, currency: 'JPY' } }],
    });
    const result = checkFeasibility(plan, caps);
    expect(result.feasible).toBe(false);
    expect(result.problems[0]).toEqual({
      code: 'currency_not_enabled',
      path: 'billingPlan.currency',
      blocking: true,
      message:
        'Xero is set up to invoice in USD, EUR; this plan is in JPY. Switch on JPY in Xero (multicurrency) or agree the contract in one of those currencies.',
    });
  });

  it('invoices usage overage as a one-off line where the system has no metered billing', () => {
    const plan = monthlyPlan({
      components: [
        {
          kind: 'usage',
          description: 'API calls',
          minimumPerPeriod: usd(500_00),
          includedUnits: 1000,
          overageUnitPrice: usd(2),
          unitName: 'call',
        },
      ],
    });
    expect(codes(plan, STRIPE_CAPABILITIES)).toEqual([]);
    const [problem] = checkFeasibility(plan, XERO_CAPABILITIES).problems;
    expect(problem).toMatchObject({
      code: 'usage_overage_unsupported',
      blocking: false,
      path: 'billingPlan.components[0].overageUnitPrice',
      message:
        'Xero cannot bill metered usage. The minimum commitment for "API calls" is invoiced each period; usage beyond 1000 calls is added as a one-off line (calls over × 0.02 USD) when the period\'s usage is reported.',
    });
  });

  it('offers the equivalent fixed amount where percent discounts are not supported', () => {
    const caps = { ...STRIPE_CAPABILITIES, percentDiscounts: false };
    const plan = monthlyPlan({ discount: { kind: 'percent', basisPoints: 1500, reason: 'Pilot' } });
    const [problem] = checkFeasibility(plan, caps).problems;
    expect(problem).toMatchObject({
      code: 'percent_discount_unsupported',
      blocking: false,
      alternative: {
        description: 'Agree a fixed discount of 450.00 USD per period, the same as 15% of 3000.00 USD',
        patch: [
          {
            op: 'replace',
            path: '/discount',
            value: { kind: 'amount_per_period', amount: usd(450_00), reason: 'Pilot' },
          },
        ],
      },
    });
    const patched = BillingPlanSchema.parse(applyPlanPatch(plan, problem?.alternative?.patch ?? []));
    expect(patched.discount).toEqual({ kind: 'amount_per_period', amount: usd(450_00), reason: 'Pilot' });
  });

  it('notes calendar proration and ramps where the recurring feature cannot do them, and not on Stripe', () => {
    const plan = monthlyPlan({
      startDate: '2026-01-15',
      components: [
        {
          kind: 'recurring',
          description: 'Platform',
          interval: 'monthly',
          timing: 'advance',
          alignment: 'calendar',
          price: usd(100_00),
          ramps: [{ fromPeriod: 4, price: usd(120_00) }],
        },
      ],
    });
    expect(codes(plan, XERO_CAPABILITIES)).toEqual(['proration_unsupported', 'price_steps_unsupported']);
    expect(codes(plan, STRIPE_CAPABILITIES)).toEqual([]);
  });

  it('notes generated invoices when a system has no recurring feature or lacks the interval', () => {
    expect(codes(monthlyPlan(), { ...XERO_CAPABILITIES, recurring: null })).toEqual(['recurring_not_supported']);
    const noQuarterly = {
      ...XERO_CAPABILITIES.recurring,
      intervals: ['monthly' as const],
    } as FinanceCapabilities['recurring'];
    const quarterly = monthlyPlan({
      components: [
        { kind: 'recurring', description: 'Retainer', interval: 'quarterly', timing: 'advance', price: usd(1) },
      ],
    });
    expect(checkFeasibility(quarterly, { ...XERO_CAPABILITIES, recurring: noQuarterly }).problems[0]?.message).toBe(
      'Xero cannot repeat an invoice quarterly, so each invoice of "Retainer" is created from this schedule, as a draft invoice in Xero, ready for review before it is sent.',
    );
  });

  it('names the bad plan field and the bad capability field', () => {
    expect(
      caught(() => checkFeasibility({ ...monthlyPlan(), paymentTerms: 'net_400' }, STRIPE_CAPABILITIES)),
    ).toMatchObject({
      code: 'invalid_input',
      path: 'billingPlan.paymentTerms',
    });
    expect(caught(() => checkFeasibility(monthlyPlan(), { ...STRIPE_CAPABILITIES, displayName: ' ' }))).toMatchObject({
      path: 'capabilities.displayName',
      message: 'capabilities.displayName: is required',
    });
  });
});

describe('applyPlanPatch', () => {
  it('replaces, adds and removes fields without touching the original', () => {
    const plan = monthlyPlan({ discount: { kind: 'percent', basisPoints: 100 } });
    const patched = applyPlanPatch(plan, [
      { op: 'replace', path: '/components/0/timing', value: 'arrears' },
      { op: 'add', path: '/components/-', value: { kind: 'one_time', description: 'Setup', amount: usd(1) } },
      { op: 'remove', path: '/discount' },
    ]);
    expect(BillingPlanSchema.parse(patched).components.map((c) => c.kind)).toEqual(['recurring', 'one_time']);
    expect(patched).not.toHaveProperty('discount');
    expect(plan.discount).toBeDefined();
  });

  it('names the operation whose path does not exist', () => {
    expect(
      caught(() => applyPlanPatch(monthlyPlan(), [{ op: 'replace', path: '/nowhere/0', value: 1 }])),
    ).toMatchObject({
      path: 'patch[0].path',
      message: 'patch[0].path: the plan has no field /nowhere/0',
    });
  });
});
