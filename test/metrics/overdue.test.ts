import { describe, expect, it } from '@jest/globals';
import { receivablesOverview } from '../../src/metrics/index.js';
import { invoice, thrown } from '../receivables/fixtures.js';

const TODAY = '2026-03-31';
const money = (amount: number, currency = 'USD') => ({ amount, currency });

describe('receivablesOverview', () => {
  it('weights the overdue share by amount and keeps currencies apart (hand-computed)', () => {
    const invoices = [
      // USD: $1,000 overdue (customer A) of $4,000 outstanding → 0.25
      invoice({ customerId: 'A', issueDate: '2026-02-01', dueDate: '2026-03-03', total: money(100_000) }),
      invoice({ customerId: 'B', issueDate: '2026-03-15', dueDate: '2026-04-14', total: money(300_000) }),
      invoice({ customerId: 'B', issueDate: '2026-01-10', status: 'paid', total: money(200_000) }),
      // EUR: everything overdue → 1
      invoice({
        customerId: 'C',
        issueDate: '2026-01-05',
        dueDate: '2026-02-04',
        currency: 'EUR',
        total: money(50_000, 'EUR'),
      }),
      invoice({
        customerId: 'D',
        issueDate: '2026-01-05',
        dueDate: '2026-02-04',
        currency: 'EUR',
        total: money(25_000, 'EUR'),
      }),
    ];
    const overview = receivablesOverview(invoices, { today: TODAY });
    expect(overview.today).toBe(TODAY);
    expect(overview.periodDays).toBe(90);
    const [eur, usd] = overview.currencies;
    expect(eur).toMatchObject({
      currency: 'EUR',
      outstanding: money(75_000, 'EUR'),
      overdue: money(75_000, 'EUR'),
      overdueShare: 1,
      openInvoiceCount: 2,
      overdueInvoiceCount: 2,
      customersOverdue: 2,
    });
    // DSO EUR: 75,000 ÷ 75,000 × 90 = 90.0
    expect(eur?.dso?.days).toBe(90);
    expect(usd).toMatchObject({
      currency: 'USD',
      outstanding: money(400_000),
      overdue: money(100_000),
      overdueShare: 0.25,
      openInvoiceCount: 2,
      overdueInvoiceCount: 1,
      customersOverdue: 1,
    });
    // DSO USD: 400,000 ÷ (100,000 + 300,000 + 200,000) × 90 = 60.0
    expect(usd?.dso).toMatchObject({ receivables: money(400_000), creditSales: money(600_000), days: 60 });
  });

  it('reports a null share for a currency with sales but nothing outstanding', () => {
    const overview = receivablesOverview([invoice({ issueDate: '2026-03-01', status: 'paid' })], { today: TODAY });
    expect(overview.currencies[0]).toMatchObject({ overdueShare: null, outstanding: money(0), dso: { days: 0 } });
  });

  it('computes the DSO period from the option and today in the portal zone', () => {
    const now = new Date('2026-03-31T23:30:00Z'); // April 1st in Auckland
    const overview = receivablesOverview([invoice({ issueDate: '2026-03-20' })], {
      now,
      timeZone: 'Pacific/Auckland',
      periodDays: 30,
    });
    expect(overview.today).toBe('2026-04-01');
    expect(overview.currencies[0]?.dso?.periodStart).toBe('2026-03-03');
  });

  it('names the bad invoice by path', () => {
    const e = thrown(() => receivablesOverview([invoice({ currency: 'usd' })], { today: TODAY }));
    expect(e.path).toBe('invoices[0].currency');
  });
});
