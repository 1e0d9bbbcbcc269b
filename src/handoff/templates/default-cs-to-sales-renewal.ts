import type { HandoffTemplate } from '../template.js';

/**
 * Customer Success → Sales at renewal (ops → sales, seed 004): a configurable number of days before a contract
 * renews, the account owner gets what CS and finance know — usage against the commitment, payment health (the
 * banner's figures), the risks and promises still open from the sales → CS handoff, the expansion hypothesis and
 * the renewal terms — so that nobody walks into a renewal or an upsell blind. Created by the renewal sweep, never
 * on sight of a deal; prefilled from the accepted handoffs and the payment status; the account owner accepts it.
 */
export const DEFAULT_CS_TO_SALES_RENEWAL: HandoffTemplate = {
  id: 'default-cs-to-sales-renewal',
  name: 'Customer Success → Sales (renewal)',
  version: 1,
  fromTeam: 'customer_success',
  toTeam: 'sales',
  object: 'deal',
  entryCriteria: { kind: 'renewal_due' },
  requiredFields: [
    { field: 'renewalDate', required: 'always', severity: 'blocking' },
    { field: 'usageAgainstCommitment', required: 'always', severity: 'blocking' },
    { field: 'paymentHealth', required: 'always', severity: 'blocking' },
    { field: 'knownRisks', required: 'always', severity: 'blocking' },
    { field: 'promisesMade', required: 'always', severity: 'blocking' },
    // "If relevant", as in the sales → CS handoff.
    { field: 'expansionHypothesis', required: 'always', severity: 'warning' },
    { field: 'renewalTerms', required: 'always', severity: 'blocking' },
  ],
  rules: [],
  receivingOwner: { kind: 'deal_owner' },
  sla: { hours: 40, calendar: 'business', businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } },
  rejectionReasons: [
    { code: 'missing_info', label: 'Missing or unclear required information' },
    { code: 'usage_unclear', label: 'Usage against the commitment is unclear' },
    { code: 'payment_issue_unresolved', label: 'An open payment issue must be settled before the renewal talk' },
    { code: 'wrong_owner', label: 'Wrong account owner' },
    { code: 'duplicate', label: 'Duplicate handoff' },
  ],
  feedbackMetric: 'renewal_handoff_acceptance_rate',
  exceptionOwnerRole: 'revops',
  policy: {
    allowedPaymentTerms: ['due_on_receipt', 'net_15', 'net_30'],
    discountApprovalThresholdBasisPoints: 2000,
    autoStartBillingOnAcceptance: false,
  },
};
