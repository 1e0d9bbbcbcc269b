import { describe, expect, it } from '@jest/globals';
import { plusDays } from '../../src/core/dates.js';
import { ageReceivables, agingBucketOf, daysPastDue } from '../../src/receivables/index.js';
import { invoice, openDue, thrown } from './fixtures.js';

const TODAY = '2026-06-15';
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('aging buckets', () => {
  it.each([
    [0, 'current'],
    [1, 'days_1_30'],
    [30, 'days_1_30'],
    [31, 'days_31_60'],
    [60, 'days_31_60'],
    [61, 'days_61_90'],
    [90, 'days_61_90'],
    [91, 'days_over_90'],
  ] as const)('puts an invoice %i days past due in %s', (days, bucket) => {
    const report = ageReceivables([openDue(plusDays(TODAY, -days), 12_345)], { today: TODAY });
    const usdAging = report.currencies[0];
    expect(usdAging?.buckets[bucket]).toEqual(usd(12_345));
    const others = Object.entries(usdAging?.buckets ?? {}).filter(([b]) => b !== bucket);
    expect(others.every(([, m]) => m.amount === 0)).toBe(true);
    expect(usdAging?.daysPastDue).toBe(days);
    expect(report.overdueInvoiceCount).toBe(days > 0 ? 1 : 0);
  });

  it('treats an invoice not yet due as current with 0 days past due', () => {
    const report = ageReceivables([openDue(plusDays(TODAY, 10), 500)], { today: TODAY });
    expect(report.currencies[0]?.buckets.current).toEqual(usd(500));
    expect(report.daysPastDue).toBe(0);
    expect(report.currencies[0]?.overdue).toEqual(usd(0));
  });

  it('maps day counts to buckets at every boundary, negatives included', () => {
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(agingBucketOf)).toEqual([
      'current',
      'current',
      'days_1_30',
      'days_1_30',
      'days_31_60',
      'days_31_60',
      'days_61_90',
      'days_61_90',
      'days_over_90',
      'days_over_90',
    ]);
  });

  it('refuses a fractional day count', () => {
    const e = thrown(() => agingBucketOf(1.5));
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('daysPastDue');
    expect(e.issues[0]?.message).toBe('must be a whole number of days');
  });

  it('counts days past due as whole calendar days, never negative', () => {
    expect(daysPastDue('2026-01-31', '2026-03-02')).toBe(30);
    expect(daysPastDue('2026-03-05', '2026-03-02')).toBe(0);
    expect(thrown(() => daysPastDue('2026-3-5', '2026-03-02')).path).toBe('dueDate');
  });
});

