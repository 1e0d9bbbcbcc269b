import { describe, expect, it } from '@jest/globals';
import { type AuditFactsInput, auditRows, invoiceAsOf, monthlyAudit } from '../../src/metrics/audit.js';
import { type InvoiceSnapshotInput, parseInvoices } from '../../src/receivables/invoice.js';
import { thrown } from '../receivables/fixtures.js';

// March 2026 in Berlin: from 2026-02-28T23:00Z (CET) to 2026-03-31T22:00Z (CEST after the 29 March switch).
const TZ = 'Europe/Berlin';
const NOW = new Date('2026-04-10T12:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const inv = (over: Partial<InvoiceSnapshotInput> & { id: string }): InvoiceSnapshotInput =>
  ({ number: `INV-${over.id}`, customerId: 'c1', currency: 'USD', source: 'xero', ...over }) as InvoiceSnapshotInput;

const FACTS: AuditFactsInput = {
  handoffEvents: [
    // hA: submitted at 00:30 Berlin on 1 March (still 28 Feb in UTC), accepted in time.
    { handoffId: 'hA', kind: 'submitted', at: '2026-02-28T23:30:00Z', slaDueAt: '2026-03-02T12:00:00Z' },
    { handoffId: 'hA', kind: 'accepted', at: '2026-03-02T10:00:00Z' },
    // hB: submitted 23:30 Berlin on 28 Feb (February), rejected an hour after a deadline that fell in March.
    { handoffId: 'hB', kind: 'submitted', at: '2026-02-28T22:30:00Z', slaDueAt: '2026-03-01T08:00:00Z' },
    { handoffId: 'hB', kind: 'rejected', at: '2026-03-01T09:00:00Z', reason: 'missing_po' },
    { handoffId: 'hB', kind: 'submitted', at: '2026-03-05T09:00:00Z', slaDueAt: '2026-03-06T09:00:00Z' },
    { handoffId: 'hB', kind: 'rejected', at: '2026-03-06T08:00:00Z', reason: 'wrong_terms' },
    // … resubmitted at 23:30 Berlin on 31 March; its deadline is in April, so its breach is April's.
    { handoffId: 'hB', kind: 'submitted', at: '2026-03-31T21:30:00Z', slaDueAt: '2026-04-01T09:00:00Z' },
    // hC: never decided, deadline 11 March.
    { handoffId: 'hC', kind: 'submitted', at: '2026-03-10T09:00:00Z', slaDueAt: '2026-03-11T09:00:00Z' },
    { handoffId: 'hD', kind: 'submitted', at: '2026-03-20T09:00:00Z', slaDueAt: '2026-03-21T09:00:00Z' },
    { handoffId: 'hD', kind: 'rejected', at: '2026-03-20T10:00:00Z', reason: 'missing_po' },
    // hE: submitted 23:00 Berlin on 31 March, accepted 00:30 Berlin on 1 April.
    { handoffId: 'hE', kind: 'submitted', at: '2026-03-31T21:00:00Z', slaDueAt: '2026-04-01T12:00:00Z' },
    { handoffId: 'hE', kind: 'accepted', at: '2026-03-31T22:30:00Z' },
  ],
  invoiceTimings: [
    { invoiceId: 'i1', triggerAt: '2026-03-01T00:00:00Z', createdAt: '2026-03-02T00:00:00Z' },
    { invoiceId: 'i2', dealId: 'd2', triggerAt: '2026-03-01T00:00:00Z', createdAt: '2026-03-03T06:00:00Z' },
    { invoiceId: 'i3', triggerAt: '2026-03-10T00:00:00Z', createdAt: '2026-03-12T00:00:00Z' },
    {
      invoiceId: 'i4',
      trigger: 'milestone_accepted',
      triggerAt: '2026-02-20T00:00:00Z',
      createdAt: '2026-03-05T00:00:00Z',
    },
    { invoiceId: 'i5', triggerAt: '2026-03-30T00:00:00Z', createdAt: '2026-04-02T00:00:00Z' },
    { invoiceId: 'i6', triggerAt: '2026-03-25T00:00:00Z' },
    { invoiceId: 'i7', triggerAt: '2026-02-27T00:00:00Z', createdAt: '2026-02-28T00:00:00Z' },
  ],
  manualCorrections: [
    { system: 'xero', field: 'paymentTerms', at: '2026-03-03T10:00:00Z' },
    { system: 'xero', field: 'paymentTerms', at: '2026-03-15T10:00:00Z' },
    { system: 'quickbooks', field: 'billingEmail', at: '2026-03-20T10:00:00Z' },
    { system: 'xero', field: 'poNumber', at: '2026-02-28T23:10:00Z' },
    { system: 'stripe', field: 'paymentTerms', at: '2026-03-31T22:10:00Z' },
  ],
  postMortems: [
    { invoiceId: 'inv-9', trigger: 'over_90_days', at: '2026-03-12T03:00:00Z' },
    { invoiceId: 'inv-8', trigger: 'voided', at: '2026-03-20T03:00:00Z' },
    { invoiceId: 'inv-7', trigger: 'written_off', at: '2026-02-10T03:00:00Z' },
  ],
  invoices: [
    inv({
      id: 'A',
      issueDate: '2026-01-05',
      dueDate: '2026-02-04',
      total: usd(100_000),
      amountDue: usd(0),
      status: 'paid',
      paidOn: '2026-03-10',
      payments: [{ on: '2026-03-10', amount: usd(100_000) }],
    }),
    inv({
      id: 'B',
      issueDate: '2026-02-10',
      dueDate: '2026-02-20',
      total: usd(200_000),
      amountDue: usd(150_000),
      status: 'open',
      payments: [{ on: '2026-03-15', amount: usd(50_000) }],
    }),
    inv({
      id: 'C',
      issueDate: '2026-03-02',
      dueDate: '2026-03-31',
      total: usd(300_000),
      amountDue: usd(300_000),
      status: 'open',
    }),
    inv({ id: 'D', issueDate: '2026-01-20', dueDate: '2026-01-25', total: usd(0), amountDue: usd(0), status: 'void' }),
    inv({
      id: 'E',
      currency: 'EUR',
      issueDate: '2026-03-05',
      dueDate: '2026-03-20',
      total: eur(80_000),
      amountDue: eur(0),
      status: 'written_off',
    }),
  ],
};

describe('monthlyAudit', () => {
  it('on a seeded month the figures equal the table worked out by hand', () => {
    const audit = monthlyAudit(FACTS, { month: '2026-03', now: NOW, timeZone: TZ, trendMonths: 3, dsoPeriodDays: 30 });

    expect(audit.from).toBe('2026-02-28T23:00:00.000Z');
    expect(audit.to).toBe('2026-03-31T22:00:00.000Z');
    expect(audit.complete).toBe(true);
    // Submissions in March (Berlin): hA, hB twice (5th, 31st), hC, hD, hE = 6; hB's 28 Feb one is February's.
    expect(audit.handoffs).toMatchObject({ submitted: 6, accepted: 1, rejected: 3, slaBreaches: 2 });
    expect(audit.handoffs.rejectionsByReason).toEqual([
      { key: 'missing_po', count: 2 },
      { key: 'wrong_terms', count: 1 },
    ]);
    expect(audit.handoffs.breaches.map((b) => [b.handoffId, b.decidedAt])).toEqual([
      ['hB', '2026-03-01T09:00:00.000Z'],
      ['hC', null],
    ]);

    // Created in March: i1 (24 h), i2 (54 h, late), i3 (exactly 48 h, on time), i4 (13 days, late).
    expect(audit.invoices).toMatchObject({ lateAfterHours: 48, created: 4, late: 2, missingPastLimit: 1 });
    expect(audit.invoices.lateInvoices.map((l) => [l.invoiceId, l.delayHours])).toEqual([
      ['i4', 312],
      ['i2', 54],
    ]);

    expect(audit.manualCorrections).toEqual({
      total: 4,
      byField: [
        { key: 'paymentTerms', count: 2 },
        { key: 'billingEmail', count: 1 },
        { key: 'poNumber', count: 1 },
      ],
      bySystem: [
        { key: 'xero', count: 3 },
        { key: 'quickbooks', count: 1 },
      ],
    });
    expect(audit.postMortems).toEqual({
      total: 2,
      byTrigger: [
        { key: 'over_90_days', count: 1 },
        { key: 'voided', count: 1 },
      ],
    });

    // 31 Jan: A owed in full (paid only on 10 Mar), not yet due; DSO = 1,000 ÷ 1,000 sales × 30.
    // 28 Feb: A and B (2,000 then, 500 paid on 15 Mar) overdue; DSO = 3,000 ÷ 2,000 (B) × 30 = 45.
    // 31 Mar: B 1,500 overdue, C 3,000 due today; DSO = 4,500 ÷ 3,000 (C) × 30 = 45. EUR: only a write-off.
    expect(audit.receivablesTrend).toEqual([
      {
        month: '2026-01',
        asOf: '2026-01-31',
        currencies: [{ currency: 'USD', outstanding: usd(100_000), overdue: usd(0), overdueShare: 0, dsoDays: 30 }],
      },
      {
        month: '2026-02',
        asOf: '2026-02-28',
        currencies: [
          { currency: 'USD', outstanding: usd(300_000), overdue: usd(300_000), overdueShare: 1, dsoDays: 45 },
        ],
      },
      {
        month: '2026-03',
        asOf: '2026-03-31',
        currencies: [
          { currency: 'EUR', outstanding: eur(0), overdue: eur(0), overdueShare: null, dsoDays: 0 },
          { currency: 'USD', outstanding: usd(450_000), overdue: usd(150_000), overdueShare: 0.3333, dsoDays: 45 },
        ],
      },
    ]);
  });

  it('a month under way is marked incomplete and its trend point is taken today', () => {
    const audit = monthlyAudit(FACTS, {
      month: '2026-04',
      now: new Date('2026-04-10T12:00:00Z'),
      timeZone: TZ,
      trendMonths: 1,
    });
    expect(audit.complete).toBe(false);
    expect(audit.receivablesTrend.map((p) => p.asOf)).toEqual(['2026-04-10']);
    expect(audit.handoffs.accepted).toBe(1);
  });

  it('refuses a month that is not one, naming the field, the value and what is accepted', () => {
    const e = thrown(() => monthlyAudit({}, { month: '2026-13', now: NOW, timeZone: TZ }));
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('month');
    expect(e.message).toContain('"2026-13"');
    expect(e.message).toContain('01 to 12');
    const future = thrown(() => monthlyAudit({}, { month: '2026-05', now: NOW, timeZone: TZ }));
    expect(future.path).toBe('month');
    expect(future.message).toContain('2026-04 or an earlier month');
  });

  it('rows for the table and CSV carry every figure', () => {
    const audit = monthlyAudit(FACTS, { month: '2026-03', now: NOW, timeZone: TZ, trendMonths: 1, dsoPeriodDays: 30 });
    const rows = new Map(auditRows(audit));
    expect(rows.get('Handoffs rejected')).toBe('3');
    expect(rows.get('Rejected: missing_po')).toBe('2');
    expect(rows.get('Corrected in: Xero')).toBe('3');
    expect(rows.get('Corrected field: Payment terms')).toBeDefined();
    expect(rows.get('Corrected field: Billing email')).toBe('1');
    expect(rows.get('Invoices created > 48 h after trigger')).toBe('2');
    expect(rows.get('2026-03 USD overdue (as of 2026-03-31)')).toBe('33.3%');
    expect(rows.get('Bad-debt post-mortems')).toBe('2');
  });
});

describe('invoiceAsOf', () => {
  const [paid] = parseInvoices([
    inv({
      id: 'P',
      issueDate: '2026-01-05',
      dueDate: '2026-02-04',
      total: usd(100_000),
      amountDue: usd(0),
      status: 'paid',
      paidOn: '2026-03-10',
      payments: [
        { on: '2026-02-01', amount: usd(40_000) },
        { on: '2026-03-10', amount: usd(60_000) },
      ],
    }),
  ]);
  it('an invoice paid later was open then, for what was still unpaid', () => {
    const then = paid ? invoiceAsOf(paid, '2026-02-15') : null;
    expect(then).toMatchObject({ status: 'open', amountDue: usd(60_000) });
    expect(then?.paidOn).toBeUndefined();
    expect(paid ? invoiceAsOf(paid, '2026-03-10')?.status : null).toBe('paid');
    expect(paid ? invoiceAsOf(paid, '2026-01-04') : 'x').toBeNull();
  });
});
