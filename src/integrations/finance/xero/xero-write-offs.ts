import { namesBadDebt } from '../../../receivables/post-mortem.js';
import type { XeroAccount, XeroCreditNote } from './types.js';

/**
 * Bad-debt write-offs in Xero. Xero has no written-off status: a bookkeeper writes a debt off with a sales credit
 * note allocated to the invoice whose lines post to the bad-debt expense account (named "Bad Debts" or "Bad debt
 * expense" in Xero's charts), which settles the invoice as if paid. These tell such a credit note from an ordinary
 * credit (a price correction, a refund), which posts to a revenue account.
 */

/**
 * The codes of the chart's bad-debt accounts: accounts whose name says bad debt. Archived ones count too: a credit
 * note posted there before the account was archived still wrote the debt off.
 * @example xeroBadDebtAccountCodes([{ Code: '480', Name: 'Bad Debts', Type: 'EXPENSE' }]) // Set { '480' }
 */
export function xeroBadDebtAccountCodes(accounts: ReadonlyArray<XeroAccount>): Set<string> {
  const codes = new Set<string>();
  for (const a of accounts) {
    if (!a.Code) continue;
    if (namesBadDebt(a.Name)) codes.add(a.Code);
  }
  return codes;
}

/**
 * True when a line of the credit note posts to a bad-debt account: the credit is a write-off, not a payment (as in
 * QuickBooks, a credit that writes part of the debt off and corrects the price in the same note reads as a write-off;
 * a post-mortem too many beats a bad debt nobody traces back to the sale).
 * @example isXeroWriteOff({ LineItems: [{ AccountCode: '480', LineAmount: 500 }] }, new Set(['480'])) // true
 */
export function isXeroWriteOff(note: XeroCreditNote, badDebtCodes: ReadonlySet<string>): boolean {
  const lines = (note.LineItems ?? []).filter((l) => (l.LineAmount ?? 0) !== 0);
  return lines.some((l) => l.AccountCode !== undefined && badDebtCodes.has(l.AccountCode));
}
