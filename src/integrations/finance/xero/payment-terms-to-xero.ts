/**
 * Our payment-terms codes ↔ Xero's contact PaymentTerms.Sales `{ Day, Type }`:
 * - `net_N` → DAYSAFTERBILLDATE N ("N day(s) after the invoice date"), `due_on_receipt` → DAYSAFTERBILLDATE 0;
 * - `eofm_D` → OFFOLLOWINGMONTH D ("of the following month").
 * Xero's other two types (OFCURRENTMONTH, DAYSAFTERBILLMONTH) have no code of ours; reading them gives undefined so
 * that the sync reports "terms set in Xero we cannot express" instead of overwriting them unseen.
 */
import { type PaymentTermsCode, parsePaymentTerms, paymentTermsCode } from '../../../billing/payment-terms.js';
import { FinanceError } from '../port.js';
import type { XeroTerms } from './types.js';

/**
 * A payment-terms code as Xero contact terms; FinanceError validation for a code that is not one of ours.
 * @example paymentTermsToXero('eofm_20') // { Day: 20, Type: 'OFFOLLOWINGMONTH' }
 */
export function paymentTermsToXero(code: PaymentTermsCode): Required<XeroTerms> {
  let terms: ReturnType<typeof parsePaymentTerms>;
  try {
    terms = parsePaymentTerms(code);
  } catch {
    throw new FinanceError('xero', 'validation', `"${code}" is not a payment terms code (net_30, eofm_20, …)`);
  }
  return terms.kind === 'net'
    ? { Day: terms.days, Type: 'DAYSAFTERBILLDATE' }
    : { Day: terms.day, Type: 'OFFOLLOWINGMONTH' };
}

/**
 * Xero contact terms as our code, or undefined when unset or not expressible in our codes.
 * @example xeroTermsToPaymentTerms({ Day: 30, Type: 'DAYSAFTERBILLDATE' }) // 'net_30'
 */
export function xeroTermsToPaymentTerms(terms: XeroTerms | undefined): PaymentTermsCode | undefined {
  if (!terms?.Type || terms.Day === undefined || !Number.isInteger(terms.Day)) return undefined;
  if (terms.Type === 'DAYSAFTERBILLDATE' && terms.Day >= 0 && terms.Day <= 365) {
    return paymentTermsCode({ kind: 'net', days: terms.Day });
  }
  if (terms.Type === 'OFFOLLOWINGMONTH' && terms.Day >= 1 && terms.Day <= 31) {
    return paymentTermsCode({ kind: 'day_of_following_month', day: terms.Day });
  }
  return undefined;
}