describe('ageReceivables', () => {
  it('counts only open invoices with an amount due, and the amount due of partly paid ones', () => {
    const due = '2026-05-01';
    const report = ageReceivables(
      [
        openDue(due, 10_000),
        openDue(due, 10_000, 'USD', { amountDue: usd(2_500) }),
        openDue(due, 10_000, 'USD', { amountDue: usd(0) }),
        invoice({ dueDate: due, status: 'paid' }),
        invoice({ dueDate: due, status: 'void' }),
        invoice({ dueDate: due, status: 'draft' }),
        invoice({ dueDate: due, status: 'scheduled' }),
        invoice({ dueDate: due, status: 'written_off' }),
      ],
      { today: TODAY },
    );
    expect(report.currencies).toHaveLength(1);
    expect(report.currencies[0]?.outstanding).toEqual(usd(12_500));
    expect(report.openInvoiceCount).toBe(2);
  });

  it('leaves out open invoices issued after today', () => {
    const report = ageReceivables([invoice({ issueDate: '2026-06-16', dueDate: '2026-07-16' })], { today: TODAY });
    expect(report.currencies).toEqual([]);
    expect(report.oldestDueDate).toBeNull();
  });

  it('reports overdue amount, open count, oldest due date and days past due of the oldest unpaid invoice', () => {
    const report = ageReceivables(
      [openDue('2026-06-20', 1_000), openDue('2026-05-16', 2_000), openDue('2026-03-01', 4_000)],
      { today: TODAY },
    );
    expect(report.currencies[0]).toEqual({
      currency: 'USD',
      outstanding: usd(7_000),
      overdue: usd(6_000),
      buckets: {
        current: usd(1_000),
        days_1_30: usd(2_000),
        days_31_60: usd(0),
        days_61_90: usd(0),
        days_over_90: usd(4_000),
      },
      openInvoiceCount: 3,
      overdueInvoiceCount: 2,
      daysPastDue: 106,
      oldestDueDate: '2026-03-01',
    });
    expect(report).toMatchObject({
      openInvoiceCount: 3,
      overdueInvoiceCount: 2,
      daysPastDue: 106,
      oldestDueDate: '2026-03-01',
    });
  });

  it('keeps each currency apart and never adds them, while counting days and invoices across currencies', () => {
    const report = ageReceivables(
      [openDue('2026-06-10', 1_000, 'USD'), openDue('2026-05-01', 700, 'EUR'), openDue('2026-06-14', 5, 'JPY')],
      { today: TODAY },
    );
    expect(report.currencies.map((c) => [c.currency, c.outstanding.amount, c.daysPastDue])).toEqual([
      ['EUR', 700, 45],
      ['JPY', 5, 1],
      ['USD', 1_000, 5],
    ]);
    expect(report.currencies.every((c) => c.outstanding.currency === c.currency)).toBe(true);
    expect(report.daysPastDue).toBe(45);
    expect(report.openInvoiceCount).toBe(3);
    expect(report.oldestDueDate).toBe('2026-05-01');
  });

  it('computes today in the portal zone: due "yesterday" in Tokyo is still due today in UTC', () => {
    const now = new Date('2026-03-01T20:00:00Z'); // 2026-03-02 05:00 in Tokyo
    const invoices = [openDue('2026-03-01', 9_900)];
    const tokyo = ageReceivables(invoices, { now, timeZone: 'Asia/Tokyo' });
    const utc = ageReceivables(invoices, { now, timeZone: 'UTC' });
    expect(tokyo.today).toBe('2026-03-02');
    expect(tokyo.daysPastDue).toBe(1);
    expect(tokyo.currencies[0]?.buckets.days_1_30).toEqual(usd(9_900));
    expect(utc.today).toBe('2026-03-01');
    expect(utc.daysPastDue).toBe(0);
    expect(utc.currencies[0]?.buckets.current).toEqual(usd(9_900));
  });

  it('asks for today, or now with a time zone, and refuses both at once', () => {
    const missing = thrown(() => ageReceivables([], {} as never));
    expect(missing.issues).toEqual([
      { path: 'now', message: 'is required (or give today as YYYY-MM-DD)' },
      { path: 'timeZone', message: "is required with now: the portal's IANA time zone, e.g. America/New_York" },
    ]);
    const both = thrown(() => ageReceivables([], { today: TODAY, now: new Date(), timeZone: 'UTC' } as never));
    expect(both.path).toBe('today');
    const zone = thrown(() => ageReceivables([], { now: new Date(), timeZone: 'Mars/Olympus' }));
    expect(zone.path).toBe('timeZone');
    expect(zone.issues[0]?.message).toBe('is not a known IANA time zone');
  });

  it('names the bad invoice field, e.g. invoices[3].amountDue', () => {
    const list = [openDue('2026-06-01', 1), openDue('2026-06-01', 1), openDue('2026-06-01', 1)];
    list.push(openDue('2026-06-01', 100, 'USD', { amountDue: usd(101) }));
    const e = thrown(() => ageReceivables(list, { today: TODAY }));
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('invoices[3].amountDue');
    expect(e.message).toBe(
      'invoices[3].amountDue: cannot be more than the invoice total ($1.01 due on a total of $1.00)',
    );
  });
});
