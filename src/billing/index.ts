/**
 * Billing domain: plans, service periods, proration, schedules, mid-cycle changes and feasibility against the
 * connected finance system. Pure code: no I/O, no clock — dates such as an acceptance date are parameters.
 */

export type { FinanceCapabilities } from './capabilities.js';
export { applyCancellation, applyUpgrade, type CancellationInput, type UpgradeInput } from './changes.js';
export {
  applyPlanPatch,
  averageDaysToPay,
  checkFeasibility,
  type FeasibilityProblem,
  type FeasibilityResult,
  FinanceCapabilitiesSchema,
  type PlanPatchOperation,
} from './feasibility.js';
export * from './payment-terms.js';
export {
  ANNUAL,
  annualPeriods,
  intervalMonths,
  MONTHLY,
  monthlyPeriods,
  PERIOD_INTERVALS,
  type PeriodAlignment,
  type PeriodInterval,
  QUARTERLY,
  quarterlyPeriods,
  type ServicePeriod,
  servicePeriods,
} from './periods.js';
export * from './plan.js';
export {
  fullPeriod,
  type PeriodRange,
  prorateDays,
  prorateFinalPeriod,
  prorateFirstPeriod,
  prorateUpgrade,
  type UpgradeProration,
} from './proration.js';
export { hourlyInvoiceLine, type ReportedLineOptions, usageInvoiceLine } from './reported.js';
export { contractValue, discountLabel, generateSchedule, type ScheduleOptions } from './schedule.js';
export * from './schedule-model.js';
export * from './tax.js';
export { checkTax, TaxSetupSchema } from './tax-feasibility.js';
export {
  QUICKBOOKS_CAPABILITIES,
  STRIPE_CAPABILITIES,
  VENDOR_CAPABILITIES,
  XERO_CAPABILITIES,
} from './vendor-capabilities.js';
