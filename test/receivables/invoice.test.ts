import { describe, expect, it } from '@jest/globals';
import { isOutstanding, paidDate, parseInvoices } from '../../src/receivables/index.js';
import { invoice, thrown } from './fixtures.js';

describe('invoice snapshots', () => {
  it('accepts a well-formed snapshot and keeps its fields', () => {
    const inv = invoice({
      url: 'https://go.xero.com/inv/1',
      payments: [{ on: '2026-01-10', amount: { amount: 500, currency: 'USD' } }],
    });
    expect(parseInvoices([inv])).toEqual([inv]);
  });

  it('names the invoice and field when the amount due is more than the total', () => {
    const list = [invoice(), invoice(), invoice(), invoice({ amountDue: { amount: 10_001, currency: 'USD' } })];
    const e = thrown(() => parseInvoices(list));
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('invoices[3].amountDue');
    expect(e.issues[0]?.message).toBe('cannot be more than the invoice total ($100.01 due on a total of $100.00)');
  });

  it('refuses a total in another currency than the invoice', () => {
    const e = thrown(() =>
      parseInvoices([
        invoice({
          currency: 'EUR',
          total: { amount: 100, currency: 'USD' },
          amountDue: { amount: 100, currency: 'EUR' },
        }),
      ]),
    );
    expect(e.path).toBe('invoices[0].total.currency');
    expect(e.issues[0]?.message).toBe("must be EUR, the invoice's currency (got USD)");
  });

  it('refuses a payment in another currency than the invoice', () => {
    const e = thrown(() =>
      parseInvoices([invoice({ payments: [{ on: '2026-01-05', amount: { amount: 1, currency: 'GBP' } }] })]),
    );
    expect(e.path).toBe('invoices[0].payments[0].amount.currency');
  });

  it('refuses a due date before the issue date', () => {
    const e = thrown(() => parseInvoices([invoice({ issueDate: '2026-02-01', dueDate: '2026-01-31' })]));
    expect(e.path).toBe('invoices[0].dueDate');
    expect(e.issues[0]?.message).toBe('must be on or after the issue date 2026-02-01');
  });

  it('refuses a paid invoice that still has an amount due', () => {
    const e = thrown(() => parseInvoices([invoice({ status: 'paid', amountDue: { amount: 1, currency: 'USD' } })]));
    expect(e.path).toBe('invoices[0].amountDue');
    expect(e.issues[0]?.message).toBe('must be zero on a paid invoice (got $0.01)');
  });

  it('refuses the same invoice id twice, since it would be counted twice', () => {
    const a = invoice();
    const e = thrown(() => parseInvoices([a, invoice(), { ...a }]));
    expect(e.path).toBe('invoices[2].id');
    expect(e.issues[0]?.message).toBe(`repeats invoice id "${a.id}" already given at position 0`);
  });

  it('lists every bad field in one error, with readable messages', () => {
    const e = thrown(() =>
      parseInvoices([
        invoice({ status: 'sent' as never, dueDate: '2026-02-30', total: { amount: 1.5, currency: 'USD' } }),
      ]),
    );
    expect(e.issues).toEqual(
      expect.arrayContaining([
        { path: 'invoices[0].status', message: 'must be one of scheduled, draft, open, paid, void, written_off' },
        { path: 'invoices[0].dueDate', message: 'is not a real calendar date' },
      ]),
    );
    // The fractional amount is reported at its path; its wording comes from src/core/validate.ts.
    expect(e.issues.map((i) => i.path)).toContain('invoices[0].total.amount');
    expect(e.message).toMatch(/^invoices\[0\]\.\w+: .+ \(and \d+ more problems\)$/);
  });

  it('refuses negative amounts and an unknown source system', () => {
    const e = thrown(() =>
      parseInvoices([invoice({ total: { amount: -1, currency: 'USD' }, source: 'sage' as never })]),
    );
    expect(e.issues).toEqual(
      expect.arrayContaining([
        { path: 'invoices[0].total.amount', message: 'must not be negative' },
        { path: 'invoices[0].source', message: 'must be quickbooks, xero or stripe' },
      ]),
    );
  });

  it('counts as outstanding only open, issued invoices with something due', () => {
    const [open, zeroDue, future, paidInv] = parseInvoices([
      invoice(),
      invoice({ amountDue: { amount: 0, currency: 'USD' } }),
      invoice({ issueDate: '2026-03-02', dueDate: '2026-04-01' }),
      invoice({ status: 'paid' }),
    ]);
    expect([open, zeroDue, future, paidInv].map((i) => isOutstanding(i as never, '2026-03-01'))).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('takes the paid day from paidOn, else from the last payment', () => {
    const [withDay, fromPayments, unknown, open] = parseInvoices([
      invoice({ status: 'paid', paidOn: '2026-02-03' }),
      invoice({
        status: 'paid',
        payments: [
          { on: '2026-02-20', amount: { amount: 5_000, currency: 'USD' } },
          { on: '2026-02-10', amount: { amount: 5_000, currency: 'USD' } },
        ],
      }),
      invoice({ status: 'paid' }),
      invoice({ paidOn: '2026-02-01' }),
    ]);
    expect([withDay, fromPayments, unknown, open].map((i) => paidDate(i as never))).toEqual([
      '2026-02-03',
      '2026-02-20',
      null,
      null,
    ]);
  });
});
