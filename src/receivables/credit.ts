/**
 * Credit pre-qualification: from a customer's payment history, what the app suggests before terms are agreed.
 * The handoff engine imports these types; their shape is a cross-module contract.
 */

import { z } from 'zod';
import { nominalDays, type PaymentTermsCode, PaymentTermsCodeSchema } from '../billing/payment-terms.js';
import type { CalendarDay } from '../core/dates.js';
import { formatMoney } from '../core/money.js';
import { parseInput } from '../core/validate.js';
import { type AsOf, asOfShape, refineAsOf, resolveToday } from './as-of.js';
import { dayCount } from './day-count.js';
import {
  InvoiceListSchema,
  type InvoiceSnapshot,
  type InvoiceSnapshotInput,
  isOutstanding,
  paidDate,
} from './invoice.js';
import { plural } from './text.js';
import { wholeNumber } from './whole-number.js';

export type CreditSuggestion =
  | { kind: 'none' }
  /** Offer no longer than these terms (a payment-terms code such as `net_15`). */
  | { kind: 'shorter_terms'; maxTerms: string }
  /** Ask for a deposit of this share of the contract value, in basis points (2500 = 25%). */
  | { kind: 'deposit'; basisPoints: number };

export interface CreditAssessment {
  level: 'ok' | 'watch' | 'high_risk';
  suggestion: CreditSuggestion;
  /** Plain-language reasons, e.g. "3 of the last 6 invoices were paid more than 30 days late". */
  reasons: string[];
}

/**
 * The credit policy finance gives sales, as data. Lateness is measured in days after the due date; an invoice is
 * "late" beyond `graceDays` and "seriously late" beyond `seriouslyLateDays`; a write-off counts as seriously late.
 * - high_risk (ask for a deposit): any write-off, an unpaid invoice seriously late today, or at least
 *   `highRiskFromSeriouslyLate` seriously late invoices among the recent ones.
 * - watch (offer shorter terms): at least `watchFromLate` late invoices among the recent ones, any seriously late
 *   one, or an unpaid invoice late today.
 */
export const CreditThresholdsSchema = z
  .strictObject({
    /** How many of the most recently issued invoices that have come due are judged. */
    recentInvoices: wholeNumber(1, 100, 'invoices').default(6),
    graceDays: wholeNumber(0, 365, 'days').default(5),
    seriouslyLateDays: wholeNumber(1, 3650, 'days').default(30),
    watchFromLate: wholeNumber(1, 100, 'invoices').default(2),
    highRiskFromSeriouslyLate: wholeNumber(1, 100, 'invoices').default(2),
    /** Longest terms to offer a customer on watch (a payment-terms code). */
    shorterTerms: PaymentTermsCodeSchema.default('net_15'),
    /** Deposit to ask of a high-risk customer, in basis points of the contract value (2500 = 25%). */
    depositBasisPoints: wholeNumber(1, 10_000, 'basis points').default(2500),
  })
  .superRefine((t, ctx) => {
    if (t.seriouslyLateDays < t.graceDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['seriouslyLateDays'],
        message: `must be at least graceDays (${t.graceDays})`,
      });
    }
  });
export type CreditThresholds = z.output<typeof CreditThresholdsSchema>;
export type CreditThresholdsInput = z.input<typeof CreditThresholdsSchema>;

const CreditInputSchema = z
  .strictObject({ history: InvoiceListSchema, ...asOfShape, thresholds: CreditThresholdsSchema.prefault({}) })
  .superRefine(refineAsOf);

export type CreditOptions = AsOf & { thresholds?: CreditThresholdsInput };

interface Judged {
  inv: InvoiceSnapshot;
  daysLate: number;
  state: 'paid' | 'unpaid' | 'written_off';
}

/**
 * Credit pre-qualification from a customer's invoice history: a deposit or shorter terms for late payers, with
 * the reasons in plain language; a customer with no history is 'ok'.
 * @example prequalifyCredit(history, { today: '2026-03-01' }) // { level: 'watch', suggestion: { kind: 'shorter_terms', maxTerms: 'net_15' }, reasons: ['2 of the last 6 invoices were paid 6 to 30 days late', …] }
 */
export function prequalifyCredit(
  history: ReadonlyArray<InvoiceSnapshotInput>,
  options: CreditOptions,
): CreditAssessment {
  const v = parseInput(CreditInputSchema, { ...options, history });
  return assessCredit(v.history, resolveToday(v), v.thresholds);
}

