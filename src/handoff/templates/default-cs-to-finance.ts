import type { HandoffTemplate } from '../template.js';

/**
 * CS → Finance: commercial reality has to match billing reality (seed 003), and the PO, the AP contact and the
 * terms must be known before the first invoice (seed 004). Entered once CS has accepted its handoff; finance has
 * two business days. Billing setup starts as soon as finance accepts.
 */
export const DEFAULT_CS_TO_FINANCE: HandoffTemplate = {
  id: 'default-cs-to-finance',
  name: 'Customer Success → Finance',
  version: 1,
  fromTeam: 'customer_success',
  toTeam: 'finance',
  object: 'deal',
  entryCriteria: { kind: 'handoff_accepted', templateId: 'default-sales-to-cs' },
  requiredFields: [
    { field: 'signedOrderFormUrl', required: 'always', severity: 'blocking' },
    { field: 'billingEntityLegalName', required: 'always', severity: 'blocking' },
    { field: 'billingContact', required: 'always', severity: 'blocking' },
    { field: 'championEmail', required: 'always', severity: 'blocking' },
    { field: 'billingAddress', required: 'always', severity: 'blocking' },
    { field: 'startDate', required: 'always', severity: 'blocking' },
    { field: 'renewalDate', required: 'always', severity: 'blocking' },
    { field: 'paymentTerms', required: 'always', severity: 'blocking' },
    { field: 'poRequired', required: 'always', severity: 'blocking' },
    { field: 'poNumber', required: { when: { field: 'poRequired', equals: true } }, severity: 'blocking' },
    { field: 'discountBasisPoints', required: 'always', severity: 'blocking' },
    { field: 'usageCommitments', required: { when: { field: 'billingModel', equals: 'usage' } }, severity: 'blocking' },
    // 0 is a fine answer; asking keeps "no fee" from being confused with "forgot the fee".
    { field: 'implementationFee', required: 'always', severity: 'warning' },
    { field: 'nonStandardClauses', required: 'always', severity: 'warning' },
    { field: 'renewalTerms', required: 'always', severity: 'blocking' },
    { field: 'billingModel', required: 'always', severity: 'blocking' },
    { field: 'billingPlan', required: 'always', severity: 'blocking' },
    { field: 'currency', required: 'always', severity: 'blocking' },
    { field: 'contractValue', required: 'always', severity: 'blocking' },
  ],
  // Discount approval and finance approval are asked for by their rules, only when a discount or clause needs them.
  rules: [
    { rule: 'no_po_no_go' },
    { rule: 'milestones_sum_to_contract_value' },
    { rule: 'hourly_has_rate_and_cap' },
    { rule: 'discount_above_threshold_approved' },
    { rule: 'non_standard_clauses_finance_approved' },
    { rule: 'payment_terms_within_policy' },
    { rule: 'ap_contact_distinct_from_champion' },
    { rule: 'renewal_after_start' },
    { rule: 'currencies_match' },
    { rule: 'plan_total_matches_contract_value' },
    { rule: 'plan_matches_handoff_terms' },
    { rule: 'credit_suggestion', severity: 'warning' },
    { rule: 'plan_feasible_in_finance_system' },
  ],
  receivingOwner: { kind: 'team', teamId: 'finance' },
  sla: { hours: 16, calendar: 'business', businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } },
  rejectionReasons: [
    { code: 'missing_info', label: 'Missing or unclear required information' },
    { code: 'po_missing', label: 'The customer requires a PO and none was given' },
    { code: 'billing_contact_unclear', label: 'Billing entity or AP contact unclear' },
    { code: 'unapproved_terms', label: 'Terms or discounts without the needed approval' },
    { code: 'terms_not_supported', label: 'Billing terms our finance system cannot represent' },
    { code: 'amounts_disagree', label: 'Billing plan does not match the contract' },
    { code: 'duplicate', label: 'Duplicate handoff' },
  ],
  feedbackMetric: 'revenue_readiness_hours',
  exceptionOwnerRole: 'revops',
  policy: {
    allowedPaymentTerms: ['due_on_receipt', 'net_15', 'net_30'],
    discountApprovalThresholdBasisPoints: 2000,
    autoStartBillingOnAcceptance: true,
  },
};
