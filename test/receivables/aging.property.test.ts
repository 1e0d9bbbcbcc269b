import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { daysBetween, plusDays } from '../../src/core/dates.js';
import { dayCount } from '../../src/receivables/day-count.js';
import { AGING_BUCKETS, ageReceivables, type InvoiceSnapshotInput } from '../../src/receivables/index.js';

const numRuns = Number(process.env.FAST_CHECK_RUNS ?? 200);

// Consecutive calendar days, so that day differences are index differences — an oracle independent of the
// date library the code under test uses. Built once, so arbitraries stay cheap.
const DAYS = Array.from({ length: 400 }, (_, i) => plusDays('2025-11-15', i));
const CURRENCIES = ['JPY', 'USD', 'KWD'] as const; // 0, 2 and 3 minor-unit digits
const STATUSES = ['scheduled', 'draft', 'open', 'open', 'open', 'paid', 'void', 'written_off'] as const;

const invoiceArb = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  status: fc.constantFrom(...STATUSES),
  issue: fc.integer({ min: 0, max: 299 }),
  term: fc.integer({ min: 0, max: 99 }),
  a: fc.integer({ min: 0, max: 1_000_000_000_000 }),
  b: fc.integer({ min: 0, max: 1_000_000_000_000 }),
});

const caseArb = fc.record({
  today: fc.integer({ min: 0, max: 399 }),
  invoices: fc.array(invoiceArb, { maxLength: 8 }),
});

type Case = {
  today: number;
  invoices: Array<{ currency: string; status: string; issue: number; term: number; a: number; b: number }>;
};

function toSnapshots(c: Case): InvoiceSnapshotInput[] {
  return c.invoices.map((g, i) => {
    const total = Math.max(g.a, g.b);
    const due = g.status === 'paid' ? 0 : Math.min(g.a, g.b);
    return {
      id: `inv_${i}`,
      number: `${i}`,
      customerId: 'c',
      issueDate: DAYS[g.issue] as string,
      dueDate: DAYS[g.issue + g.term] as string,
      currency: g.currency,
      total: { amount: total, currency: g.currency },
      amountDue: { amount: due, currency: g.currency },
      status: g.status as InvoiceSnapshotInput['status'],
      source: 'stripe',
    };
  });
}

/** The oracle: outstanding, overdue and oldest days past due per currency, with plain integers. */
function expected(c: Case) {
  const out = new Map<string, { outstanding: number; overdue: number; days: number; count: number }>();
  for (const g of c.invoices) {
    const due = g.status === 'paid' ? 0 : Math.min(g.a, g.b);
    if (g.status !== 'open' || due === 0 || g.issue > c.today) continue;
    const row = out.get(g.currency) ?? { outstanding: 0, overdue: 0, days: 0, count: 0 };
    const late = c.today - (g.issue + g.term);
    row.outstanding += due;
    row.count += 1;
    if (late > 0) {
      row.overdue += due;
      row.days = Math.max(row.days, late);
    }
    out.set(g.currency, row);
  }
  return out;
}

describe('aging properties', () => {
  it('partitions the outstanding total exactly into buckets, per currency, with overdue ≤ outstanding', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const today = DAYS[c.today] as string;
        const report = ageReceivables(toSnapshots(c), { today });
        const oracle = expected(c);
        expect(report.currencies.map((r) => r.currency)).toEqual([...oracle.keys()].sort());
        for (const r of report.currencies) {
          const o = oracle.get(r.currency);
          const moneys = [r.outstanding, r.overdue, ...AGING_BUCKETS.map((b) => r.buckets[b])];
          expect(moneys.every((m) => m.currency === r.currency)).toBe(true);
          const bucketSum = AGING_BUCKETS.reduce((s, b) => s + r.buckets[b].amount, 0);
          expect(bucketSum).toBe(r.outstanding.amount);
          expect(r.outstanding.amount).toBe(o?.outstanding);
          expect(r.overdue.amount).toBe(o?.overdue);
          expect(r.overdue.amount).toBeLessThanOrEqual(r.outstanding.amount);
          expect(r.overdue.amount).toBe(r.outstanding.amount - r.buckets.current.amount);
          expect(r.daysPastDue).toBe(o?.days);
          expect(r.openInvoiceCount).toBe(o?.count);
        }
      }),
      { numRuns },
    );
  });

  it('does not depend on the order of the invoices', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const today = DAYS[c.today] as string;
        const snapshots = toSnapshots(c);
        expect(ageReceivables([...snapshots].reverse(), { today })).toEqual(ageReceivables(snapshots, { today }));
      }),
      { numRuns },
    );
  });

  it('counts days between calendar days exactly as the core date library does', () => {
    const anyDay = fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(anyDay, anyDay, (a, b) => {
        expect(dayCount(a, b)).toBe(daysBetween(a, b));
      }),
      { numRuns },
    );
  });
});
