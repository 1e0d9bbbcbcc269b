import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../src/core/errors.js';
import {
  addMoney,
  allocateMoney,
  currencyExponent,
  formatMoney,
  fractionOf,
  fromDecimalString,
  money,
  roundedMoney,
  sumMoney,
  toDecimalString,
} from '../../src/core/money.js';

describe('money', () => {
  it('knows the minor units of JPY, USD and KWD', () => {
    expect([currencyExponent('JPY'), currencyExponent('USD'), currencyExponent('KWD')]).toEqual([0, 2, 3]);
  });

  it('splits 1 dollar three ways into 34 + 33 + 33 cents', () => {
    expect(allocateMoney(money(100, 'USD'), [1, 1, 1]).map((m) => m.amount)).toEqual([34, 33, 33]);
  });

  it('refuses to add two currencies with a currency_mismatch error', () => {
    expect(() => addMoney(money(1, 'USD'), money(1, 'EUR'))).toThrow(DomainError);
    try {
      addMoney(money(1, 'USD'), money(1, 'EUR'));
    } catch (e) {
      expect((e as DomainError).code).toBe('currency_mismatch');
    }
  });

  it('takes a fraction whose share and rest add back to the whole', () => {
    const whole = money(1000, 'USD');
    const share = fractionOf(whole, 10, 31);
    const rest = fractionOf(whole, 21, 31);
    expect(share.amount + rest.amount).toBeGreaterThanOrEqual(999);
    expect(fractionOf(whole, 31, 31)).toEqual(whole);
  });

  it('parses and prints decimals with the currency exponent', () => {
    expect(fromDecimalString('12.5', 'USD')).toEqual(money(1250, 'USD'));
  });

  it('rounds a vendor unit price with more decimals than the currency to its minor unit, exact when it fits', () => {
    expect(roundedMoney(12.5, 'USD')).toEqual(money(1250, 'USD'));
    expect(roundedMoney(33.3333, 'USD')).toEqual(money(3333, 'USD'));
    expect(roundedMoney(0.125, 'USD')).toEqual(money(13, 'USD'));
    expect(roundedMoney(-0.125, 'USD')).toEqual(money(-13, 'USD'));
    expect(roundedMoney(1.2345, 'JPY')).toEqual(money(1, 'JPY'));
    expect(roundedMoney(1.23456, 'KWD')).toEqual(money(1235, 'KWD'));
    expect(fromDecimalString('1.250', 'KWD')).toEqual(money(1250, 'KWD'));
    expect(() => fromDecimalString('10.5', 'JPY')).toThrow('JPY has 0 decimal places');
    expect(toDecimalString(money(1250, 'KWD'))).toBe('1.250');
    expect(formatMoney(money(123456, 'USD'))).toBe('$1,234.56');
    expect(formatMoney(money(1500, 'JPY'))).toBe('¥1,500');
  });

  it('sums an empty list to zero in the given currency', () => {
    expect(sumMoney([], 'KWD')).toEqual(money(0, 'KWD'));
  });

  it('refuses fractional minor units', () => {
    expect(() => money(1.5, 'USD')).toThrow('not a whole number');
  });
});
