/**
 * Credit pre-qualification: from a customer's payment history, what the app suggests before terms are agreed.
 * (Types fixed here; the computation lives below and is tested in test/receivables/credit.test.ts.)
 */

export type CreditSuggestion =
  | { kind: 'none' }
  /** Offer no longer than these terms (a payment-terms code such as `net_15`). */
  | { kind: 'shorter_terms'; maxTerms: string }
  /** Ask for a deposit of this share of the contract value, in basis points (2500 = 25%). */
  | { kind: 'deposit'; basisPoints: number };

export interface CreditAssessment {
  level: 'ok' | 'watch' | 'high_risk';
  suggestion: CreditSuggestion;
  /** Plain-language reasons, e.g. "3 of the last 6 invoices were paid more than 30 days late". */
  reasons: string[];
}
