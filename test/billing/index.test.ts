import { describe, expect, it } from '@jest/globals';
import {
  annualPeriods,
  applyCancellation,
  applyPlanPatch,
  applyUpgrade,
  BillingPlanSchema,
  checkFeasibility,
  contractValue,
  dueDate,
  fullPeriod,
  generateSchedule,
  hourlyInvoiceLine,
  monthlyPeriods,
  prorateDays,
  prorateFinalPeriod,
  prorateFirstPeriod,
  prorateUpgrade,
  QUICKBOOKS_CAPABILITIES,
  quarterlyPeriods,
  STRIPE_CAPABILITIES,
  servicePeriods,
  usageInvoiceLine,
  XERO_CAPABILITIES,
} from '../../src/billing/index.js';

describe('billing public API', () => {
  it('exports every public function and vendor descriptor from one module', () => {
    const fns = [
      generateSchedule,
      contractValue,
      applyUpgrade,
      applyCancellation,
      checkFeasibility,
      applyPlanPatch,
      usageInvoiceLine,
      hourlyInvoiceLine,
      fullPeriod,
      prorateFirstPeriod,
      prorateFinalPeriod,
      prorateUpgrade,
      prorateDays,
      monthlyPeriods,
      quarterlyPeriods,
      annualPeriods,
      servicePeriods,
      dueDate,
    ];
    expect(fns.every((f) => typeof f === 'function')).toBe(true);
    expect([QUICKBOOKS_CAPABILITIES.system, XERO_CAPABILITIES.system, STRIPE_CAPABILITIES.system]).toEqual([
      'quickbooks',
      'xero',
      'stripe',
    ]);
    expect(BillingPlanSchema).toBeDefined();
  });
});
