import { plusDays } from '../../src/core/dates.js';
import { DomainError } from '../../src/core/errors.js';
import type { InvoiceSnapshotInput } from '../../src/receivables/index.js';

let next = 0;

/** An open USD invoice of $100.00 issued 2026-01-01 and due 30 days after issue, unless overridden. */
export function invoice(over: Partial<InvoiceSnapshotInput> = {}): InvoiceSnapshotInput {
  next += 1;
  const currency = over.currency ?? 'USD';
  const total = over.total ?? { amount: 10_000, currency };
  return {
    id: `inv_${next}`,
    number: `INV-${next}`,
    customerId: 'cust_1',
    issueDate: '2026-01-01',
    dueDate: over.dueDate ?? plusDays(over.issueDate ?? '2026-01-01', 30),
    currency,
    total,
    amountDue: over.status === 'paid' ? { amount: 0, currency } : total,
    status: 'open',
    source: 'xero',
    ...over,
  };
}

/** An open invoice with `amount` minor units due on `dueDate`. */
export function openDue(dueDate: string, amount: number, currency = 'USD', over: Partial<InvoiceSnapshotInput> = {}) {
  return invoice({
    issueDate: '2025-01-01',
    dueDate,
    currency,
    total: { amount, currency },
    amountDue: { amount, currency },
    ...over,
  });
}

/** A paid invoice. */
export function paid(issueDate: string, dueDate: string, paidOn: string, over: Partial<InvoiceSnapshotInput> = {}) {
  return invoice({ issueDate, dueDate, paidOn, status: 'paid', ...over });
}

/** The DomainError thrown by `fn`, for asserting its code, path and message. */
export function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
