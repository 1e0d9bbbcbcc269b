import type { CalendarDay } from '../core/dates.js';
import { formatMoney, type Money } from '../core/money.js';
import type { HandoffEvaluation } from '../handoff/evaluation.js';
import type { HandoffException } from '../handoff/exceptions.js';
import { agingOf } from './aging.js';
import { prequalifyCredit } from './credit.js';
import { dayCount } from './day-count.js';
import { invoiceAsOf } from './history.js';
import type { InvoiceSnapshot, InvoiceStatus } from './invoice.js';
import { joinList, plural } from './text.js';

/**
 * Bad-debt post-mortem (issue #10 item 6, seed: "when an invoice is written off … review what happened: was the red
 * flag visible during the prospecting phase? did we agree to terms that were too loose?"). When an invoice is voided
 * or written off in the finance system, or passes 90 days overdue, the app records what it knew at sale time: the
 * credit pre-qualification and payment history, the PO rule, the exceptions approved and by whom, and the warnings
 * shown and overridden. Pure: the job gathers the facts, these functions judge and shape them.
 *
 * What a snapshot can tell: Stripe's `uncollectible` arrives as `written_off`, and so does a Xero invoice settled by a
 * credit note to a bad-debt account (src/integrations/finance/xero/xero-write-offs.ts), and so does a QuickBooks
 * invoice whose balance a credit memo on a bad-debt item (named so, or posting to a bad-debt account) brought to 0
 * (isBadDebtCreditMemo in
 * src/integrations/finance/quickbooks/quickbooks-invoice-to-snapshot.ts). A write-off the vendor does not mark that
 * way reads as paid and is caught only if it passes 90 days overdue first.
 */

export type PostMortemTrigger = 'voided' | 'written_off' | 'over_90_days';

/**
 * Whether a name in the books says bad debt (`Bad debt`, `Bad Debts`, `Bad-debt write-off`, `BadDebt`,
 * `bad_debts`): how the finance adapters tell a write-off item or account from an ordinary one.
 * @example namesBadDebt('Bad Debts') // true
 */
export function namesBadDebt(name: string | undefined): boolean {
  return /bad[\s_-]*debt/i.test(name ?? '');
}

/** Days past due after which an unpaid invoice counts as bad debt for the post-mortem. */
export const BAD_DEBT_DAYS = 90;

/**
 * Why this invoice needs a post-mortem now, or null. A void counts unless the invoice was a draft or held by us
 * before (deleting a draft is not bad debt); the previous status is unknown on first sight, which counts.
 * @example badDebtTrigger({ ...inv, status: 'open', dueDate: '2026-01-01' }, '2026-04-02') // 'over_90_days'
 */
export function badDebtTrigger(
  inv: InvoiceSnapshot,
  today: CalendarDay,
  previousStatus: InvoiceStatus | null = null,
): PostMortemTrigger | null {
  if (inv.status === 'written_off') return 'written_off';
  if (inv.status === 'void') return previousStatus === 'draft' || previousStatus === 'scheduled' ? null : 'voided';
  if (inv.status === 'open' && inv.amountDue.amount > 0 && dayCount(inv.dueDate, today) > BAD_DEBT_DAYS) {
    return 'over_90_days';
  }
  return null;
}

/** One handoff of the sale, as the app last stored it (its last transition, normally the acceptance). */
export interface SaleHandoff {
  handoffId: string;
  toTeam: string;
  state: string;
  data: Record<string, unknown>;
  evaluation: HandoffEvaluation | null;
  exceptions: ReadonlyArray<HandoffException>;
}

export interface PostMortemInput {
  invoice: InvoiceSnapshot;
  /** The invoice's previous snapshot when the trigger was a change (a void zeroes QuickBooks amounts). */
  previous?: InvoiceSnapshot | null;
  trigger: PostMortemTrigger;
  today: CalendarDay;
  recordedAt: Date;
  companyId: string;
  /** The sale the invoice came from; null when no deal of this company went through the app before it. */
  sale: { dealId: string; at: Date; day: CalendarDay; handoffs: ReadonlyArray<SaleHandoff> } | null;
  /** The customer's invoice snapshots (the history is rebuilt as of the sale day from them). */
  history: ReadonlyArray<InvoiceSnapshot>;
}

export interface BadDebtPostMortem {
  invoiceId: string;
  invoiceNumber: string;
  system: string;
  customerId: string;
  companyId: string;
  trigger: PostMortemTrigger;
  recordedAt: string;
  total: Money;
  /** What was unpaid when the post-mortem was recorded (before a void, for a voided invoice). */
  amountDue: Money;
  dueDate: CalendarDay;
  daysPastDue: number;
  dealId: string | null;
  saleAt: string | null;
  credit: {
    /** Credit warnings the handoff showed (the credit_suggestion rule); empty when none was shown. */
    shownAtSale: string[];
    /** Pre-qualification of the payment history the app held on the sale day. */
    level: 'ok' | 'watch' | 'high_risk' | null;
    reasons: string[];
  };
  /** The payment history as of the sale day, in one sentence. */
  paymentHistory: string;
  poRule: {
    required: boolean | null;
    poNumber: string | null;
    status: 'present' | 'missing' | 'waived' | 'not_required' | 'unknown';
  };
  exceptions: Array<{
    id: string;
    reason: string;
    waives: string[];
    requestedBy: string;
    approvedBy: string | null;
    decidedAt: string | null;
  }>;
  warnings: Array<{ field: string; label: string; message: string }>;
}

