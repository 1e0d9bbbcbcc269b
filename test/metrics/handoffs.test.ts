import { describe, expect, it } from '@jest/globals';
import { handoffMetrics } from '../../src/metrics/index.js';
import { thrown } from '../receivables/fixtures.js';

const now = new Date('2026-03-03T12:00:00Z');
const events = [
  // h1: accepted within SLA
  { handoffId: 'h1', kind: 'submitted', at: '2026-03-02T09:00:00Z', slaDueAt: '2026-03-02T17:00:00Z' },
  { handoffId: 'h1', kind: 'accepted', at: '2026-03-02T10:00:00Z' },
  // h2: rejected 3 h after the deadline, resubmitted, accepted in time
  {
    handoffId: 'h2',
    dealId: 'd2',
    toTeam: 'finance',
    kind: 'submitted',
    at: '2026-03-01T09:00:00Z',
    slaDueAt: '2026-03-01T17:00:00Z',
  },
  { handoffId: 'h2', kind: 'rejected', at: '2026-03-01T20:00:00Z', reason: 'missing_po' },
  { handoffId: 'h2', kind: 'submitted', at: '2026-03-02T08:00:00Z', slaDueAt: '2026-03-02T16:00:00Z' },
  { handoffId: 'h2', kind: 'accepted', at: '2026-03-02T09:00:00Z' },
  // h3: undecided, 19 h past its deadline at `now`
  { handoffId: 'h3', kind: 'submitted', at: '2026-03-02T09:00:00Z', slaDueAt: '2026-03-02T17:00:00Z' },
  // h4: undecided, no SLA recorded
  { handoffId: 'h4', kind: 'submitted', at: '2026-03-03T09:00:00Z' },
  // h5: a decision whose submission is outside the facts given
  { handoffId: 'h5', kind: 'accepted', at: '2026-03-01T09:00:00Z' },
] as const;

describe('handoffMetrics', () => {
  it('computes acceptance rates and SLA breaches (hand-computed)', () => {
    expect(handoffMetrics([...events], { now })).toEqual({
      handoffCount: 5,
      submissionCount: 5,
      acceptedCount: 3,
      rejectedCount: 1,
      acceptanceRate: 0.75, // 3 ÷ 4
      firstPassAcceptanceRate: 0.6667, // h1, h5 of h1, h2, h5
      pendingCount: 2,
      slaBreaches: {
        count: 2,
        decidedLate: 1,
        stillOpen: 1,
        breaches: [
          {
            handoffId: 'h3',
            dealId: null,
            toTeam: null,
            submittedAt: '2026-03-02T09:00:00.000Z',
            slaDueAt: '2026-03-02T17:00:00.000Z',
            decidedAt: null,
            hoursOver: 19,
          },
          {
            handoffId: 'h2',
            dealId: 'd2',
            toTeam: 'finance',
            submittedAt: '2026-03-01T09:00:00.000Z',
            slaDueAt: '2026-03-01T17:00:00.000Z',
            decidedAt: '2026-03-01T20:00:00.000Z',
            hoursOver: 3,
          },
        ],
      },
      rejectionReasons: [{ reason: 'missing_po', count: 1 }],
    });
  });

  it('does not count a decision exactly at the deadline as a breach', () => {
    const m = handoffMetrics(
      [
        { handoffId: 'h', kind: 'submitted', at: '2026-03-01T09:00:00Z', slaDueAt: '2026-03-01T17:00:00Z' },
        { handoffId: 'h', kind: 'rejected', at: '2026-03-01T17:00:00Z' },
      ],
      { now },
    );
    expect(m.slaBreaches.count).toBe(0);
    expect(m.rejectionReasons).toEqual([{ reason: 'no reason given', count: 1 }]);
  });

  it('orders events by time, whatever order they are given in', () => {
    const reversed = handoffMetrics([...events].reverse(), { now });
    expect(reversed.slaBreaches.count).toBe(2);
    expect(reversed.firstPassAcceptanceRate).toBe(0.6667);
  });

  it('reports null rates when nothing was decided', () => {
    expect(handoffMetrics([], { now })).toMatchObject({ acceptanceRate: null, firstPassAcceptanceRate: null });
  });

  it('names a bad event by path', () => {
    const e = thrown(() =>
      handoffMetrics([events[0], { handoffId: 'h', kind: 'approved', at: '2026-03-01T09:00:00Z' } as never], { now }),
    );
    expect(e.path).toBe('events[1].kind');
    expect(e.issues[0]?.message).toBe('must be submitted, accepted or rejected');
  });
});
