import { z } from 'zod';
import { parseInput } from '../core/validate.js';
import { type InvoiceTimingFact, type InvoiceTimingFactInput, InvoiceTimingFactListSchema } from './facts.js';
import { compareText, HOUR_MS, roundTo, share } from './stats.js';

/** An invoice created (or still not created) more than the allowed time after its trigger. */
export interface LateInvoice {
  invoiceId: string;
  dealId: string | null;
  trigger: string | null;
  triggerAt: string;
  /** null: not created yet, and already late. */
  createdAt: string | null;
  /** Hours from trigger to creation (or to now, while missing), two decimals. */
  delayHours: number;
}

/** How promptly invoices follow their triggers. Shares are fractions 0–1 (four decimals), null over nothing. */
export interface LateInvoiceMetrics {
  lateAfterHours: number;
  /** Invoices created, plus missing ones already past the limit; missing ones still within it are not judged yet. */
  consideredCount: number;
  lateCount: number;
  lateShare: number | null;
  /** Not created yet and still within the limit. */
  pendingCount: number;
  /** Late invoices, longest delay first (then by invoice id). */
  invoices: LateInvoice[];
  /** Created invoices that had to be corrected by hand after sending, over all created invoices. */
  manualCorrections: { count: number; share: number | null };
}

const OptionsSchema = z.strictObject({
  now: z.date(),
  lateAfterHours: z
    .number()
    .refine((h) => h > 0 && h <= 24 * 365, 'must be a number of hours above 0 and at most 8760 (a year)')
    .default(48),
});

export type LateInvoiceOptions = { now: Date; lateAfterHours?: number };

/**
 * Invoices created more than `lateAfterHours` (default 48) after their trigger — strictly more: exactly 48 h is on
 * time. An invoice not created yet counts as late once its trigger is more than 48 h before `now`.
 * @example lateInvoices(timings, { now: new Date() }).lateShare // 0.25
 */
export function lateInvoices(
  timings: ReadonlyArray<InvoiceTimingFactInput>,
  options: LateInvoiceOptions,
): LateInvoiceMetrics {
  const v = parseInput(OptionsSchema.extend({ timings: InvoiceTimingFactListSchema }), { ...options, timings });
  return lateInvoicesOf(v.timings, v.now, v.lateAfterHours);
}

/**
 * Late invoices of facts already validated.
 * @example lateInvoicesOf(RevenueFactsSchema.parse(raw).invoiceTimings, now, 48)
 */
export function lateInvoicesOf(
  timings: ReadonlyArray<InvoiceTimingFact>,
  now: Date,
  lateAfterHours: number,
): LateInvoiceMetrics {
  const limitMs = lateAfterHours * HOUR_MS;
  const late: LateInvoice[] = [];
  let considered = 0;
  let pending = 0;
  let created = 0;
  let corrected = 0;
  for (const t of timings) {
    const end = t.createdAt ?? now;
    const delay = end.getTime() - t.triggerAt.getTime();
    if (t.createdAt) {
      created += 1;
      if (t.manuallyCorrected) corrected += 1;
    } else if (delay <= limitMs) {
      pending += 1;
      continue;
    }
    considered += 1;
    if (delay > limitMs) {
      late.push({
        invoiceId: t.invoiceId,
        dealId: t.dealId ?? null,
        trigger: t.trigger ?? null,
        triggerAt: t.triggerAt.toISOString(),
        createdAt: t.createdAt ? t.createdAt.toISOString() : null,
        delayHours: roundTo(delay / HOUR_MS, 2),
      });
    }
  }
  late.sort((a, b) => b.delayHours - a.delayHours || compareText(a.invoiceId, b.invoiceId));
  return {
    lateAfterHours,
    consideredCount: considered,
    lateCount: late.length,
    lateShare: share(late.length, considered),
    pendingCount: pending,
    invoices: late,
    manualCorrections: { count: corrected, share: share(corrected, created) },
  };
}
