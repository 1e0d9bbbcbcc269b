import type { HandoffTemplate } from '../template.js';

/**
 * Sales → Customer Success: what CS needs so that it never has to reverse-engineer the sale from call recordings
 * (seed 002). Entered when the deal is won; CS has one business day to accept or reject.
 */
export const DEFAULT_SALES_TO_CS: HandoffTemplate = {
  id: 'default-sales-to-cs',
  name: 'Sales → Customer Success',
  version: 1,
  fromTeam: 'sales',
  toTeam: 'customer_success',
  object: 'deal',
  entryCriteria: { kind: 'deal_stage', stages: ['closedwon'] },
  requiredFields: [
    { field: 'customerGoals', required: 'always', severity: 'blocking' },
    { field: 'primaryUseCase', required: 'always', severity: 'blocking' },
    { field: 'stakeholders', required: 'always', severity: 'blocking' },
    { field: 'contractTermsSummary', required: 'always', severity: 'blocking' },
    { field: 'promisesMade', required: 'always', severity: 'blocking' },
    { field: 'knownRisks', required: 'always', severity: 'blocking' },
    { field: 'implementationTimeline', required: 'always', severity: 'blocking' },
    { field: 'kickoffDate', required: 'always', severity: 'blocking' },
    { field: 'reportingFormat', required: 'always', severity: 'blocking' },
    // "If relevant" in the source: worth a nudge, never worth blocking a won deal.
    { field: 'expansionHypothesis', required: 'always', severity: 'warning' },
    { field: 'supportExpectations', required: 'always', severity: 'blocking' },
  ],
  rules: [{ rule: 'stakeholders_name_buyer_and_day_to_day' }],
  receivingOwner: { kind: 'team', teamId: 'customer_success' },
  sla: { hours: 8, calendar: 'business', businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } },
  rejectionReasons: [
    { code: 'missing_info', label: 'Missing or unclear required information' },
    { code: 'unclear_success_criteria', label: 'Goals or success criteria are unclear' },
    { code: 'undeliverable_promise', label: 'Promises we cannot deliver' },
    { code: 'wrong_team', label: 'Wrong receiving team or owner' },
    { code: 'duplicate', label: 'Duplicate handoff' },
  ],
  feedbackMetric: 'handoff_acceptance_rate',
  exceptionOwnerRole: 'revops',
  policy: {
    allowedPaymentTerms: ['due_on_receipt', 'net_15', 'net_30'],
    discountApprovalThresholdBasisPoints: 2000,
    autoStartBillingOnAcceptance: false,
  },
};
