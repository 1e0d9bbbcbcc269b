import { describe, expect, it } from '@jest/globals';
import { lateInvoices } from '../../src/metrics/index.js';
import { thrown } from '../receivables/fixtures.js';

const now = new Date('2026-03-10T12:00:00Z');
const timings = [
  { invoiceId: 'i1', triggerAt: '2026-03-01T00:00:00Z', createdAt: '2026-03-03T00:00:00Z' }, // exactly 48 h: on time
  {
    invoiceId: 'i2',
    dealId: 'd2',
    trigger: 'deal_closed',
    triggerAt: '2026-03-01T00:00:00Z',
    createdAt: '2026-03-03T06:00:00Z',
  }, // 54 h
  { invoiceId: 'i3', triggerAt: '2026-03-05T00:00:00Z', createdAt: '2026-03-05T01:00:00Z', manuallyCorrected: true }, // 1 h
  { invoiceId: 'i4', triggerAt: '2026-03-09T12:00:00Z' }, // missing, 24 h so far: pending
  { invoiceId: 'i5', triggerAt: '2026-03-07T12:00:00Z' }, // missing, 72 h so far: late
];

describe('lateInvoices', () => {
  it('counts invoices created more than 48 h after their trigger, and missing ones past 48 h (hand-computed)', () => {
    expect(lateInvoices(timings, { now })).toEqual({
      lateAfterHours: 48,
      consideredCount: 4, // i1, i2, i3, i5
      lateCount: 2,
      lateShare: 0.5,
      pendingCount: 1,
      invoices: [
        {
          invoiceId: 'i5',
          dealId: null,
          trigger: null,
          triggerAt: '2026-03-07T12:00:00.000Z',
          createdAt: null,
          delayHours: 72,
        },
        {
          invoiceId: 'i2',
          dealId: 'd2',
          trigger: 'deal_closed',
          triggerAt: '2026-03-01T00:00:00.000Z',
          createdAt: '2026-03-03T06:00:00.000Z',
          delayHours: 54,
        },
      ],
      manualCorrections: { count: 1, share: 0.3333 }, // 1 of 3 created
    });
  });

  it('follows a custom limit', () => {
    const result = lateInvoices(timings, { now, lateAfterHours: 24 });
    expect(result.invoices.map((i) => i.invoiceId)).toEqual(['i5', 'i2', 'i1']);
    expect(result.pendingCount).toBe(1); // i4 is exactly 24 h old: not late yet
  });

  it('reports a null share when nothing can be judged yet', () => {
    expect(lateInvoices([], { now })).toMatchObject({
      consideredCount: 0,
      lateShare: null,
      manualCorrections: { share: null },
    });
  });

  it('names a bad fact and a bad option by path', () => {
    const e = thrown(() => lateInvoices([timings[0] as never, { invoiceId: 'i9', triggerAt: 'soon' }], { now }));
    expect(e.path).toBe('timings[1].triggerAt');
    const o = thrown(() => lateInvoices([], { now, lateAfterHours: 0 }));
    expect(o.path).toBe('lateAfterHours');
    expect(o.issues[0]?.message).toBe('must be a number of hours above 0 and at most 8760 (a year)');
  });
});
