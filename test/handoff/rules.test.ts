import { describe, expect, it } from '@jest/globals';
import {
  apContactDistinctFromChampion,
  creditSuggestion,
  currenciesMatch,
  discountAboveThresholdApproved,
  HANDOFF_RULES,
  hourlyHasRateAndCap,
  milestonesSumToContractValue,
  nonStandardClausesFinanceApproved,
  noPoNoGo,
  paymentTermsWithinPolicy,
  planFeasibleInFinanceSystem,
  planMatchesHandoffTerms,
  planTotalMatchesContractValue,
  RULE_IDS,
  renewalAfterStart,
  stakeholdersNameBuyerAndDayToDay,
} from '../../src/handoff/rules.js';
import { caught, eurOnlyBooks, hourlyPlan, milestonePlan, ruleCtx, subscriptionPlan, usd } from './fixtures.js';

const approval = { approvedBy: 'Fran Finance', approvedOn: '2026-03-09' };

describe('rule registry', () => {
  it('has one named rule per id, each with a description and the fields it judges', () => {
    expect(Object.keys(HANDOFF_RULES).sort()).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) {
      expect(HANDOFF_RULES[id].id).toBe(id);
      expect(HANDOFF_RULES[id].description.length).toBeGreaterThan(10);
      expect(HANDOFF_RULES[id].fields.length).toBeGreaterThan(0);
    }
  });
});

describe('noPoNoGo', () => {
  it('marks the PO number missing when the customer requires POs', () => {
    expect(noPoNoGo({ poRequired: true }, ruleCtx)).toEqual([
      {
        field: 'poNumber',
        status: 'missing',
        reason: 'The customer requires a PO on every invoice ("No-PO, No-Go"): add the PO number.',
      },
    ]);
  });

  it('passes when the PO number is there', () => {
    expect(noPoNoGo({ poRequired: true, poNumber: 'PO-7781' }, ruleCtx)).toEqual([{ field: 'poNumber', status: 'ok' }]);
  });

  it('asks nothing when the customer does not use POs', () => {
    expect(noPoNoGo({ poRequired: false }, ruleCtx)).toEqual([]);
  });

  it('flags a finance system that has nowhere to carry the PO number', () => {
    const [o] = noPoNoGo(
      { poRequired: true, poNumber: 'PO-1' },
      { ...ruleCtx, capabilities: { ...eurOnlyBooks, poField: null } },
    );
    expect(o?.status).toBe('invalid');
    expect(o?.reason).toContain('QuickBooks Online has nowhere to carry a PO number');
  });
});

describe('milestonesSumToContractValue', () => {
  it('passes when the milestones add up exactly to the contract value', () => {
    expect(
      milestonesSumToContractValue(
        { billingModel: 'milestone', billingPlan: milestonePlan, contractValue: usd(10_000_00) },
        ruleCtx,
      ),
    ).toEqual([{ field: 'billingPlan', status: 'ok' }]);
  });

  it('says how far off the milestones are when they fall short of the contract value', () => {
    expect(
      milestonesSumToContractValue(
        { billingModel: 'milestone', billingPlan: milestonePlan, contractValue: usd(10_000_01) },
        ruleCtx,
      ),
    ).toEqual([
      {
        field: 'billingPlan',
        status: 'invalid',
        reason: 'The milestones add up to $10,000.00, but the contract value is $10,000.01 ($0.01 short).',
      },
    ]);
  });

  it('flags a milestone billing model whose plan has no milestones', () => {
    const [o] = milestonesSumToContractValue(
      { billingModel: 'milestone', billingPlan: subscriptionPlan, contractValue: usd(12_000_00) },
      ruleCtx,
    );
    expect(o?.reason).toBe('The billing model is milestones, but the plan has no milestones.');
  });

  it('does not apply to other billing models', () => {
    expect(
      milestonesSumToContractValue(
        { billingModel: 'subscription', billingPlan: milestonePlan, contractValue: usd(1) },
        ruleCtx,
      ),
    ).toEqual([]);
  });
});

