import { describe, expect, it } from '@jest/globals';
import { type InvoiceSnapshot, parseInvoices } from '../../src/receivables/invoice.js';
import { badDebtTrigger, buildPostMortem, namesBadDebt } from '../../src/receivables/post-mortem.js';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const [OPEN] = parseInvoices([
  {
    id: 'i1',
    number: 'INV-1',
    customerId: 'c1',
    issueDate: '2026-01-01',
    dueDate: '2026-01-31',
    currency: 'USD',
    total: usd(100_000),
    amountDue: usd(100_000),
    status: 'open',
    source: 'quickbooks',
  },
]) as [InvoiceSnapshot];

describe('namesBadDebt', () => {
  it('tells a bad-debt item or account by its name, whatever the case or spacing', () => {
    for (const name of ['Bad debt', 'Bad Debts', 'BAD DEBT write-off', 'Baddebt', 'Bad-debt expense', 'bad_debts']) {
      expect(namesBadDebt(name)).toBe(true);
    }
    for (const name of ['Services', 'Debt collection fees', 'Bad', undefined]) expect(namesBadDebt(name)).toBe(false);
  });
});

describe('badDebtTrigger', () => {
  it('counts more than 90 days past due, not 90 itself', () => {
    expect(badDebtTrigger(OPEN, '2026-05-01')).toBe(null); // 90 days after 31 Jan
    expect(badDebtTrigger(OPEN, '2026-05-02')).toBe('over_90_days');
    expect(badDebtTrigger({ ...OPEN, amountDue: usd(0), status: 'paid' }, '2026-09-01')).toBe(null);
  });

  it('a void counts unless the invoice was a draft or held by us; a write-off always counts', () => {
    const voided = { ...OPEN, status: 'void' as const, total: usd(0), amountDue: usd(0) };
    expect(badDebtTrigger(voided, '2026-02-01', 'open')).toBe('voided');
    expect(badDebtTrigger(voided, '2026-02-01', null)).toBe('voided');
    expect(badDebtTrigger(voided, '2026-02-01', 'draft')).toBe(null);
    expect(badDebtTrigger(voided, '2026-02-01', 'scheduled')).toBe(null);
    expect(badDebtTrigger({ ...OPEN, status: 'written_off' }, '2026-02-01')).toBe('written_off');
  });
});

describe('buildPostMortem', () => {
  it('a QuickBooks void (amounts zeroed) keeps what was owed before it; no sale on record says so', () => {
    const voided = { ...OPEN, status: 'void' as const, total: usd(0), amountDue: usd(0) };
    const pm = buildPostMortem({
      invoice: voided,
      previous: OPEN,
      trigger: 'voided',
      today: '2026-03-01',
      recordedAt: new Date('2026-03-01T00:00:00Z'),
      companyId: 'co1',
      sale: null,
      history: [],
    });
    expect(pm).toMatchObject({
      trigger: 'voided',
      total: usd(100_000),
      amountDue: usd(100_000),
      daysPastDue: 29,
      dealId: null,
      credit: { shownAtSale: [], level: null, reasons: [] },
      poRule: { status: 'unknown' },
      exceptions: [],
      warnings: [],
    });
    expect(pm.paymentHistory).toBe('No sale of this customer went through Revenue Handoff before this invoice.');
  });

  it('reads the history as it stood on the sale day: an invoice paid later was overdue then', () => {
    const [earlier] = parseInvoices([
      {
        ...OPEN,
        id: 'i0',
        number: 'INV-0',
        issueDate: '2025-10-01',
        dueDate: '2025-10-31',
        amountDue: usd(0),
        status: 'paid',
        paidOn: '2026-01-20',
      },
    ]) as [InvoiceSnapshot];
    const pm = buildPostMortem({
      invoice: { ...OPEN, dueDate: '2026-01-31' },
      trigger: 'over_90_days',
      today: '2026-05-02',
      recordedAt: new Date('2026-05-02T00:00:00Z'),
      companyId: 'co1',
      sale: {
        dealId: 'd1',
        at: new Date('2026-01-02T00:00:00Z'),
        day: '2026-01-02',
        handoffs: [
          {
            handoffId: 'h1',
            toTeam: 'finance',
            state: 'draft',
            data: { poRequired: false },
            evaluation: null,
            exceptions: [],
          },
        ],
      },
      history: [earlier, OPEN],
    });
    // On 2 Jan the $1,000 of INV-0 was 63 days past due: unpaid and seriously late → high risk.
    expect(pm.paymentHistory).toBe(
      '1 invoice before the sale; on the sale day $1,000.00 was overdue, the oldest 63 days past due.',
    );
    expect(pm.credit.level).toBe('high_risk');
    expect(pm.poRule).toEqual({ required: false, poNumber: null, status: 'not_required' });
    expect(pm.saleAt).toBe('2026-01-02T00:00:00.000Z');
  });
});
