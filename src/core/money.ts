import {
  add,
  allocate,
  compare,
  type Dinero,
  type DineroCurrency,
  dinero,
  multiply,
  subtract,
  toDecimal,
  toSnapshot,
} from 'dinero.js';
import * as currencies from 'dinero.js/currencies';
import { z } from 'zod';
import { DomainError } from './errors.js';

const CURRENCIES = currencies as unknown as Record<string, DineroCurrency<number>>;

/** ISO 4217 code known to dinero.js, e.g. `USD`, `JPY` (0 minor digits), `KWD` (3). */
export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 currency code such as USD')
  .refine((c) => c in CURRENCIES, { message: 'is not a currency we know (ISO 4217)' });

/** Money as it travels and is stored: integer minor units and a currency. Never floats. */
export const MoneySchema = z.object({
  amount: z.number().int('must be a whole number of minor units (cents)').refine(Number.isSafeInteger, 'is too large'),
  currency: CurrencyCodeSchema,
});
export type Money = z.infer<typeof MoneySchema>;

/** Same as MoneySchema but the amount may not be negative. */
export const NonNegativeMoneySchema = MoneySchema.refine((m) => m.amount >= 0, {
  message: 'must not be negative',
  path: ['amount'],
});

/** The dinero.js currency for a code; throws a DomainError for an unknown code. */
export function currencyOf(code: string): DineroCurrency<number> {
  const c = CURRENCIES[code];
  if (!c) throw new DomainError('invalid_input', `${code} is not a currency we know (ISO 4217)`, 'currency');
  return c;
}

/** Number of minor-unit digits of a currency. @example currencyExponent('JPY') // 0 */
export function currencyExponent(code: string): number {
  return currencyOf(code).exponent;
}

/** Builds Money. @example money(12_50, 'USD') // $12.50 */
export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new DomainError('invalid_input', `amount ${amount} is not a whole number of minor units`, 'amount');
  }
  currencyOf(currency);
  return { amount, currency };
}

/** Zero in a currency. */
export function zero(currency: string): Money {
  return money(0, currency);
}

function toD(m: Money): Dinero<number> {
  return dinero({ amount: m.amount, currency: currencyOf(m.currency) });
}

function fromD(d: Dinero<number>): Money {
  const snap = toSnapshot(d);
  const exp = snap.currency.exponent;
  if (snap.scale !== exp) throw new Error(`unexpected scale ${snap.scale} for ${snap.currency.code}`);
  return { amount: snap.amount, currency: snap.currency.code };
}

function sameCurrency(a: Money, b: Money, path = 'currency'): void {
  if (a.currency !== b.currency) {
    throw new DomainError('currency_mismatch', `cannot combine ${a.currency} with ${b.currency}`, path);
  }
}

/** a + b (same currency). */
export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return fromD(add(toD(a), toD(b)));
}

/** a − b (same currency). */
export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return fromD(subtract(toD(a), toD(b)));
}

/** Sum of a list; the currency is given so that an empty list has a total. */
export function sumMoney(items: ReadonlyArray<Money>, currency: string): Money {
  let total = zero(currency);
  for (const m of items) total = addMoney(total, m);
  return total;
}

/** m × an integer factor (e.g. hours × hourly rate). */
export function multiplyMoney(m: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new DomainError('invalid_input', `factor ${factor} must be a whole number`);
  return fromD(multiply(toD(m), factor));
}

/**
 * Splits m into parts proportional to integer ratios; the parts always sum exactly to m
 * (dinero.js hands the remainder out one minor unit at a time).
 * @example allocateMoney(money(100, 'USD'), [1, 1, 1]) // 34, 33, 33 cents
 */
export function allocateMoney(m: Money, ratios: ReadonlyArray<number>): Money[] {
  if (ratios.length === 0) return [];
  if (ratios.some((r) => !Number.isSafeInteger(r) || r < 0)) {
    throw new DomainError('invalid_input', 'allocation ratios must be non-negative whole numbers');
  }
  if (ratios.every((r) => r === 0)) return ratios.map(() => zero(m.currency));
  return allocate(toD(m), [...ratios]).map(fromD);
}

/**
 * The share numerator/denominator of m, rounded by allocation so that share + rest = m exactly.
 * @example fractionOf(money(3000, 'USD'), 10, 30) // $10.00
 */
export function fractionOf(m: Money, numerator: number, denominator: number): Money {
  if (denominator <= 0 || numerator < 0 || numerator > denominator) {
    throw new DomainError('invalid_input', `fraction ${numerator}/${denominator} must lie between 0 and 1`);
  }
  if (numerator === denominator) return { ...m };
  if (numerator === 0) return zero(m.currency);
  const [share] = allocateMoney(m, [numerator, denominator - numerator]);
  return share as Money;
}

/** −1, 0 or 1. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return compare(toD(a), toD(b)) as -1 | 0 | 1;
}

/** Decimal string in major units, e.g. `12.50` for 1250 USD, `1500` for 1500 JPY, `1.250` for 1250 KWD. */
export function toDecimalString(m: Money): string {
  return toDecimal(toD(m));
}

/** Parses a decimal string in major units into Money, refusing more digits than the currency has. */
export function fromDecimalString(value: string, currency: string): Money {
  const exp = currencyExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new DomainError('invalid_input', `"${value}" is not an amount`, 'amount');
  const [, sign, whole, frac = ''] = match;
  if (frac.length > exp) {
    throw new DomainError(
      'invalid_input',
      `${currency} has ${exp} decimal place${exp === 1 ? '' : 's'}; "${value}" has ${frac.length}`,
      'amount',
    );
  }
  const minor = Number(`${whole}${frac.padEnd(exp, '0')}`);
  return money(sign ? -minor : minor, currency);
}

/**
 * A major-unit number that may carry more decimals than the currency has (a vendor's unit price), as Money: exact
 * when it fits, else rounded half away from zero to the currency's minor unit.
 * @example roundedMoney(33.3333, 'USD') // { amount: 3333, currency: 'USD' }
 */
export function roundedMoney(n: number, currency: string): Money {
  try {
    return fromDecimalString(String(n), currency);
  } catch {
    const scale = 10 ** currencyExponent(currency);
    return money(Math.sign(n) * Math.round(Math.abs(n) * scale), currency);
  }
}

/** Human format with the currency symbol, e.g. `$1,250.00`, `¥1,500`, `KWD 1.250`. */
export function formatMoney(m: Money, locale = 'en-US'): string {
  const exp = currencyExponent(m.currency);
  const fmt = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  });
  // Intl takes a decimal string without losing precision.
  return fmt.format(toDecimalString(m) as unknown as number);
}