describe('hourlyHasRateAndCap', () => {
  it('passes an hourly plan with a rate and a cap', () => {
    expect(hourlyHasRateAndCap({ billingModel: 'hourly', billingPlan: hourlyPlan }, ruleCtx)).toEqual([
      { field: 'billingPlan', status: 'ok' },
    ]);
  });

  it('flags an hourly billing model whose plan has no hourly component', () => {
    const [o] = hourlyHasRateAndCap({ billingModel: 'hourly', billingPlan: subscriptionPlan }, ruleCtx);
    expect(o).toMatchObject({ field: 'billingPlan', status: 'invalid' });
    expect(o?.reason).toContain('no hourly component with a rate and a cap');
  });

  it('refuses, through the plan schema, an hourly component without a cap, naming the path', () => {
    const plan = { ...hourlyPlan, components: [{ kind: 'hourly', rate: usd(150_00) }] };
    const err = caught(() => hourlyHasRateAndCap({ billingModel: 'hourly', billingPlan: plan } as never, ruleCtx));
    expect(err.path).toBe('data.billingPlan.components[0].capHoursPerPeriod');
    expect(err.message).toContain('is required');
  });

  it('does not apply to a plan without hourly work', () => {
    expect(hourlyHasRateAndCap({ billingModel: 'subscription', billingPlan: subscriptionPlan }, ruleCtx)).toEqual([]);
  });
});

describe('discountAboveThresholdApproved', () => {
  it('asks for an approval when the discount is above the threshold', () => {
    expect(discountAboveThresholdApproved({ discountBasisPoints: 2500 }, ruleCtx)).toEqual([
      {
        field: 'discountApproval',
        status: 'needs_approval',
        reason: 'A 25% discount is above the 20% approval threshold: record who approved it and when.',
      },
    ]);
  });

  it('passes when the approval is recorded', () => {
    expect(discountAboveThresholdApproved({ discountBasisPoints: 2500, discountApproval: approval }, ruleCtx)).toEqual([
      { field: 'discountApproval', status: 'ok' },
    ]);
  });

  it('accepts an approval recorded by the approval workflow instead of on the handoff', () => {
    const ctx = {
      ...ruleCtx,
      approvals: [{ subject: 'discount' as const, approvedBy: 'u-9', approvedAt: new Date() }],
    };
    expect(discountAboveThresholdApproved({ discountBasisPoints: 2500 }, ctx)[0]?.status).toBe('ok');
  });

  it('asks nothing for a discount at the threshold', () => {
    expect(discountAboveThresholdApproved({ discountBasisPoints: 2000 }, ruleCtx)).toEqual([]);
  });

  it('also sees a percent discount written only in the billing plan', () => {
    const plan = { ...subscriptionPlan, discount: { kind: 'percent' as const, basisPoints: 3000 } };
    expect(discountAboveThresholdApproved({ billingPlan: plan }, ruleCtx)[0]?.status).toBe('needs_approval');
  });

  it('does not believe an approval dated in the future', () => {
    const [o] = discountAboveThresholdApproved(
      { discountBasisPoints: 2500, discountApproval: { ...approval, approvedOn: '2026-04-01' } },
      ruleCtx,
    );
    expect(o).toEqual({
      field: 'discountApproval',
      status: 'invalid',
      reason: 'The approval is dated 2026-04-01, which is in the future.',
    });
  });
});

describe('nonStandardClausesFinanceApproved', () => {
  it('asks for finance approval of non-standard clauses', () => {
    expect(nonStandardClausesFinanceApproved({ nonStandardClauses: 'Net 90 in year one' }, ruleCtx)).toEqual([
      {
        field: 'financeApproval',
        status: 'needs_approval',
        reason: 'The contract has non-standard clauses: finance must approve them before billing is set up.',
      },
    ]);
  });

  it('passes once finance approved them', () => {
    expect(
      nonStandardClausesFinanceApproved(
        { nonStandardClauses: 'Net 90 in year one', financeApproval: approval },
        ruleCtx,
      ),
    ).toEqual([{ field: 'financeApproval', status: 'ok' }]);
  });

  it('reads "None" as no non-standard clauses', () => {
    expect(nonStandardClausesFinanceApproved({ nonStandardClauses: 'None.' }, ruleCtx)).toEqual([]);
    expect(nonStandardClausesFinanceApproved({ nonStandardClauses: 'n/a' }, ruleCtx)).toEqual([]);
  });
});

