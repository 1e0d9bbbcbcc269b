import { describe, expect, it } from '@jest/globals';
import { conditionHolds, evaluateHandoff } from '../../src/handoff/evaluate.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { DEFAULT_SALES_TO_CS } from '../../src/handoff/templates/default-sales-to-cs.js';
import {
  caught,
  completeFinanceData,
  completeSalesData,
  eurOnlyBooks,
  milestonePlan,
  NOW,
  subscriptionPlan,
  TZ,
  usd,
} from './fixtures.js';

const ctx = { now: NOW, timeZone: TZ };
const field = (ev: ReturnType<typeof evaluateHandoff>, key: string) => ev.fields.find((f) => f.key === key);

describe('conditionHolds', () => {
  it('holds for equals, in and truthy conditions on valid values', () => {
    expect(conditionHolds({ field: 'poRequired', equals: true }, { poRequired: true })).toBe(true);
    expect(conditionHolds({ field: 'poRequired', equals: true }, { poRequired: false })).toBe(false);
    expect(conditionHolds({ field: 'billingModel', in: ['usage', 'hourly'] }, { billingModel: 'hourly' })).toBe(true);
    expect(conditionHolds({ field: 'nonStandardClauses', truthy: true }, { nonStandardClauses: '' })).toBe(false);
  });

  it('refuses a condition on an unknown field', () => {
    expect(caught(() => conditionHolds({ field: 'nope' } as never, {})).path).toBe('condition.field');
  });
});

