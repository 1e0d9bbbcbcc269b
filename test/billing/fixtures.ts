import type { BillingPlanInput } from '../../src/billing/plan.js';
import type { Money } from '../../src/core/money.js';

/** Money in minor units. */
export const usd = (amount: number): Money => ({ amount, currency: 'USD' });
export const jpy = (amount: number): Money => ({ amount, currency: 'JPY' });
export const kwd = (amount: number): Money => ({ amount, currency: 'KWD' });

/** A calendar-year USD plan with one monthly retainer billed in advance; override what a test needs. */
export function monthlyPlan(overrides: Partial<BillingPlanInput> = {}): BillingPlanInput {
  return {
    currency: 'USD',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    paymentTerms: 'net_30',
    components: [
      { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(3000_00) },
    ],
    ...overrides,
  };
}

/** Catches a thrown error for assertions on its fields. */
export function caught(fn: () => unknown): { code: string; path: string; message: string; issues: unknown[] } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; path: string; message: string; issues: unknown[] };
  }
  throw new Error('expected the call to throw');
}