describe('paymentTermsWithinPolicy', () => {
  it('passes terms on the allowed list', () => {
    expect(paymentTermsWithinPolicy({ paymentTerms: 'net_30' }, ruleCtx)).toEqual([
      { field: 'paymentTerms', status: 'ok' },
    ]);
  });

  it('marks terms outside the allowed list as needing an approved exception', () => {
    expect(paymentTermsWithinPolicy({ paymentTerms: 'net_60' }, ruleCtx)).toEqual([
      {
        field: 'paymentTerms',
        status: 'needs_approval',
        reason:
          'Net 60 is outside the payment-terms policy (Due on receipt, Net 15, Net 30): it needs an approved exception.',
      },
    ]);
  });

  it('passes out-of-policy terms once an approval is recorded', () => {
    const ctx = {
      ...ruleCtx,
      approvals: [{ subject: 'payment_terms' as const, approvedBy: 'u-9', approvedAt: '2026-03-01T10:00:00Z' }],
    };
    expect(paymentTermsWithinPolicy({ paymentTerms: 'net_60' }, ctx)[0]?.status).toBe('ok');
  });
});

describe('apContactDistinctFromChampion', () => {
  const contact = { name: 'Chris', email: 'chris@acme.example' };

  it('refuses the champion as billing contact, whatever the letter case', () => {
    const [o] = apContactDistinctFromChampion(
      { billingContact: contact, championEmail: 'CHRIS@acme.example' },
      ruleCtx,
    );
    expect(o).toMatchObject({ field: 'billingContact', status: 'invalid' });
    expect(o?.reason).toBe(
      'The billing contact chris@acme.example is the champion. Invoices go to accounts payable: add the AP contact.',
    );
  });

  it('also recognises the champion from the stakeholder list', () => {
    const stakeholders = [{ name: 'Chris', email: 'chris@acme.example', role: 'champion' as const }];
    expect(apContactDistinctFromChampion({ billingContact: contact, stakeholders }, ruleCtx)[0]?.status).toBe(
      'invalid',
    );
  });

  it('passes an accounts-payable contact who is not the champion', () => {
    expect(
      apContactDistinctFromChampion(
        { billingContact: { name: 'AP', email: 'ap@acme.example' }, championEmail: 'chris@acme.example' },
        ruleCtx,
      ),
    ).toEqual([{ field: 'billingContact', status: 'ok' }]);
  });
});

describe('renewalAfterStart', () => {
  it('passes a renewal after the start', () => {
    expect(renewalAfterStart({ startDate: '2026-04-01', renewalDate: '2027-04-01' }, ruleCtx)).toEqual([
      { field: 'renewalDate', status: 'ok' },
    ]);
  });

  it('refuses a renewal on or before the start date', () => {
    expect(renewalAfterStart({ startDate: '2026-04-01', renewalDate: '2026-04-01' }, ruleCtx)).toEqual([
      {
        field: 'renewalDate',
        status: 'invalid',
        reason: 'The renewal date 2026-04-01 must be after the start date 2026-04-01.',
      },
    ]);
  });
});

describe('currenciesMatch', () => {
  it('refuses a plan in another currency than the handoff', () => {
    const plan = {
      ...milestonePlan,
      currency: 'EUR',
      components: [{ kind: 'one_time' as const, description: 'Setup', amount: { amount: 100, currency: 'EUR' } }],
    };
    expect(currenciesMatch({ currency: 'USD', billingPlan: plan }, ruleCtx)).toEqual([
      { field: 'billingPlan', status: 'invalid', reason: 'Is in EUR, but the handoff currency is USD.' },
    ]);
  });

  it('checks the contract value and fees too, and passes matching ones', () => {
    expect(
      currenciesMatch(
        { currency: 'USD', contractValue: usd(5), implementationFee: { amount: 5, currency: 'GBP' } },
        ruleCtx,
      ),
    ).toEqual([
      { field: 'contractValue', status: 'ok' },
      { field: 'implementationFee', status: 'invalid', reason: 'Is in GBP, but the handoff currency is USD.' },
    ]);
  });
});

