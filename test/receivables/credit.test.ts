import { describe, expect, it } from '@jest/globals';
import { plusDays } from '../../src/core/dates.js';
import { prequalifyCredit } from '../../src/receivables/index.js';
import { invoice, paid, thrown } from './fixtures.js';

const TODAY = '2026-06-30';

/** A net-30 invoice issued on `issueDate` and paid `daysLate` days after its due date. */
function paidLate(issueDate: string, daysLate: number, over = {}) {
  const dueDate = plusDays(issueDate, 30);
  return paid(issueDate, dueDate, plusDays(dueDate, daysLate), over);
}

const onTimeHistory = ['2026-01-05', '2026-02-05', '2026-03-05'].map((d) => paidLate(d, 0));

describe('prequalifyCredit', () => {
  it('treats a new customer with no history as ok, and says there is no history', () => {
    expect(prequalifyCredit([], { today: TODAY })).toEqual({
      level: 'ok',
      suggestion: { kind: 'none' },
      reasons: ['No payment history: this is a new customer, so there is nothing to judge yet'],
    });
  });

  it('does not count void, draft or scheduled invoices as history', () => {
    const history = [invoice({ status: 'void' }), invoice({ status: 'draft' }), invoice({ status: 'scheduled' })];
    expect(prequalifyCredit(history, { today: TODAY }).reasons[0]).toMatch(/^No payment history/);
  });

  it('is ok, saying so, when no invoice has come due yet', () => {
    const result = prequalifyCredit([invoice({ issueDate: '2026-06-20' })], { today: TODAY });
    expect(result).toEqual({
      level: 'ok',
      suggestion: { kind: 'none' },
      reasons: ['No invoice has come due yet, so there is no payment history to judge'],
    });
  });

  it('is ok for a customer who pays on time', () => {
    const result = prequalifyCredit(onTimeHistory, { today: TODAY });
    expect(result.level).toBe('ok');
    expect(result.suggestion).toEqual({ kind: 'none' });
    expect(result.reasons).toEqual([
      'On average invoices were paid on the due date',
      'All of the last 3 invoices were paid on time (within 5 days of the due date)',
    ]);
  });

  it('stays ok with one late payment, but says so', () => {
    const result = prequalifyCredit([...onTimeHistory, paidLate('2026-04-05', 12)], { today: TODAY });
    expect(result.level).toBe('ok');
    expect(result.reasons).toContain('1 of the last 4 invoices was paid 6 to 30 days late');
    expect(result.reasons).toContain('On average invoices were paid 3 days after the due date');
  });

  it('suggests shorter terms after two late payments', () => {
    const history = [...onTimeHistory, paidLate('2026-04-05', 12), paidLate('2026-05-05', 20)];
    expect(prequalifyCredit(history, { today: TODAY })).toEqual({
      level: 'watch',
      suggestion: { kind: 'shorter_terms', maxTerms: 'net_15' },
      reasons: [
        '2 of the last 5 invoices were paid 6 to 30 days late',
        'On average invoices were paid 6 days after the due date',
      ],
    });
  });

  it('suggests due on receipt when the customer already has terms as short as the policy offers', () => {
    const net10 = (issueDate: string, daysLate: number) => {
      const dueDate = plusDays(issueDate, 10);
      return paid(issueDate, dueDate, plusDays(dueDate, daysLate));
    };
    const result = prequalifyCredit([net10('2026-04-01', 10), net10('2026-05-01', 10)], { today: TODAY });
    expect(result.suggestion).toEqual({ kind: 'shorter_terms', maxTerms: 'due_on_receipt' });
  });

  it('watches a customer with one payment more than 30 days late', () => {
    const result = prequalifyCredit([...onTimeHistory, paidLate('2026-04-05', 31)], { today: TODAY });
    expect(result.level).toBe('watch');
    expect(result.reasons[0]).toBe('1 of the last 4 invoices was paid more than 30 days late');
  });

  it('asks for a deposit after two payments more than 30 days late', () => {
    const history = [paidLate('2026-01-05', 45), paidLate('2026-02-05', 40), ...onTimeHistory.slice(1)];
    const result = prequalifyCredit(history, { today: TODAY });
    expect(result.level).toBe('high_risk');
    expect(result.suggestion).toEqual({ kind: 'deposit', basisPoints: 2500 });
    expect(result.reasons[0]).toBe('2 of the last 4 invoices were paid more than 30 days late');
  });

  it('asks for a deposit while an invoice is unpaid more than 30 days after its due date', () => {
    const unpaid = invoice({
      number: 'INV-9',
      issueDate: plusDays(TODAY, -75),
      total: { amount: 400_000, currency: 'USD' },
    }); // net 30: 45 days past due today
    const result = prequalifyCredit([...onTimeHistory, unpaid], { today: TODAY });
    expect(result.level).toBe('high_risk');
    expect(result.reasons[0]).toBe('Invoice INV-9 ($4,000.00 due) is 45 days past due and still unpaid');
  });

  it('watches a customer with an invoice unpaid beyond the grace days, and ignores ones not yet due', () => {
    const late = invoice({ number: 'INV-10', issueDate: plusDays(TODAY, -40) }); // 10 days past due
    const notDue = invoice({ issueDate: plusDays(TODAY, -5) });
    const result = prequalifyCredit([...onTimeHistory, late, notDue], { today: TODAY });
    expect(result.level).toBe('watch');
    expect(result.reasons[0]).toBe('Invoice INV-10 ($100.00 due) is 10 days past due and still unpaid');
  });

  it('asks for a deposit from a customer with a written-off invoice', () => {
    const writtenOff = invoice({ number: 'INV-3', issueDate: '2026-02-10', status: 'written_off' });
    const result = prequalifyCredit([...onTimeHistory, writtenOff], { today: TODAY });
    expect(result.level).toBe('high_risk');
    expect(result.reasons[0]).toBe('Invoice INV-3 ($100.00) was written off as unpaid');
  });

  it('judges only the most recent invoices', () => {
    const old = [paidLate('2025-01-05', 60), paidLate('2025-02-05', 60)];
    const recent = ['2026-01-05', '2026-02-05', '2026-03-05', '2026-04-05', '2026-05-05', '2026-05-20'].map((d) =>
      paidLate(d, 0),
    );
    expect(prequalifyCredit([...old, ...recent], { today: TODAY }).level).toBe('ok');
    expect(prequalifyCredit([...old, ...recent], { today: TODAY, thresholds: { recentInvoices: 8 } }).level).toBe(
      'high_risk',
    );
  });

  it('follows custom thresholds: deposit size, terms offered, grace days', () => {
    const history = [paidLate('2026-04-05', 3), paidLate('2026-05-05', 4)];
    expect(prequalifyCredit(history, { today: TODAY }).level).toBe('ok');
    const strict = prequalifyCredit(history, {
      today: TODAY,
      thresholds: { graceDays: 0, shorterTerms: 'net_7' },
    });
    expect(strict.suggestion).toEqual({ kind: 'shorter_terms', maxTerms: 'net_7' });
    expect(strict.reasons[0]).toBe('2 of the last 2 invoices were paid 1 to 30 days late');
    const deposit = prequalifyCredit([paidLate('2026-04-05', 60), paidLate('2026-05-05', 60)], {
      today: TODAY,
      thresholds: { depositBasisPoints: 5000 },
    });
    expect(deposit.suggestion).toEqual({ kind: 'deposit', basisPoints: 5000 });
  });

  it('takes today from now in the portal zone', () => {
    const unpaid = invoice({ issueDate: '2026-05-01', dueDate: '2026-05-31' });
    // 2026-06-05 23:30 UTC is already 2026-06-06 in Auckland: 6 days past due, beyond the 5 grace days.
    const now = new Date('2026-06-05T23:30:00Z');
    expect(prequalifyCredit([unpaid], { now, timeZone: 'UTC' }).level).toBe('ok');
    expect(prequalifyCredit([unpaid], { now, timeZone: 'Pacific/Auckland' }).level).toBe('watch');
  });

  it('names bad history and bad thresholds by path', () => {
    const bad = thrown(() =>
      prequalifyCredit([invoice(), invoice({ issueDate: 'yesterday', dueDate: '2026-02-01' })], { today: TODAY }),
    );
    expect(bad.path).toBe('history[1].issueDate');
    expect(bad.issues[0]?.message).toBe('must be a date written YYYY-MM-DD');
    const terms = thrown(() => prequalifyCredit([], { today: TODAY, thresholds: { shorterTerms: 'net_0' } }));
    expect(terms.path).toBe('thresholds.shorterTerms');
    const unknown = thrown(() => prequalifyCredit([], { today: TODAY, thresholds: { grace: 3 } as never }));
    expect(unknown.issues[0]).toEqual({ path: 'thresholds', message: 'has unknown field grace' });
  });
});
