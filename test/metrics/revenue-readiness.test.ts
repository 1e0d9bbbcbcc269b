import { describe, expect, it } from '@jest/globals';
import { type RevenueFactsInput, revenueReadiness } from '../../src/metrics/index.js';
import { invoice, thrown } from '../receivables/fixtures.js';

const now = new Date('2026-03-31T23:30:00Z'); // already 2026-04-01 in Auckland
const usd = (amount: number) => ({ amount, currency: 'USD' });

const facts: RevenueFactsInput = {
  deals: [
    {
      dealId: 'd1',
      closedAt: '2026-03-01T00:00:00Z',
      billingLiveAt: '2026-03-02T00:00:00Z',
      firstInvoiceAt: '2026-03-03T00:00:00Z',
    },
  ],
  invoiceTimings: [
    { invoiceId: 'i1', triggerAt: '2026-03-01T00:00:00Z', createdAt: '2026-03-04T00:00:00Z' },
    { invoiceId: 'i2', triggerAt: '2026-03-01T00:00:00Z', createdAt: '2026-03-01T01:00:00Z' },
  ],
  handoffEvents: [
    { handoffId: 'h1', kind: 'submitted', at: '2026-03-01T00:00:00Z', slaDueAt: '2026-03-02T00:00:00Z' },
    { handoffId: 'h1', kind: 'accepted', at: '2026-03-01T05:00:00Z' },
  ],
  customers: [{ customerId: 'c1', name: 'Acme' }],
  invoices: [
    invoice({ id: 'a', customerId: 'c1', issueDate: '2026-01-30', dueDate: '2026-03-01', total: usd(120_000) }),
    invoice({ id: 'b', customerId: 'c2', issueDate: '2026-03-11', dueDate: '2026-04-10', total: usd(80_000) }),
  ],
};

describe('revenueReadiness', () => {
  it('returns every home-page figure, computed for today in the portal zone (hand-computed)', () => {
    const report = revenueReadiness(facts, { now, timeZone: 'Pacific/Auckland' });
    expect(report.generatedAt).toBe('2026-03-31T23:30:00.000Z');
    expect(report.today).toBe('2026-04-01');
    expect(report.timeZone).toBe('Pacific/Auckland');
    expect(report.readiness.closeToBillingLive).toMatchObject({ count: 1, medianHours: 24, p90Days: 1 });
    expect(report.readiness.closeToFirstInvoice.medianHours).toBe(48);
    expect(report.lateInvoices).toMatchObject({ consideredCount: 2, lateCount: 1, lateShare: 0.5 });
    expect(report.lateInvoices.invoices.map((i) => [i.invoiceId, i.delayHours])).toEqual([['i1', 72]]);
    expect(report.handoffs).toMatchObject({ acceptanceRate: 1, slaBreaches: { count: 0 } });
    // $1,200 of $2,000 overdue → 0.6; DSO over 2026-01-02…2026-04-01: 2,000 ÷ 2,000 × 90 = 90
    expect(report.receivables.currencies).toHaveLength(1);
    expect(report.receivables.currencies[0]).toMatchObject({
      currency: 'USD',
      outstanding: usd(200_000),
      overdue: usd(120_000),
      overdueShare: 0.6,
      dso: { periodStart: '2026-01-02', days: 90 },
    });
    // Due 2026-03-01, 31 days before 2026-04-01: danger.
    expect(report.atRisk).toEqual([
      {
        currency: 'USD',
        accounts: [
          {
            customerId: 'c1',
            name: 'Acme',
            severity: 'danger',
            risk: 'high',
            creditHold: false,
            daysPastDue: 31,
            overdue: usd(120_000),
            outstanding: usd(120_000),
            overdueInvoiceCount: 1,
            oldestDueDate: '2026-03-01',
          },
        ],
      },
    ]);
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    const report = revenueReadiness(facts, { now, timeZone: 'Pacific/Auckland' });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('passes its options on: banner thresholds, late limit, DSO period and list size', () => {
    const report = revenueReadiness(facts, {
      now,
      timeZone: 'UTC',
      lateAfterHours: 80,
      dsoPeriodDays: 30,
      bannerThresholds: { dangerFromDaysPastDue: 45 },
      atRiskLimit: 1,
    });
    expect(report.today).toBe('2026-03-31');
    expect(report.lateInvoices.lateCount).toBe(0);
    expect(report.receivables.currencies[0]?.dso?.periodDays).toBe(30);
    expect(report.atRisk[0]?.accounts[0]).toMatchObject({ severity: 'warning', daysPastDue: 30 });
  });

  it('treats every fact list as optional', () => {
    const report = revenueReadiness({}, { now, timeZone: 'UTC' });
    expect(report.readiness.dealCount).toBe(0);
    expect(report.atRisk).toEqual([]);
  });

  it('names the fact at fault, e.g. invoices[3].amountDue', () => {
    const invoices = [invoice(), invoice(), invoice(), invoice({ amountDue: usd(10_001) })];
    const e = thrown(() => revenueReadiness({ invoices }, { now, timeZone: 'UTC' }));
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('invoices[3].amountDue');
    expect(e.issues[0]?.message).toBe('cannot be more than the invoice total ($100.01 due on a total of $100.00)');
    const unknown = thrown(() => revenueReadiness({ deal: [] } as never, { now, timeZone: 'UTC' }));
    expect(unknown.issues[0]?.message).toBe('has unknown field deal');
    const zone = thrown(() => revenueReadiness({}, { now } as never));
    expect(zone.path).toBe('timeZone');
  });
});