describe('evaluateHandoff', () => {
  it('finds a complete CS → Finance handoff complete at 100%', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, completeFinanceData, ctx);
    expect(ev.fields.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(ev).toMatchObject({ complete: true, percentComplete: 100, blockingCount: 0, warningCount: 0 });
  });

  it('finds a complete Sales → CS handoff complete at 100%', () => {
    const ev = evaluateHandoff(DEFAULT_SALES_TO_CS, completeSalesData, ctx);
    expect(ev).toMatchObject({ complete: true, percentComplete: 100 });
  });

  it('records the template id, the template version it was judged against and when', () => {
    const ev = evaluateHandoff({ ...DEFAULT_CS_TO_FINANCE, version: 7 }, completeFinanceData, ctx);
    expect(ev).toMatchObject({
      templateId: 'default-cs-to-finance',
      templateVersion: 7,
      evaluatedAt: '2026-03-10T14:00:00.000Z',
    });
  });

  it('counts percent complete over required fields, rounding down so that 100 means done', () => {
    const { customerGoals: _a, primaryUseCase: _b, ...rest } = completeSalesData;
    const ev = evaluateHandoff(DEFAULT_SALES_TO_CS, rest, ctx);
    // 11 required fields, 9 done → 81.8 → 81
    expect(ev.fields.filter((f) => f.required)).toHaveLength(11);
    expect(ev).toMatchObject({ percentComplete: 81, complete: false, blockingCount: 2, warningCount: 0 });
    expect(field(ev, 'customerGoals')).toMatchObject({
      status: 'missing',
      severity: 'blocking',
      reason: 'Customer goals and success criteria is required.',
    });
  });

  it('reports an empty handoff as 0% with every required field missing', () => {
    const ev = evaluateHandoff(DEFAULT_SALES_TO_CS, {}, ctx);
    expect(ev.percentComplete).toBe(0);
    expect(ev.fields.every((f) => f.status === 'missing' && f.reason)).toBe(true);
  });

  it('keeps a missing warning-level field from blocking completeness', () => {
    const { expansionHypothesis: _x, ...rest } = completeSalesData;
    const ev = evaluateHandoff(DEFAULT_SALES_TO_CS, rest, ctx);
    expect(ev).toMatchObject({ complete: true, blockingCount: 0, warningCount: 1, percentComplete: 90 });
  });

  it('marks the PO number missing when the customer requires POs, with the No-PO, No-Go reason', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ...completeFinanceData, poRequired: true }, ctx);
    expect(field(ev, 'poNumber')).toMatchObject({
      status: 'missing',
      severity: 'blocking',
      reason: 'The customer requires a PO on every invoice ("No-PO, No-Go"): add the PO number.',
    });
    expect(ev.complete).toBe(false);
  });

  it('does not list the PO number when the customer does not use POs', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, completeFinanceData, ctx);
    expect(field(ev, 'poNumber')).toBeUndefined();
  });

  it('reports a value that fails its schema as invalid with the reason instead of throwing', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ...completeFinanceData, championEmail: 'chris at acme' }, ctx);
    expect(field(ev, 'championEmail')).toMatchObject({
      status: 'invalid',
      reason: 'must be an email address such as ap@customer.com',
    });
  });

  it('reports a bad value in a field nobody asked for as a warning, and ignores the value', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ...completeFinanceData, kickoffDate: '2026-13-01' }, ctx);
    expect(field(ev, 'kickoffDate')).toMatchObject({ status: 'invalid', severity: 'warning', required: false });
    expect(ev.complete).toBe(true);
    expect(ev.percentComplete).toBe(100);
  });

  it('asks for a discount approval only when the discount is above the template threshold', () => {
    const low = evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ...completeFinanceData, discountBasisPoints: 1500 }, ctx);
    expect(field(low, 'discountApproval')).toBeUndefined();
    const high = evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ...completeFinanceData, discountBasisPoints: 2500 }, ctx);
    expect(field(high, 'discountApproval')).toMatchObject({ status: 'needs_approval', severity: 'blocking' });
    const stricter = evaluateHandoff(
      {
        ...DEFAULT_CS_TO_FINANCE,
        policy: { ...DEFAULT_CS_TO_FINANCE.policy, discountApprovalThresholdBasisPoints: 1000 },
      },
      { ...completeFinanceData, discountBasisPoints: 1500 },
      ctx,
    );
    expect(field(stricter, 'discountApproval')?.status).toBe('needs_approval');
  });

  it('judges approval dates against today in the portal time zone', () => {
    // 23:30 UTC on 10 March is already 11 March in Tokyo.
    const data = {
      ...completeFinanceData,
      discountBasisPoints: 2500,
      discountApproval: { approvedBy: 'Fran', approvedOn: '2026-03-11' },
    };
    const late = new Date('2026-03-10T23:30:00Z');
    expect(
      field(evaluateHandoff(DEFAULT_CS_TO_FINANCE, data, { now: late, timeZone: 'Asia/Tokyo' }), 'discountApproval')
        ?.status,
    ).toBe('ok');
    expect(
      field(
        evaluateHandoff(DEFAULT_CS_TO_FINANCE, data, { now: late, timeZone: 'America/New_York' }),
        'discountApproval',
      )?.status,
    ).toBe('invalid');
  });

  it('marks payment terms outside the allowed list as needing approval', () => {
    const plan = { ...subscriptionPlan, paymentTerms: 'net_60' };
    const ev = evaluateHandoff(
      DEFAULT_CS_TO_FINANCE,
      { ...completeFinanceData, paymentTerms: 'net_60', billingPlan: plan },
      ctx,
    );
    expect(field(ev, 'paymentTerms')).toMatchObject({ status: 'needs_approval', severity: 'blocking' });
    expect(field(ev, 'paymentTerms')?.reason).toContain('Net 60 is outside the payment-terms policy');
  });

  it('uses contractValue() of the plan to catch a plan that does not add up to the deal amount', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ...completeFinanceData, contractValue: usd(15_000_00) }, ctx);
    expect(field(ev, 'billingPlan')).toMatchObject({
      status: 'invalid',
      reason: 'The billing plan adds up to $12,000.00, but the contract value is $15,000.00 ($3,000.00 short).',
    });
  });

  it('checks milestones against the contract value for milestone billing', () => {
    const ev = evaluateHandoff(
      DEFAULT_CS_TO_FINANCE,
      { ...completeFinanceData, billingModel: 'milestone', billingPlan: milestonePlan, contractValue: usd(9_000_00) },
      ctx,
    );
    const plan = field(ev, 'billingPlan');
    expect(plan?.status).toBe('invalid');
    expect(plan?.problems.map((p) => p.source)).toEqual(
      expect.arrayContaining(['milestones_sum_to_contract_value', 'plan_total_matches_contract_value']),
    );
    expect(plan?.reason).toContain('The milestones add up to $10,000.00, but the contract value is $9,000.00');
  });

  it('reports a plan the connected finance system cannot represent, with the vendor message and its alternative', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, completeFinanceData, { ...ctx, capabilities: eurOnlyBooks });
    const plan = field(ev, 'billingPlan');
    expect(plan).toMatchObject({ status: 'invalid', severity: 'blocking' });
    expect(plan?.reason).toContain('QuickBooks Online is set up to invoice in EUR; this plan is in USD');
    expect(ev.complete).toBe(false);
  });

  it('offers the finance system’s alternative as a suggestion with its patch', () => {
    const plan = { ...subscriptionPlan, paymentTerms: 'net_45' };
    const books = {
      ...eurOnlyBooks,
      currencies: 'any' as const,
      paymentTerms: { maxNetDays: 30, dayOfFollowingMonth: false },
    };
    const ev = evaluateHandoff(
      DEFAULT_CS_TO_FINANCE,
      { ...completeFinanceData, paymentTerms: 'net_45', billingPlan: plan },
      { ...ctx, capabilities: books },
    );
    expect(ev.suggestions).toContainEqual(
      expect.objectContaining({
        kind: 'alternative',
        field: 'billingPlan',
        patch: [{ op: 'replace', path: '/paymentTerms', value: 'net_30' }],
      }),
    );
  });

  it('turns a late-payment history into a warning with a deposit suggestion, without blocking', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, completeFinanceData, {
      ...ctx,
      credit: {
        level: 'high_risk',
        suggestion: { kind: 'deposit', basisPoints: 2500 },
        reasons: ['2 invoices 60+ days late'],
      },
    });
    expect(field(ev, 'depositAmount')).toMatchObject({ status: 'needs_approval', severity: 'warning' });
    expect(ev.suggestions).toEqual([
      expect.objectContaining({ kind: 'deposit', field: 'depositAmount', patch: { depositAmount: usd(3_000_00) } }),
    ]);
    expect(ev).toMatchObject({ complete: true, warningCount: 1 });
    expect(ev.percentComplete).toBeLessThan(100);
  });

  it('reports an hourly component without a cap as an invalid billing plan, naming the component', () => {
    const plan = { ...subscriptionPlan, components: [{ kind: 'hourly', rate: usd(150_00) }] };
    const ev = evaluateHandoff(
      DEFAULT_CS_TO_FINANCE,
      { ...completeFinanceData, billingModel: 'hourly', billingPlan: plan } as never,
      ctx,
    );
    expect(field(ev, 'billingPlan')).toMatchObject({
      status: 'invalid',
      severity: 'blocking',
      reason: 'components[0].capHoursPerPeriod is required',
    });
  });

  it('flags the champion given as the AP contact', () => {
    const ev = evaluateHandoff(
      DEFAULT_CS_TO_FINANCE,
      { ...completeFinanceData, billingContact: { name: 'Chris', email: 'chris@acme.example' } },
      ctx,
    );
    expect(field(ev, 'billingContact')?.status).toBe('invalid');
  });

  it('requires usage commitments only for usage billing, saying why', () => {
    const ev = evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ...completeFinanceData, billingModel: 'usage' }, ctx);
    expect(field(ev, 'usageCommitments')).toMatchObject({
      status: 'missing',
      reason: 'Usage or consumption commitments is required because Billing model is "usage".',
    });
  });

  it('lets a template turn a rule into a warning', () => {
    const t = {
      ...DEFAULT_CS_TO_FINANCE,
      rules: [{ rule: 'renewal_after_start' as const, severity: 'warning' as const }],
    };
    const ev = evaluateHandoff(t, { ...completeFinanceData, renewalDate: '2026-01-01' }, ctx);
    expect(field(ev, 'renewalDate')).toMatchObject({ status: 'invalid', severity: 'warning' });
    expect(ev.complete).toBe(true);
  });

  describe('bad input', () => {
    it('refuses an unknown data key with its path and a did-you-mean', () => {
      const err = caught(() => evaluateHandoff(DEFAULT_CS_TO_FINANCE, { ponumber: 'x' }, ctx));
      expect(err).toMatchObject({ code: 'invalid_input', path: 'data.ponumber' });
      expect(err.message).toBe('data.ponumber: "ponumber" is not a handoff field (did you mean "poNumber"?)');
    });

    it('refuses data that is not an object', () => {
      expect(caught(() => evaluateHandoff(DEFAULT_CS_TO_FINANCE, null, ctx))).toMatchObject({
        path: 'data',
        message: 'data: must be an object of handoff field values',
      });
    });

    it('refuses an unknown time zone', () => {
      const err = caught(() => evaluateHandoff(DEFAULT_CS_TO_FINANCE, {}, { now: NOW, timeZone: 'Mars/Olympus' }));
      expect(err).toMatchObject({
        path: 'context.timeZone',
        message: 'context.timeZone: is not a known IANA time zone',
      });
    });

    it('refuses an invalid "now"', () => {
      const err = caught(() => evaluateHandoff(DEFAULT_CS_TO_FINANCE, {}, { now: new Date('nope'), timeZone: TZ }));
      expect(err).toMatchObject({ path: 'context.now', message: 'context.now: must be a valid date and time' });
    });

    it('points at the bad part of an incomplete finance-system descriptor', () => {
      const err = caught(() =>
        evaluateHandoff(DEFAULT_CS_TO_FINANCE, completeFinanceData, {
          ...ctx,
          capabilities: { system: 'xero', displayName: 'Xero' } as never,
        }),
      );
      expect(err.code).toBe('invalid_input');
      expect(err.path).toMatch(/^context\.capabilities\./);
    });

    it('refuses an invalid template before judging anything', () => {
      const err = caught(() => evaluateHandoff({ ...DEFAULT_CS_TO_FINANCE, version: 0 }, {}, ctx));
      expect(err).toMatchObject({ path: 'template.version', message: 'template.version: must be 1 or more' });
    });
  });
});
