import { z } from 'zod';
import { parseInput } from '../core/validate.js';
import { type HandoffEventFact, type HandoffEventFactInput, HandoffEventFactListSchema } from './facts.js';
import { compareText, HOUR_MS, roundTo, share } from './stats.js';

/** A submission the receiving team did not decide on before its SLA deadline. */
export interface SlaBreach {
  handoffId: string;
  dealId: string | null;
  toTeam: string | null;
  submittedAt: string;
  slaDueAt: string;
  /** null: still undecided. */
  decidedAt: string | null;
  /** Hours past the deadline at the decision (or at `now`, while undecided), two decimals. */
  hoursOver: number;
}

/** Acceptance and SLA figures of handoffs. Rates are fractions 0–1 (four decimals), null over nothing. */
export interface HandoffMetrics {
  handoffCount: number;
  submissionCount: number;
  acceptedCount: number;
  rejectedCount: number;
  /** accepted ÷ (accepted + rejected), over every decision. */
  acceptanceRate: number | null;
  /** Handoffs whose first decision was an acceptance ÷ handoffs with any decision. */
  firstPassAcceptanceRate: number | null;
  /** Submissions still waiting for a decision. */
  pendingCount: number;
  slaBreaches: {
    count: number;
    /** Decided, but after the deadline. */
    decidedLate: number;
    /** Undecided and already past the deadline. */
    stillOpen: number;
    /** Longest overrun first (then by handoff id). */
    breaches: SlaBreach[];
  };
  /** Rejection reasons, most frequent first; a rejection without a reason counts as "no reason given". */
  rejectionReasons: Array<{ reason: string; count: number }>;
}

const OptionsSchema = z.strictObject({ now: z.date() });

/**
 * Handoff acceptance rate and SLA breaches from handoff events.
 * A submission opens a review round that the next decision closes; the round breaches its SLA when decided after
 * `slaDueAt`, or when still undecided at `now` past it. A re-submission while a round is open replaces that round
 * (the earlier one is not counted). Decisions with no open round still count towards the acceptance rate.
 * @example handoffMetrics(events, { now: new Date() }).acceptanceRate // 0.75
 */
export function handoffMetrics(events: ReadonlyArray<HandoffEventFactInput>, options: { now: Date }): HandoffMetrics {
  const v = parseInput(OptionsSchema.extend({ events: HandoffEventFactListSchema }), { ...options, events });
  return handoffMetricsOf(v.events, v.now);
}

/**
 * Handoff metrics of facts already validated.
 * @example handoffMetricsOf(RevenueFactsSchema.parse(raw).handoffEvents, now)
 */
export function handoffMetricsOf(events: ReadonlyArray<HandoffEventFact>, now: Date): HandoffMetrics {
  const byHandoff = new Map<string, HandoffEventFact[]>();
  for (const e of events) {
    const list = byHandoff.get(e.handoffId);
    if (list) list.push(e);
    else byHandoff.set(e.handoffId, [e]);
  }
  let submissions = 0;
  let accepted = 0;
  let rejected = 0;
  let decidedHandoffs = 0;
  let firstPass = 0;
  let pending = 0;
  let decidedLate = 0;
  let stillOpen = 0;
  const breaches: SlaBreach[] = [];
  const reasons = new Map<string, number>();

  const breach = (open: HandoffEventFact, decidedAt: Date | null) => {
    if (!open.slaDueAt) return false;
    const end = decidedAt ?? now;
    if (end.getTime() <= open.slaDueAt.getTime()) return false;
    breaches.push({
      handoffId: open.handoffId,
      dealId: open.dealId ?? null,
      toTeam: open.toTeam ?? null,
      submittedAt: open.at.toISOString(),
      slaDueAt: open.slaDueAt.toISOString(),
      decidedAt: decidedAt ? decidedAt.toISOString() : null,
      hoursOver: roundTo((end.getTime() - open.slaDueAt.getTime()) / HOUR_MS, 2),
    });
    return true;
  };

  for (const list of byHandoff.values()) {
    // Stable sort: events at the same instant keep the order they were recorded in.
    const ordered = [...list].sort((a, b) => a.at.getTime() - b.at.getTime());
    let open: HandoffEventFact | null = null;
    let firstDecision: HandoffEventFact['kind'] | null = null;
    for (const e of ordered) {
      if (e.kind === 'submitted') {
        submissions += 1;
        open = e;
        continue;
      }
      if (e.kind === 'accepted') accepted += 1;
      else {
        rejected += 1;
        const reason = e.reason ?? 'no reason given';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      firstDecision ??= e.kind;
      if (open && breach(open, e.at)) decidedLate += 1;
      open = null;
    }
    if (firstDecision !== null) {
      decidedHandoffs += 1;
      if (firstDecision === 'accepted') firstPass += 1;
    }
    if (open) {
      pending += 1;
      if (breach(open, null)) stillOpen += 1;
    }
  }
  breaches.sort(
    (a, b) =>
      b.hoursOver - a.hoursOver || compareText(a.handoffId, b.handoffId) || compareText(a.submittedAt, b.submittedAt),
  );
  return {
    handoffCount: byHandoff.size,
    submissionCount: submissions,
    acceptedCount: accepted,
    rejectedCount: rejected,
    acceptanceRate: share(accepted, accepted + rejected),
    firstPassAcceptanceRate: share(firstPass, decidedHandoffs),
    pendingCount: pending,
    slaBreaches: { count: breaches.length, decidedLate, stillOpen, breaches },
    rejectionReasons: [...reasons.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || compareText(a.reason, b.reason)),
  };
}
