import { paymentTermsCode } from '../../../billing/payment-terms.js';
import type { QboTerm } from './types.js';

/**
 * A QuickBooks Term → our payment-terms code, or undefined when our codes cannot express it (net terms beyond a
 * year, date-driven terms that keep early invoices in the same month, terms with neither field).
 * A date-driven term counts as "day D of the following month" when DueNextMonthDays ≥ D − 1 (see
 * payment-terms-to-quickbooks.ts for why D − 1 is the threshold).
 * @example quickbooksTermToPaymentTerms(netThirtyTerm) // 'net_30'
 */
export function quickbooksTermToPaymentTerms(term: QboTerm): string | undefined {
  if (term.DueDays !== undefined && term.DueDays !== null) {
    const days = term.DueDays;
    return Number.isInteger(days) && days >= 0 && days <= 365 ? paymentTermsCode({ kind: 'net', days }) : undefined;
  }
  const day = term.DayOfMonthDue;
  if (day === undefined || !Number.isInteger(day) || day < 1 || day > 31) return undefined;
  if ((term.DueNextMonthDays ?? 0) < day - 1) return undefined;
  return paymentTermsCode({ kind: 'day_of_following_month', day });
}
