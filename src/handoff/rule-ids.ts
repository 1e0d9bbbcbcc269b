/**
 * The built-in cross-field rules a template can switch on, by stable id (stored in templates, shown to admins).
 * Kept apart from rules.ts so that the template schema can name rules without importing their logic.
 */
export const RULE_IDS = [
  'no_po_no_go',
  'milestones_sum_to_contract_value',
  'hourly_has_rate_and_cap',
  'discount_above_threshold_approved',
  'non_standard_clauses_finance_approved',
  'payment_terms_within_policy',
  'ap_contact_distinct_from_champion',
  'renewal_after_start',
  'currencies_match',
  'plan_total_matches_contract_value',
  'plan_matches_handoff_terms',
  'credit_suggestion',
  'plan_feasible_in_finance_system',
  'stakeholders_name_buyer_and_day_to_day',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