describe('planTotalMatchesContractValue', () => {
  it('passes a plan whose total is the contract value', () => {
    expect(
      planTotalMatchesContractValue(
        { billingPlan: subscriptionPlan, contractValue: usd(12_000_00) },
        { ...ruleCtx, planTotal: usd(12_000_00) },
      ),
    ).toEqual([{ field: 'billingPlan', status: 'ok' }]);
  });

  it('says by how much the plan overshoots the contract value', () => {
    expect(
      planTotalMatchesContractValue(
        { billingPlan: subscriptionPlan, contractValue: usd(10_000_00) },
        { ...ruleCtx, planTotal: usd(12_000_00) },
      ),
    ).toEqual([
      {
        field: 'billingPlan',
        status: 'invalid',
        reason: 'The billing plan adds up to $12,000.00, but the contract value is $10,000.00 ($2,000.00 too much).',
      },
    ]);
  });
});

describe('planMatchesHandoffTerms', () => {
  it('refuses a plan whose payment terms differ from the handoff', () => {
    expect(planMatchesHandoffTerms({ paymentTerms: 'net_15', billingPlan: subscriptionPlan }, ruleCtx)).toEqual([
      {
        field: 'billingPlan',
        status: 'invalid',
        reason:
          'The billing plan disagrees with the handoff: its payment terms are Net 30 but the handoff says Net 15.',
      },
    ]);
  });

  it('passes a plan with the same terms and start date', () => {
    expect(
      planMatchesHandoffTerms(
        { paymentTerms: 'net_30', startDate: '2026-04-01', billingPlan: subscriptionPlan },
        ruleCtx,
      ),
    ).toEqual([{ field: 'billingPlan', status: 'ok' }]);
  });
});

describe('creditSuggestion', () => {
  const lateHistory = ['3 of the last 6 invoices were paid more than 30 days late'];

  it('suggests shorter terms to a customer with late payments, as something to approve', () => {
    const [o] = creditSuggestion(
      { paymentTerms: 'net_30' },
      {
        ...ruleCtx,
        credit: { level: 'watch', suggestion: { kind: 'shorter_terms', maxTerms: 'net_15' }, reasons: lateHistory },
      },
    );
    expect(o).toMatchObject({ field: 'paymentTerms', status: 'needs_approval' });
    expect(o?.reason).toBe(
      'Late-payment history (3 of the last 6 invoices were paid more than 30 days late): offer no longer than Net 15 instead of Net 30.',
    );
    expect(o?.suggestion).toMatchObject({ kind: 'shorter_terms', patch: { paymentTerms: 'net_15' } });
  });

  it('is satisfied when the terms are already short enough', () => {
    expect(
      creditSuggestion(
        { paymentTerms: 'net_15' },
        {
          ...ruleCtx,
          credit: { level: 'watch', suggestion: { kind: 'shorter_terms', maxTerms: 'net_15' }, reasons: [] },
        },
      ),
    ).toEqual([{ field: 'paymentTerms', status: 'ok' }]);
  });

  it('suggests a deposit of a share of the contract value', () => {
    const [o] = creditSuggestion(
      { contractValue: usd(12_000_00) },
      {
        ...ruleCtx,
        credit: { level: 'high_risk', suggestion: { kind: 'deposit', basisPoints: 2500 }, reasons: lateHistory },
      },
    );
    expect(o).toMatchObject({ field: 'depositAmount', status: 'needs_approval' });
    expect(o?.reason).toContain('ask for a 25% deposit ($3,000.00)');
    expect(o?.suggestion?.patch).toEqual({ depositAmount: usd(3_000_00) });
  });

  it('is satisfied by a deposit at least that large', () => {
    expect(
      creditSuggestion(
        { contractValue: usd(12_000_00), depositAmount: usd(3_000_00) },
        { ...ruleCtx, credit: { level: 'high_risk', suggestion: { kind: 'deposit', basisPoints: 2500 }, reasons: [] } },
      ),
    ).toEqual([{ field: 'depositAmount', status: 'ok' }]);
  });

  it('says nothing for a customer in good standing', () => {
    expect(
      creditSuggestion(
        { paymentTerms: 'net_60' },
        { ...ruleCtx, credit: { level: 'ok', suggestion: { kind: 'none' }, reasons: [] } },
      ),
    ).toEqual([]);
  });

  it('is a warning by default, not a block', () => {
    expect(creditSuggestion.defaultSeverity).toBe('warning');
  });
});

