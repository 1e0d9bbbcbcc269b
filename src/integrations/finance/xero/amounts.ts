/**
 * Xero writes amounts as JSON numbers in major units (`1250.50`). We never do arithmetic on them: a JSON number of
 * up to 15 significant digits parses to the double whose shortest printed form is those same digits, so
 * "decimal string → Number → String" is lossless, and the exact value is then taken over by core/money's decimal
 * parsing. Anything that would not survive the round trip is refused rather than rounded.
 */
import { currencyExponent, fromDecimalString, type Money, toDecimalString } from '../../../core/money.js';
import { FinanceError } from '../port.js';

/** Largest count of significant digits a double carries through JSON exactly. */
const EXACT_DIGITS = 15;

function significantDigits(decimal: string): number {
  return decimal.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
}

/**
 * Money → the number Xero expects, refusing amounts a double cannot carry exactly.
 * @example toXeroAmount(money(125050, 'USD')) // 1250.5
 */
export function toXeroAmount(m: Money): number {
  const decimal = toDecimalString(m);
  if (significantDigits(decimal) > EXACT_DIGITS) {
    throw new FinanceError(
      'xero',
      'validation',
      `${decimal} ${m.currency} has too many digits to send to Xero exactly`,
    );
  }
  return Number(decimal);
}

/**
 * A number Xero sent → Money, refusing values with more decimals than the currency has (never rounding).
 * @example fromXeroAmount(1250.5, 'USD') // { amount: 125050, currency: 'USD' }
 */
export function fromXeroAmount(value: number | undefined, currency: string): Money {
  const n = value ?? 0;
  // String() prints the shortest decimal that parses back to n: the digits Xero wrote.
  const decimal = String(n);
  if (!Number.isFinite(n) || /e/i.test(decimal)) {
    throw new FinanceError('xero', 'unknown', `Xero sent the amount ${decimal}, which cannot be read exactly`);
  }
  try {
    return fromDecimalString(decimal, currency);
  } catch {
    throw new FinanceError(
      'xero',
      'unknown',
      `Xero sent the amount ${decimal} ${currency}, with more than the ${currencyExponent(currency)} decimals ${currency} has`,
    );
  }
}

/**
 * A quantity Xero accepts (up to 4 decimal places) as an exact fraction `numerator / 10^scale`, or null.
 * @example quantityAsFraction(1.5) // { numerator: 15n, scale: 1 }
 */
export function quantityAsFraction(quantity: number): { numerator: bigint; scale: number } | null {
  const text = String(quantity);
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!m) return null;
  const frac = m[3] ?? '';
  return { numerator: BigInt(`${m[1]}${m[2]}${frac}`), scale: frac.length };
}
