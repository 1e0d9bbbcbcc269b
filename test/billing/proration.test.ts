import { describe, expect, it } from '@jest/globals';
import {
  fullPeriod,
  prorateDays,
  prorateFinalPeriod,
  prorateFirstPeriod,
  prorateUpgrade,
} from '../../src/billing/proration.js';
import { plusDays } from '../../src/core/dates.js';
import { caught, jpy, kwd, usd } from './fixtures.js';

const january = { start: '2026-01-01', end: '2026-01-31' };
const april = { start: '2026-04-01', end: '2026-04-30' };

describe('fullPeriod', () => {
  it('charges the whole price for a whole period', () => {
    expect(fullPeriod(usd(3000_00))).toEqual(usd(3000_00));
  });
});

describe('prorateFirstPeriod', () => {
  it('charges 10 of 31 days for service from Jan 22', () => {
    expect(prorateFirstPeriod(usd(31_00), january, '2026-01-22')).toEqual(usd(10_00));
  });

  it('charges the whole price when service starts on the first day', () => {
    expect(prorateFirstPeriod(usd(31_00), january, '2026-01-01')).toEqual(usd(31_00));
  });

  it('rounds yen to whole yen: 10 of 28 February days of ¥10,000 is ¥3,571', () => {
    expect(prorateFirstPeriod(jpy(10_000), { start: '2026-02-01', end: '2026-02-28' }, '2026-02-19')).toEqual(
      jpy(3_571),
    );
  });

  it('keeps the three decimals of Kuwaiti dinar: 1 of 30 days of KWD 1.000 is 0.033', () => {
    expect(prorateFirstPeriod(kwd(1_000), april, '2026-04-30')).toEqual(kwd(33));
  });
});

describe('prorateFinalPeriod', () => {
  it('charges 10 of 30 days for service until Apr 10', () => {
    expect(prorateFinalPeriod(usd(30_00), april, '2026-04-10')).toEqual(usd(10_00));
  });

  it('adds up with the first-period charge of the remaining days to exactly the full price, every split day', () => {
    const price = usd(1000_01);
    for (let d = 1; d < 31; d++) {
      const lastUsed = plusDays('2026-01-01', d - 1);
      const used = prorateFinalPeriod(price, january, lastUsed);
      const rest = prorateFirstPeriod(price, january, plusDays(lastUsed, 1));
      expect(used.amount + rest.amount).toBe(price.amount);
      expect(used.amount).toBeLessThanOrEqual(price.amount);
    }
  });
});

describe('prorateDays', () => {
  it('charges a run of days inside a period: Apr 11–20 is 10 of 30 days', () => {
    expect(prorateDays(usd(30_00), april, '2026-04-11', '2026-04-20')).toEqual(usd(10_00));
  });

  it('splits a period into runs that add up to the full price exactly', () => {
    const price = jpy(99_999);
    const parts = [
      prorateDays(price, april, '2026-04-01', '2026-04-07'),
      prorateDays(price, april, '2026-04-08', '2026-04-19'),
      prorateDays(price, april, '2026-04-20', '2026-04-30'),
    ];
    expect(parts.reduce((s, m) => s + m.amount, 0)).toBe(99_999);
  });
});

describe('prorateUpgrade', () => {
  it('credits the unused old price and charges the remaining new price from the effective date', () => {
    expect(prorateUpgrade(usd(30_00), usd(60_00), april, '2026-04-21')).toEqual({
      credit: usd(-10_00),
      charge: usd(20_00),
      net: usd(10_00),
      daysRemaining: 10,
      periodDays: 30,
    });
  });

  it('gives a negative net for a downgrade', () => {
    expect(prorateUpgrade(usd(60_00), usd(30_00), april, '2026-04-16').net).toEqual(usd(-15_00));
  });

  it('nets to zero when the price does not change', () => {
    expect(prorateUpgrade(usd(1234_57), usd(1234_57), april, '2026-04-09').net).toEqual(usd(0));
  });
});

describe('bad input to proration', () => {
  it('refuses a service start outside the period, naming the field', () => {
    expect(caught(() => prorateFirstPeriod(usd(100), january, '2026-02-01'))).toMatchObject({
      code: 'invalid_input',
      path: 'serviceStart',
      message: 'serviceStart: must fall within the period 2026-01-01 to 2026-01-31',
    });
  });

  it('refuses a negative price', () => {
    expect(caught(() => prorateFinalPeriod(usd(-1), january, '2026-01-10'))).toMatchObject({
      path: 'price.amount',
      message: 'price.amount: must not be negative',
    });
  });

  it('refuses an upgrade to another currency', () => {
    expect(caught(() => prorateUpgrade(usd(100), jpy(100), april, '2026-04-10'))).toMatchObject({
      path: 'newPrice.currency',
      message: 'newPrice.currency: must be the same currency as the old price',
    });
  });

  it('refuses fractions of a minor unit, naming the field', () => {
    // The wording of type errors comes from core/validate.ts; only the field and the code are billing's to assert.
    expect(caught(() => fullPeriod({ amount: 1.5, currency: 'USD' }))).toMatchObject({
      code: 'invalid_input',
      path: 'price.amount',
    });
  });

  it('refuses a period that ends before it starts', () => {
    expect(
      caught(() => prorateDays(usd(100), { start: '2026-04-30', end: '2026-04-01' }, '2026-04-10', '2026-04-11')),
    ).toMatchObject({
      path: 'period.end',
    });
  });
});