describe('planFeasibleInFinanceSystem', () => {
  it("marks the plan invalid with the vendor's message and offers its alternative", () => {
    const feasibility = {
      feasible: false,
      problems: [
        {
          code: 'payment_terms_too_long',
          path: 'billingPlan.paymentTerms',
          blocking: true,
          message: 'Stripe allows at most 60 days to pay; this plan gives 90 ("Net 90").',
          alternative: {
            description: 'Use Net 60, the longest Stripe allows',
            patch: [{ op: 'replace', path: '/paymentTerms', value: 'net_60' }],
          },
        },
      ],
    };
    const [o] = planFeasibleInFinanceSystem({ billingPlan: subscriptionPlan }, { ...ruleCtx, feasibility });
    expect(o).toMatchObject({ field: 'billingPlan', status: 'invalid' });
    expect(o?.reason).toBe(
      'Stripe allows at most 60 days to pay; this plan gives 90 ("Net 90") (billingPlan.paymentTerms). Alternative: Use Net 60, the longest Stripe allows.',
    );
    expect(o?.suggestion).toEqual({
      rule: 'plan_feasible_in_finance_system',
      kind: 'alternative',
      field: 'billingPlan',
      message: 'Use Net 60, the longest Stripe allows',
      patch: [{ op: 'replace', path: '/paymentTerms', value: 'net_60' }],
    });
  });

  it('passes a feasible plan and ignores notes that do not block', () => {
    const feasibility = {
      feasible: true,
      problems: [
        { code: 'no_draft_invoices', path: 'billingPlan', blocking: false, message: 'QuickBooks has no drafts.' },
      ],
    };
    expect(planFeasibleInFinanceSystem({ billingPlan: subscriptionPlan }, { ...ruleCtx, feasibility })).toEqual([
      { field: 'billingPlan', status: 'ok' },
    ]);
  });
});

describe('stakeholdersNameBuyerAndDayToDay', () => {
  it('asks for the missing day-to-day contact', () => {
    expect(
      stakeholdersNameBuyerAndDayToDay({ stakeholders: [{ name: 'Dana', role: 'economic_buyer' }] }, ruleCtx),
    ).toEqual([
      { field: 'stakeholders', status: 'invalid', reason: 'Name the day-to-day contact among the stakeholders.' },
    ]);
  });

  it('passes when both the buyer and the day-to-day contact are named', () => {
    const stakeholders = [
      { name: 'Dana', role: 'economic_buyer' as const },
      { name: 'Sam', role: 'day_to_day' as const },
    ];
    expect(stakeholdersNameBuyerAndDayToDay({ stakeholders }, ruleCtx)).toEqual([
      { field: 'stakeholders', status: 'ok' },
    ]);
  });
});

describe('bad input to a rule', () => {
  it('names the bad context field instead of failing somewhere inside', () => {
    const err = caught(() => noPoNoGo({ poRequired: true }, { ...ruleCtx, today: 'tomorrow' }));
    expect(err).toMatchObject({ code: 'invalid_input', path: 'context.today' });
    expect(err.message).toMatch(/^context\.today: must be a date written YYYY-MM-DD/);
  });
});
