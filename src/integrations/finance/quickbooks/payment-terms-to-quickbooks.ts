import { parsePaymentTerms, paymentTermsLabel } from '../../../billing/payment-terms.js';
import { isDomainError } from '../../../core/errors.js';
import { FinanceError } from '../port.js';
import type { QboTermCreate } from './types.js';

/**
 * Our payment-terms code → the Term QuickBooks should hold for it.
 * - `due_on_receipt` → STANDARD, DueDays 0 (QuickBooks' own "Due on receipt" is exactly this);
 * - `net_N` → STANDARD, DueDays N;
 * - `eofm_D` → DATE_DRIVEN, DayOfMonthDue D, DueNextMonthDays D − 1: an invoice issued on day 1…D of a month is
 *   at most D − 1 days before that month's day D, so it rolls to the next month; one issued after day D is due on
 *   day D of the next month anyway. That is "day D of the following month" for every issue day. No early-payment
 *   discount (DiscountDayOfMonth 0).
 * Invoices carry an explicit DueDate computed by our core, so the Term is the label people see in QuickBooks and
 * the default for invoices they create by hand, never the source of our due dates.
 * @example paymentTermsToQuickBooks('net_30') // { Name: 'Net 30', DueDays: 30 }
 */
export function paymentTermsToQuickBooks(code: string): QboTermCreate {
  let terms: ReturnType<typeof parsePaymentTerms>;
  try {
    terms = parsePaymentTerms(code);
  } catch (e) {
    if (isDomainError(e)) throw new FinanceError('quickbooks', 'validation', e.message, { cause: e });
    throw e;
  }
  // Term.Name holds at most 31 characters; our labels are shorter ("Day 31 of the following month" is 29).
  const name = paymentTermsLabel(code).slice(0, 31);
  if (terms.kind === 'net') return { Name: name, DueDays: terms.days };
  return { Name: name, DayOfMonthDue: terms.day, DueNextMonthDays: terms.day - 1, DiscountDayOfMonth: 0 };
}
