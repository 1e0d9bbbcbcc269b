import { describe, expect, it } from '@jest/globals';
import { plusDays } from '../../src/core/dates.js';
import { topAtRiskAccounts } from '../../src/metrics/index.js';
import { openDue, thrown } from '../receivables/fixtures.js';

const TODAY = '2026-06-30';
const ago = (days: number) => plusDays(TODAY, -days);
const due = (customerId: string, daysPastDue: number, amount: number, currency = 'USD') =>
  openDue(ago(daysPastDue), amount, currency, { customerId });

describe('topAtRiskAccounts', () => {
  it('orders by severity, then days past due, then overdue amount, then customer id', () => {
    const invoices = [
      due('warn-20d', 20, 900_000),
      due('danger-40d-small', 40, 100),
      due('danger-40d-big', 40, 5_000),
      due('danger-90d', 90, 10),
      due('tie-b', 10, 700),
      due('tie-a', 10, 700),
      due('hold-current', -5, 100), // not yet due, but on credit hold
      due('fine', -5, 100_000), // not at risk: nothing past due
    ];
    const customers = [
      { customerId: 'hold-current', name: 'Held Ltd', creditHold: true },
      { customerId: 'danger-90d', name: 'Ninety Inc' },
    ];
    const [usd] = topAtRiskAccounts(invoices, customers, { today: TODAY });
    expect(usd?.currency).toBe('USD');
    expect(usd?.accounts.map((a) => [a.customerId, a.severity, a.daysPastDue])).toEqual([
      ['danger-90d', 'danger', 90],
      ['danger-40d-big', 'danger', 40],
      ['danger-40d-small', 'danger', 40],
      ['hold-current', 'danger', 0],
      ['warn-20d', 'warning', 20],
      ['tie-a', 'warning', 10],
      ['tie-b', 'warning', 10],
    ]);
    expect(usd?.accounts[0]).toEqual({
      customerId: 'danger-90d',
      name: 'Ninety Inc',
      severity: 'danger',
      risk: 'high',
      creditHold: false,
      daysPastDue: 90,
      overdue: { amount: 10, currency: 'USD' },
      outstanding: { amount: 10, currency: 'USD' },
      overdueInvoiceCount: 1,
      oldestDueDate: ago(90),
    });
    expect(usd?.accounts[1]?.name).toBeNull();
  });

  it('keeps the top 10 by default and honours a custom limit', () => {
    const invoices = Array.from({ length: 12 }, (_, i) => due(`c${String(i).padStart(2, '0')}`, 40 + i, 100));
    const [usd] = topAtRiskAccounts(invoices, [], { today: TODAY });
    expect(usd?.accounts).toHaveLength(10);
    expect(usd?.accounts[0]?.customerId).toBe('c11');
    expect(usd?.accounts[9]?.customerId).toBe('c02');
    expect(topAtRiskAccounts(invoices, [], { today: TODAY, limit: 3 })[0]?.accounts).toHaveLength(3);
  });

  it('makes one list per currency, since amounts in different currencies cannot be compared', () => {
    const lists = topAtRiskAccounts([due('a', 5, 100, 'USD'), due('a', 50, 9, 'EUR'), due('b', 3, 1, 'EUR')], [], {
      today: TODAY,
    });
    expect(
      lists.map((l) => [l.currency, l.accounts.map((a) => `${a.customerId}:${a.overdue.amount}${a.overdue.currency}`)]),
    ).toEqual([
      ['EUR', ['a:9EUR', 'b:1EUR']],
      ['USD', ['a:100USD']],
    ]);
  });

  it('lists an account below the minimum amount as informational (low risk), after the warnings', () => {
    const thresholds = { minimumOverdue: [{ amount: 1_000, currency: 'USD' }] };
    const [usd] = topAtRiskAccounts([due('small', 80, 999), due('big', 2, 1_000)], [], { today: TODAY, thresholds });
    expect(usd?.accounts.map((a) => [a.customerId, a.severity, a.risk])).toEqual([
      ['big', 'warning', 'medium'],
      ['small', 'info', 'low'],
    ]);
  });

  it('names bad customer facts by path', () => {
    const e = thrown(() => topAtRiskAccounts([], [{ customerId: 'x', name: '' }], { today: TODAY }));
    expect(e.path).toBe('customers[0].name');
    expect(e.issues[0]?.message).toBe('is required');
  });
});