function assessCredit(history: InvoiceSnapshot[], today: CalendarDay, t: CreditThresholds): CreditAssessment {
  const real = history.filter((inv) => inv.status === 'open' || inv.status === 'paid' || inv.status === 'written_off');
  if (real.length === 0) {
    return {
      level: 'ok',
      suggestion: { kind: 'none' },
      reasons: ['No payment history: this is a new customer, so there is nothing to judge yet'],
    };
  }
  const judged = recentJudged(real, today, t.recentInvoices);
  if (judged.length === 0) {
    return {
      level: 'ok',
      suggestion: { kind: 'none' },
      reasons: ['No invoice has come due yet, so there is no payment history to judge'],
    };
  }

  const n = judged.length;
  const late = judged.filter((j) => j.state === 'written_off' || j.daysLate > t.graceDays);
  const serious = judged.filter((j) => j.state === 'written_off' || j.daysLate > t.seriouslyLateDays);
  const writtenOff = judged.filter((j) => j.state === 'written_off');
  const unpaidLate = judged.filter((j) => j.state === 'unpaid' && j.daysLate > t.graceDays);
  const unpaidSerious = unpaidLate.filter((j) => j.daysLate > t.seriouslyLateDays);

  let level: CreditAssessment['level'] = 'ok';
  if (writtenOff.length > 0 || unpaidSerious.length > 0 || serious.length >= t.highRiskFromSeriouslyLate) {
    level = 'high_risk';
  } else if (late.length >= t.watchFromLate || serious.length > 0 || unpaidLate.length > 0) level = 'watch';

  const suggestion: CreditSuggestion =
    level === 'high_risk'
      ? { kind: 'deposit', basisPoints: t.depositBasisPoints }
      : level === 'watch'
        ? { kind: 'shorter_terms', maxTerms: shorterThanUsual(judged, t.shorterTerms) }
        : { kind: 'none' };

  return { level, suggestion, reasons: reasonsFor(judged, n, t) };
}

// Invoices that can say something about how the customer pays: settled ones, written-off ones, and unpaid ones
// already past due. Unpaid invoices not yet due say nothing, so they are left out.
function recentJudged(invoices: InvoiceSnapshot[], today: CalendarDay, count: number): Judged[] {
  const judged: Judged[] = [];
  for (const inv of invoices) {
    if (inv.status === 'written_off')
      judged.push({ inv, daysLate: dayCount(inv.dueDate, today), state: 'written_off' });
    else if (inv.status === 'paid') {
      const paid = paidDate(inv);
      if (paid !== null) judged.push({ inv, daysLate: dayCount(inv.dueDate, paid), state: 'paid' });
    } else if (isOutstanding(inv, today) && inv.dueDate < today) {
      judged.push({ inv, daysLate: dayCount(inv.dueDate, today), state: 'unpaid' });
    }
  }
  judged.sort(
    (a, b) => cmp(b.inv.issueDate, a.inv.issueDate) || cmp(b.inv.dueDate, a.inv.dueDate) || cmp(a.inv.id, b.inv.id),
  );
  return judged.slice(0, count);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// "Shorter" must be shorter than what this customer already gets: when their usual terms are already within the
// policy's limit, only due on receipt is shorter.
function shorterThanUsual(judged: Judged[], policy: PaymentTermsCode): PaymentTermsCode {
  const terms = judged.map((j) => dayCount(j.inv.issueDate, j.inv.dueDate)).sort((a, b) => a - b);
  const usual = terms[Math.floor((terms.length - 1) / 2)] ?? Number.POSITIVE_INFINITY;
  const limit = nominalDays(policy);
  return usual <= limit && limit > 0 ? 'due_on_receipt' : policy;
}

function reasonsFor(judged: Judged[], n: number, t: CreditThresholds): string[] {
  const reasons: string[] = [];
  const ofLast = (k: number) => `${k} of the last ${plural(n, 'invoice')} ${k === 1 ? 'was' : 'were'}`;
  const MAX_LISTED = 3;
  const listed = (items: Judged[], say: (j: Judged) => string) => {
    for (const j of items.slice(0, MAX_LISTED)) reasons.push(say(j));
    if (items.length > MAX_LISTED) reasons.push(`…and ${items.length - MAX_LISTED} more like it`);
  };

  listed(
    judged.filter((j) => j.state === 'written_off'),
    (j) => `Invoice ${j.inv.number} (${formatMoney(j.inv.total)}) was written off as unpaid`,
  );
  listed(
    judged.filter((j) => j.state === 'unpaid' && j.daysLate > t.graceDays),
    (j) =>
      `Invoice ${j.inv.number} (${formatMoney(j.inv.amountDue)} due) is ${plural(j.daysLate, 'day')} past due and still unpaid`,
  );
  const paid = judged.filter((j) => j.state === 'paid');
  const paidSerious = paid.filter((j) => j.daysLate > t.seriouslyLateDays).length;
  const paidLate = paid.filter((j) => j.daysLate > t.graceDays && j.daysLate <= t.seriouslyLateDays).length;
  if (paidSerious > 0) reasons.push(`${ofLast(paidSerious)} paid more than ${t.seriouslyLateDays} days late`);
  if (paidLate > 0) reasons.push(`${ofLast(paidLate)} paid ${t.graceDays + 1} to ${t.seriouslyLateDays} days late`);
  if (paid.length > 0) {
    const average = Math.round(paid.reduce((s, j) => s + j.daysLate, 0) / paid.length);
    if (average > 0) reasons.push(`On average invoices were paid ${plural(average, 'day')} after the due date`);
    else if (average < 0) reasons.push(`On average invoices were paid ${plural(-average, 'day')} before the due date`);
    else reasons.push('On average invoices were paid on the due date');
  }
  const onTime = judged.filter((j) => j.state === 'paid' && j.daysLate <= t.graceDays).length;
  if (onTime === n) {
    const within = t.graceDays === 0 ? 'by the due date' : `within ${plural(t.graceDays, 'day')} of the due date`;
    const all = n === 1 ? 'The last invoice was' : `All of the last ${n} invoices were`;
    reasons.push(`${all} paid on time (${within})`);
  }
  return reasons;
}
