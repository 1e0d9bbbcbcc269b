import type { CalendarDay } from '../core/dates.js';
import { compareMoney, subtractMoney, sumMoney } from '../core/money.js';
import { type InvoiceSnapshot, paidDate } from './invoice.js';

/**
 * Invoices as they stood on an earlier day, rebuilt from today's snapshots (which are replaced wholesale, so the
 * store keeps no history): the monthly audit's trend and the bad-debt post-mortem's "what we knew at sale time".
 */

/**
 * The invoice as it stood at the end of `day`, rebuilt from its current snapshot and payment list: not issued yet →
 * left out; paid after `day` → open then, for what was still unpaid; open now → plus what was paid after `day`.
 * Drafts, held and void invoices are left out (never sales; a void invoice does not say when it was voided).
 * Written-off ones stay written off (not receivables, but sales for DSO). Pure.
 * @example invoiceAsOf({ ...inv, status: 'paid', paidOn: '2026-03-10' }, '2026-02-28')?.status // 'open'
 */
export function invoiceAsOf(inv: InvoiceSnapshot, day: CalendarDay): InvoiceSnapshot | null {
  if (inv.issueDate > day) return null;
  if (inv.status === 'draft' || inv.status === 'scheduled' || inv.status === 'void') return null;
  if (inv.status === 'written_off') return inv;
  const payments = inv.payments ?? [];
  const before = payments.filter((p) => p.on <= day);
  const paidBefore = sumMoney(
    before.map((p) => p.amount),
    inv.currency,
  );
  const { paidOn: _paidOn, ...rest } = inv;
  if (inv.status === 'paid') {
    const paid = paidDate(inv);
    if (paid === null || paid <= day) return inv;
    const due = subtractMoney(inv.total, paidBefore);
    if (due.amount <= 0) return inv;
    return { ...rest, status: 'open', amountDue: due, payments: before };
  }
  const paidAfter = sumMoney(
    payments.filter((p) => p.on > day).map((p) => p.amount),
    inv.currency,
  );
  const due = sumMoney([inv.amountDue, paidAfter], inv.currency);
  return { ...rest, amountDue: compareMoney(due, inv.total) > 0 ? inv.total : due, payments: before };
}
