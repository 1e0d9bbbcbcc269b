import type { FinanceCapabilities } from '../../src/billing/capabilities.js';
import type { BillingPlanInput } from '../../src/billing/plan.js';
import type { ActorInput } from '../../src/handoff/actor.js';
import type { HandoffDataInput } from '../../src/handoff/fields.js';
import type { RuleContextInput } from '../../src/handoff/rules.js';

/** Shared test data: a complete CS → Finance handoff for a USD 12,000 one-year subscription, and its people. */

export const NOW = new Date('2026-03-10T14:00:00Z'); // a Tuesday
export const TZ = 'Europe/Berlin';

export const usd = (amount: number) => ({ amount, currency: 'USD' });

export const subscriptionPlan: BillingPlanInput = {
  currency: 'USD',
  startDate: '2026-04-01',
  endDate: '2027-03-31',
  paymentTerms: 'net_30',
  components: [
    { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(1_000_00) },
  ],
};

export const milestonePlan: BillingPlanInput = {
  currency: 'USD',
  startDate: '2026-04-01',
  endDate: '2026-09-30',
  paymentTerms: 'net_30',
  components: [
    {
      kind: 'milestone',
      milestones: [
        { id: 'm1', name: 'Design', amount: usd(4_000_00) },
        { id: 'm2', name: 'Build', amount: usd(6_000_00) },
      ],
    },
  ],
};

export const hourlyPlan: BillingPlanInput = {
  currency: 'USD',
  startDate: '2026-04-01',
  endDate: '2026-06-30',
  paymentTerms: 'net_30',
  components: [{ kind: 'hourly', rate: usd(150_00), capHoursPerPeriod: 20 }],
};

export const completeFinanceData: HandoffDataInput = {
  signedOrderFormUrl: 'https://docs.example.com/order-forms/42.pdf',
  billingEntityLegalName: 'Acme Widgets GmbH',
  billingContact: { name: 'Accounts Payable', email: 'ap@acme.example' },
  championEmail: 'chris@acme.example',
  billingAddress: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  startDate: '2026-04-01',
  renewalDate: '2027-04-01',
  paymentTerms: 'net_30',
  poRequired: false,
  discountBasisPoints: 0,
  implementationFee: usd(0),
  nonStandardClauses: 'None',
  renewalTerms: 'Renews for 12 months unless cancelled 60 days before the renewal date.',
  billingModel: 'subscription',
  billingPlan: subscriptionPlan,
  currency: 'USD',
  contractValue: usd(12_000_00),
};

export const completeSalesData: HandoffDataInput = {
  customerGoals: 'Cut invoice delays from 10 days to 1; success = first invoice within 48 hours of close.',
  primaryUseCase: 'Deal-to-invoice handoff for the EMEA sales team',
  stakeholders: [
    { name: 'Dana Buyer', email: 'dana@acme.example', role: 'economic_buyer', title: 'CFO' },
    { name: 'Chris Champion', email: 'chris@acme.example', role: 'champion' },
    { name: 'Sam Daily', email: 'sam@acme.example', role: 'day_to_day', title: 'RevOps manager' },
  ],
  contractTermsSummary: '12 months, 10 seats, standard SLA.',
  promisesMade: 'Xero sync available at kickoff.',
  knownRisks: 'Their AP team is moving to a new ERP in Q3.',
  implementationTimeline: 'Kickoff in April, live by end of May, assuming IT grants HubSpot access in week 1.',
  kickoffDate: '2026-04-07',
  reportingFormat: 'Monthly QBR deck',
  expansionHypothesis: 'US team (40 seats) once EMEA is live.',
  supportExpectations: 'Email support, 1 business day response.',
};

export const policy: RuleContextInput['policy'] = {
  allowedPaymentTerms: ['due_on_receipt', 'net_15', 'net_30'],
  discountApprovalThresholdBasisPoints: 2000,
  autoStartBillingOnAcceptance: true,
};

export const ruleCtx: RuleContextInput = { policy, today: '2026-03-10' };

/** QuickBooks-like books that only accept EUR: a USD plan is infeasible there. */
export const eurOnlyBooks: FinanceCapabilities = {
  system: 'quickbooks',
  displayName: 'QuickBooks Online',
  draftInvoices: false,
  recurring: {
    intervals: ['monthly', 'quarterly', 'annual'],
    timings: ['advance'],
    proratedFirstPeriod: false,
    priceSteps: false,
  },
  paymentTerms: { maxNetDays: 365, dayOfFollowingMonth: true },
  currencies: ['EUR'],
  usageOverage: false,
  percentDiscounts: true,
  poField: 'Invoice custom field "P.O. Number"',
};

export const rep: ActorInput = { userId: 'u-rep', roles: ['sales_rep'], teams: ['sales'] };
export const csm: ActorInput = { userId: 'u-csm', roles: ['csm'], teams: ['customer_success'] };
export const accountant: ActorInput = { userId: 'u-fin', roles: ['accountant'], teams: ['finance'] };
export const revops: ActorInput = { userId: 'u-revops', roles: ['revops'], teams: ['revops'] };
export const revops2: ActorInput = { userId: 'u-revops-2', roles: ['revops'], teams: ['revops'] };
export const system: ActorInput = { userId: 'system', roles: ['system'] };

/** Runs `fn` and returns the DomainError it throws, so tests can assert code, path and message together. */
export function caught(fn: () => unknown): {
  code: string;
  path: string;
  message: string;
  issues: Array<{ path: string; message: string }>;
} {
  try {
    fn();
  } catch (e) {
    const err = e as { code: string; path: string; message: string; issues: Array<{ path: string; message: string }> };
    return { code: err.code, path: err.path, message: err.message, issues: err.issues };
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
