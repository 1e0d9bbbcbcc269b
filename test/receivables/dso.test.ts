import { describe, expect, it } from '@jest/globals';
import { daysSalesOutstanding, paymentTimeliness } from '../../src/receivables/index.js';
import { invoice, paid, thrown } from './fixtures.js';

const usd = (dollars: number) => ({ amount: dollars * 100, currency: 'USD' });

describe('daysSalesOutstanding', () => {
  it('matches a hand-computed DSO: $90,000 receivable ÷ $150,000 credit sales × 90 days = 54.0', () => {
    const today = '2026-03-31'; // 90-day period: 2026-01-01 … 2026-03-31
    const invoices = [
      // sales in the period
      invoice({
        issueDate: '2026-01-10',
        dueDate: '2026-02-09',
        total: usd(60_000),
        status: 'paid',
        paidOn: '2026-02-01',
      }),
      invoice({ issueDate: '2026-02-15', dueDate: '2026-03-17', total: usd(50_000), amountDue: usd(40_000) }),
      invoice({ issueDate: '2026-03-20', dueDate: '2026-04-19', total: usd(30_000), amountDue: usd(30_000) }),
      invoice({
        issueDate: '2026-01-20',
        dueDate: '2026-02-19',
        total: usd(10_000),
        amountDue: usd(10_000),
        status: 'written_off',
      }),
      // receivable, but sold before the period
      invoice({ issueDate: '2025-12-15', dueDate: '2026-01-14', total: usd(20_000), amountDue: usd(20_000) }),
      // never sales
      invoice({ issueDate: '2026-02-01', total: usd(99_000), status: 'void' }),
      invoice({ issueDate: '2026-02-01', total: usd(99_000), status: 'draft' }),
      invoice({ issueDate: '2026-03-01', total: usd(99_000), status: 'scheduled' }),
    ];
    expect(daysSalesOutstanding(invoices, { today })).toEqual([
      {
        currency: 'USD',
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        periodDays: 90,
        receivables: usd(90_000),
        creditSales: usd(150_000),
        days: 54,
      },
    ]);
  });

  it('counts an invoice issued on the first day of the period as a sale, and one the day before as not', () => {
    const invoices = [
      invoice({ issueDate: '2026-03-02', total: usd(300), amountDue: usd(0), status: 'paid' }),
      invoice({ issueDate: '2026-03-01', dueDate: '2026-03-31', total: usd(700), amountDue: usd(100) }),
    ];
    const [r] = daysSalesOutstanding(invoices, { today: '2026-03-31', periodDays: 30 });
    expect(r?.periodStart).toBe('2026-03-02');
    expect(r?.creditSales).toEqual(usd(300));
    expect(r?.days).toBe(10); // 100 ÷ 300 × 30
  });

  it('reports DSO as null when there were no credit sales in the period, keeping the receivables', () => {
    const [r] = daysSalesOutstanding([invoice({ issueDate: '2025-06-01', dueDate: '2025-07-01', total: usd(500) })], {
      today: '2026-03-31',
    });
    expect(r?.days).toBeNull();
    expect(r?.receivables).toEqual(usd(500));
    expect(r?.creditSales).toEqual(usd(0));
  });

  it('returns nothing for a currency with neither receivables nor sales in the period', () => {
    expect(daysSalesOutstanding([paid('2025-01-01', '2025-01-31', '2025-01-20')], { today: '2026-03-31' })).toEqual([]);
  });

  it('computes one DSO per currency and never mixes them', () => {
    const invoices = [
      invoice({ issueDate: '2026-03-10', total: usd(1_000), amountDue: usd(500) }),
      invoice({
        issueDate: '2026-03-10',
        currency: 'JPY',
        total: { amount: 30_000, currency: 'JPY' },
        amountDue: { amount: 30_000, currency: 'JPY' },
      }),
    ];
    const results = daysSalesOutstanding(invoices, { today: '2026-03-31', periodDays: 30 });
    expect(results.map((r) => [r.currency, r.days])).toEqual([
      ['JPY', 30],
      ['USD', 15],
    ]);
  });

  it('refuses a period that is not a whole number of days', () => {
    const e = thrown(() => daysSalesOutstanding([], { today: '2026-03-31', periodDays: 0.5 }));
    expect(e.path).toBe('periodDays');
    expect(e.issues[0]?.message).toBe('must be a whole number of days from 1 to 3660');
  });
});

describe('paymentTimeliness', () => {
  it('averages days to pay and days late over paid invoices (hand-computed)', () => {
    const invoices = [
      paid('2026-01-01', '2026-01-31', '2026-02-10'), // 40 to pay, 10 late
      paid('2026-02-01', '2026-03-03', '2026-02-25'), // 24 to pay, 6 early
      invoice({
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        status: 'paid',
        amountDue: usd(0),
        payments: [
          { on: '2026-03-05', amount: usd(50) },
          { on: '2026-03-20', amount: usd(50) },
        ],
      }), // last payment: 19 to pay, 11 early
      invoice({ status: 'paid' }), // no paid day: left out
      invoice({ dueDate: '2026-01-31' }), // open: not a payment
    ];
    expect(paymentTimeliness(invoices)).toEqual({
      paidInvoiceCount: 3,
      averageDaysToPay: 27.7, // (40 + 24 + 19) / 3 = 27.67
      averageDaysLate: -2.3, // (10 − 6 − 11) / 3 = −2.33
      paidLateCount: 1,
      maxDaysLate: 10,
      undatedPaidCount: 1,
    });
  });

  it('gives nulls, not zeros, when nothing has been paid', () => {
    expect(paymentTimeliness([invoice()])).toEqual({
      paidInvoiceCount: 0,
      averageDaysToPay: null,
      averageDaysLate: null,
      paidLateCount: 0,
      maxDaysLate: null,
      undatedPaidCount: 0,
    });
  });
});
