import { fromDecimalString, type Money, toDecimalString } from '../../../core/money.js';
import { FinanceError } from '../port.js';

/**
 * QuickBooks amounts are JSON numbers in major units. We never do arithmetic on them: Money (integer minor units)
 * goes out through its decimal string and comes back through the number's shortest decimal representation, which
 * is exactly the text QuickBooks sent (JSON numbers of up to 15 significant digits survive the double).
 */

function plainDecimal(n: number): string {
  // String() switches to exponent notation below 1e-6 and from 1e21; neither is a real amount, but be exact anyway.
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Money → the JSON number QuickBooks expects, refusing an amount a double cannot carry exactly.
 * @example moneyToQbo({ amount: 123456, currency: 'USD' }) // 1234.56
 */
export function moneyToQbo(m: Money): number {
  const text = toDecimalString(m);
  const n = Number(text);
  if (!Number.isFinite(n) || !sameDecimal(plainDecimal(n), text)) {
    throw new FinanceError(
      'quickbooks',
      'validation',
      `${text} ${m.currency} is too large to send to QuickBooks exactly`,
    );
  }
  return n;
}

/**
 * A QuickBooks amount → Money, refusing more decimals than the currency has (no silent rounding).
 * @example qboToMoney(1234.56, 'USD') // { amount: 123456, currency: 'USD' }
 */
export function qboToMoney(n: number, currency: string): Money {
  try {
    return fromDecimalString(plainDecimal(n), currency);
  } catch (e) {
    throw new FinanceError(
      'quickbooks',
      'unknown',
      `QuickBooks sent the amount ${n} ${currency}, which is not exact in ${currency}`,
      {
        cause: e,
      },
    );
  }
}

function sameDecimal(a: string, b: string): boolean {
  const norm = (s: string) => {
    const [whole = '', frac = ''] = s
      .replace(/^-0+(?=\d)/, '-')
      .replace(/^0+(?=\d)/, '')
      .split('.');
    const f = frac.replace(/0+$/, '');
    const w = whole === '-0' ? '0' : whole;
    return f ? `${w}.${f}` : w;
  };
  return norm(a) === norm(b);
}