const SUBMITTED_STATES = new Set(['submitted', 'accepted', 'billing_pending', 'billing_live', 'billing_failed']);

function historyAtSale(history: ReadonlyArray<InvoiceSnapshot>, invoiceId: string, day: CalendarDay) {
  const then = history.filter((i) => i.id !== invoiceId && i.issueDate < day).flatMap((i) => invoiceAsOf(i, day) ?? []);
  const aging = agingOf(then, day);
  const overdue = aging.currencies.filter((c) => c.overdue.amount > 0).map((c) => formatMoney(c.overdue));
  const count = then.length;
  const sentence =
    count === 0
      ? 'No invoices before the sale: a new customer, no payment history to show.'
      : overdue.length === 0
        ? `${plural(count, 'invoice')} before the sale; nothing was overdue on the sale day.`
        : `${plural(count, 'invoice')} before the sale; on the sale day ${joinList(overdue)} was overdue, the oldest ${plural(aging.daysPastDue, 'day')} past due.`;
  return { then, sentence };
}

function poRuleOf(handoffs: ReadonlyArray<SaleHandoff>): BadDebtPostMortem['poRule'] {
  const withPo = handoffs.find((h) => typeof h.data.poRequired === 'boolean') ?? null;
  if (!withPo) return { required: null, poNumber: null, status: 'unknown' };
  const required = withPo.data.poRequired === true;
  const poNumber =
    typeof withPo.data.poNumber === 'string' && withPo.data.poNumber.trim() ? withPo.data.poNumber : null;
  const waived = handoffs.some((h) =>
    h.exceptions.some((e) => e.status === 'approved' && e.waives.includes('poNumber' as never)),
  );
  const status = !required ? 'not_required' : poNumber ? 'present' : waived ? 'waived' : 'missing';
  return { required, poNumber, status };
}

/**
 * The post-mortem record of one invoice: plain JSON, stored once and shown on the company record.
 * @example buildPostMortem({ invoice, trigger: 'over_90_days', today, recordedAt, companyId, sale, history }).poRule.status // 'waived'
 */
export function buildPostMortem(input: PostMortemInput): BadDebtPostMortem {
  const { invoice, previous, sale } = input;
  const handoffs = sale?.handoffs ?? [];
  const submitted = handoffs.filter((h) => SUBMITTED_STATES.has(h.state));

  const shownAtSale: string[] = [];
  const warnings: BadDebtPostMortem['warnings'] = [];
  for (const h of submitted) {
    for (const f of h.evaluation?.fields ?? []) {
      if (f.status === 'ok' || f.severity !== 'warning') continue;
      const message = f.reason ?? f.status;
      warnings.push({ field: f.key, label: f.label, message });
      if (f.problems.some((p) => p.source === 'credit_suggestion')) shownAtSale.push(message);
    }
    for (const s of h.evaluation?.suggestions ?? []) {
      if (s.rule === 'credit_suggestion' && !shownAtSale.includes(s.message)) shownAtSale.push(s.message);
    }
  }

  let credit: BadDebtPostMortem['credit'] = { shownAtSale, level: null, reasons: [] };
  let paymentHistory = 'No sale of this customer went through Revenue Handoff before this invoice.';
  if (sale) {
    const { then, sentence } = historyAtSale(input.history, invoice.id, sale.day);
    const assessed = prequalifyCredit(then, { today: sale.day });
    credit = { shownAtSale, level: assessed.level, reasons: assessed.reasons };
    paymentHistory = sentence;
  }

  const exceptions = handoffs.flatMap((h) =>
    h.exceptions
      .filter((e) => e.status === 'approved' || (e.status === 'expired' && e.decidedBy))
      .map((e) => ({
        id: e.id,
        reason: e.reason,
        waives: [...e.waives],
        requestedBy: e.requestedBy,
        approvedBy: e.decidedBy ?? null,
        decidedAt: e.decidedAt ? new Date(e.decidedAt).toISOString() : null,
      })),
  );

  const owed = invoice.status === 'void' && previous ? previous.amountDue : invoice.amountDue;
  const total = invoice.status === 'void' && previous && invoice.total.amount === 0 ? previous.total : invoice.total;
  return {
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    system: invoice.source,
    customerId: invoice.customerId,
    companyId: input.companyId,
    trigger: input.trigger,
    recordedAt: input.recordedAt.toISOString(),
    total,
    amountDue: owed,
    dueDate: invoice.dueDate,
    daysPastDue: Math.max(0, dayCount(invoice.dueDate, input.today)),
    dealId: sale?.dealId ?? null,
    saleAt: sale ? sale.at.toISOString() : null,
    credit,
    paymentHistory,
    poRule: poRuleOf(handoffs),
    exceptions,
    warnings,
  };
}
