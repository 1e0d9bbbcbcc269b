import type { BillingPlanInput } from '../billing/plan.js';
import { plusDays, plusMonths } from '../core/dates.js';
import type { HandoffDataInput } from '../handoff/fields.js';

/** Demo people: one per role, matching the demo portal's settings. */
export const DEMO_USERS = {
  rep: { id: '1001', name: 'Riley Rep (Sales)', roles: ['sales'], teams: ['sales'] },
  csm: { id: '2002', name: 'Casey CSM (Customer Success)', roles: ['customer_success'], teams: ['customer_success'] },
  finance: { id: '3003', name: 'Frankie Finance', roles: ['finance'], teams: ['finance'] },
  revops: { id: '4004', name: 'Robin RevOps (admin)', roles: ['revops'], teams: ['revops'] },
} as const;

export const DEMO_PORTAL_ID = 62515;

const money = (major: number, currency = 'USD') => ({ amount: Math.round(major * 100), currency });

/** The Sales → CS answers for a demo customer. */
export function salesValues(customer: string): HandoffDataInput {
  const domain = customer.toLowerCase().replace(/[^a-z]/g, '');
  return {
    customerGoals: `${customer} wants invoices out within 48 hours of close and a clean month-end.`,
    primaryUseCase: 'Deal-to-invoice handoff for the sales team',
    stakeholders: [
      { name: 'Dana Buyer', email: `dana@${domain}.example`, role: 'economic_buyer', title: 'CFO' },
      { name: 'Chris Champion', email: `chris@${domain}.example`, role: 'champion' },
      { name: 'Sam Daily', email: `sam@${domain}.example`, role: 'day_to_day', title: 'Operations manager' },
    ],
    contractTermsSummary: '12 months, standard SLA, annual price review.',
    promisesMade: 'Weekly status report during onboarding.',
    knownRisks: 'Their AP team changes ERP next quarter.',
    implementationTimeline: 'Kickoff next week, live within six weeks.',
    kickoffDate: plusDays(new Date().toISOString().slice(0, 10), 7),
    reportingFormat: 'Monthly QBR deck',
    expansionHypothesis: 'Second business unit once the first is live.',
    supportExpectations: 'Email support, 1 business day response.',
  };
}

export type DemoModel = 'subscription' | 'retainer' | 'milestone' | 'hourly' | 'one_time' | 'usage';

/** A billing plan of each model, starting on `start`, whose schedule sums to the returned contract value. */
export function demoPlan(model: DemoModel, start: string): { plan: BillingPlanInput; value: number } {
  const end = plusDays(plusMonths(start, 12), -1);
  const base = { currency: 'USD', startDate: start, endDate: end, paymentTerms: 'net_30' };
  switch (model) {
    case 'subscription':
      return {
        plan: {
          ...base,
          components: [
            {
              kind: 'recurring',
              description: 'Platform subscription',
              interval: 'monthly',
              timing: 'advance',
              price: money(1000),
            },
          ],
        },
        value: 12_000,
      };
    case 'retainer':
      return {
        plan: {
          ...base,
          components: [
            {
              kind: 'recurring',
              description: 'Advisory retainer',
              interval: 'quarterly',
              timing: 'arrears',
              price: money(6000),
            },
          ],
        },
        value: 24_000,
      };
    case 'milestone':
      return {
        plan: {
          ...base,
          endDate: plusDays(plusMonths(start, 6), -1),
          components: [
            {
              kind: 'milestone',
              milestones: [
                { id: 'design', name: 'Design sign-off', amount: money(8000), expectedOn: plusMonths(start, 1) },
                { id: 'build', name: 'Build accepted', amount: money(12000), expectedOn: plusMonths(start, 3) },
                { id: 'launch', name: 'Launch', amount: money(5000), expectedOn: plusMonths(start, 5) },
              ],
            },
          ],
        },
        value: 25_000,
      };
    case 'hourly':
      return {
        plan: {
          ...base,
          components: [
            { kind: 'hourly', description: 'Consulting', rate: money(150), capHoursPerPeriod: 20, interval: 'monthly' },
          ],
        },
        value: 36_000,
      };
    case 'one_time':
      return {
        plan: {
          ...base,
          components: [
            {
              kind: 'one_time',
              category: 'implementation',
              description: 'Implementation project',
              amount: money(15000),
              on: 'start',
            },
          ],
        },
        value: 15_000,
      };
    case 'usage':
      return {
        plan: {
          ...base,
          components: [
            {
              kind: 'usage',
              description: 'API calls',
              interval: 'monthly',
              minimumPerPeriod: money(500),
              includedUnits: 100000,
              overageUnitPrice: { amount: 1, currency: 'USD' },
              unitName: 'call',
            },
          ],
        },
        value: 6_000,
      };
  }
}

/** The CS → Finance answers for a demo customer with a plan of `model`. */
export function financeValues(
  customer: string,
  model: DemoModel,
  start: string,
  options: { currency?: string; tax?: Record<string, unknown> } = {},
): HandoffDataInput {
  const domain = customer.toLowerCase().replace(/[^a-z]/g, '');
  const demo = demoPlan(model, start);
  const currency = options.currency ?? 'USD';
  // The demo plans are written in dollars; a non-US demo company bills the same figures in its own currency.
  const plan = {
    ...(JSON.parse(JSON.stringify(demo.plan).replaceAll('"USD"', JSON.stringify(currency))) as typeof demo.plan),
    ...(options.tax ? { tax: options.tax } : {}),
  } as typeof demo.plan;
  const value = demo.value;
  const p = plan as { endDate: string };
  return {
    signedOrderFormUrl: `https://docs.example.com/order-forms/${domain}.pdf`,
    billingEntityLegalName: `${customer} Ltd.`,
    championEmail: `chris@${domain}.example`,
    billingAddress: {
      line1: '1 Market Street',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
    startDate: start,
    renewalDate: plusDays(p.endDate, 1),
    paymentTerms: 'net_30',
    poRequired: false,
    discountBasisPoints: 0,
    implementationFee: money(0),
    nonStandardClauses: 'None',
    renewalTerms: 'Renews for 12 months unless cancelled 60 days before renewal.',
    ...(model === 'usage'
      ? { usageCommitments: 'Minimum $500 per month; 100,000 calls included; $0.01 per extra call.' }
      : {}),
    billingModel: model,
    billingPlan: plan,
    currency,
    contractValue: money(value, currency),
  };
}
