import { z } from 'zod';
import { type CalendarDay, endOfMonthDay, plusDays, plusMonths } from '../core/dates.js';
import { DomainError } from '../core/errors.js';

/**
 * Payment terms as one string code, the same in the card's Select, the API, the DB and the HubSpot property:
 * - `due_on_receipt`
 * - `net_<days>` (1–365), e.g. `net_30`
 * - `eofm_<day>`: due on <day> (1–31, clamped to the month's end) of the month after the invoice, e.g. `eofm_20`
 */
export type PaymentTermsCode = string;

export type PaymentTerms = { kind: 'net'; days: number } | { kind: 'day_of_following_month'; day: number };

/** The catalog shown to people, in order. Custom `net_<n>` codes are accepted beyond these. */
export const PAYMENT_TERMS_CATALOG: ReadonlyArray<{ code: PaymentTermsCode; label: string }> = [
  { code: 'due_on_receipt', label: 'Due on receipt' },
  { code: 'net_15', label: 'Net 15' },
  { code: 'net_30', label: 'Net 30' },
  { code: 'net_45', label: 'Net 45' },
  { code: 'net_60', label: 'Net 60' },
  { code: 'eofm_20', label: '20th of the following month' },
];

const CODE_RE = /^(?:due_on_receipt|net_(\d{1,3})|eofm_(\d{1,2}))$/;

function tryParse(code: string): PaymentTerms | null {
  const m = CODE_RE.exec(code);
  if (!m) return null;
  if (code === 'due_on_receipt') return { kind: 'net', days: 0 };
  if (m[1] !== undefined) {
    const days = Number(m[1]);
    return days >= 1 && days <= 365 ? { kind: 'net', days } : null;
  }
  const day = Number(m[2]);
  return day >= 1 && day <= 31 ? { kind: 'day_of_following_month', day } : null;
}

/** zod schema for a payment-terms code. */
export const PaymentTermsCodeSchema = z.string().refine((c) => tryParse(c) !== null, {
  message: 'must be due_on_receipt, net_<1-365 days> (e.g. net_30) or eofm_<1-31> (day of the following month)',
});

/** Parses a code. @example parsePaymentTerms('net_30') // { kind: 'net', days: 30 } */
export function parsePaymentTerms(code: PaymentTermsCode): PaymentTerms {
  const t = tryParse(code);
  if (!t) throw new DomainError('invalid_input', `"${code}" is not a payment terms code`, 'paymentTerms');
  return t;
}

/** The code of structured terms. @example paymentTermsCode({ kind: 'net', days: 0 }) // 'due_on_receipt' */
export function paymentTermsCode(t: PaymentTerms): PaymentTermsCode {
  if (t.kind === 'net') return t.days === 0 ? 'due_on_receipt' : `net_${t.days}`;
  return `eofm_${t.day}`;
}

/** A label people read. @example paymentTermsLabel('net_45') // 'Net 45' */
export function paymentTermsLabel(code: PaymentTermsCode): string {
  const known = PAYMENT_TERMS_CATALOG.find((c) => c.code === code);
  if (known) return known.label;
  const t = parsePaymentTerms(code);
  if (t.kind === 'net') return t.days === 0 ? 'Due on receipt' : `Net ${t.days}`;
  return `Day ${t.day} of the following month`;
}

/**
 * Days a customer gets to pay, for comparisons ("shorter terms"); month-based terms count as 30 + day.
 * @example nominalDays('eofm_20') // 50
 */
export function nominalDays(code: PaymentTermsCode): number {
  const t = parsePaymentTerms(code);
  return t.kind === 'net' ? t.days : 30 + t.day;
}

/**
 * Due date of an invoice issued on `issueDate`.
 * @example dueDate('2026-01-31', 'net_30') // '2026-03-02'
 * @example dueDate('2026-01-31', 'eofm_31') // '2026-02-28'
 */
export function dueDate(issueDate: CalendarDay, code: PaymentTermsCode): CalendarDay {
  const t = parsePaymentTerms(code);
  if (t.kind === 'net') return plusDays(issueDate, t.days);
  const firstOfNext = plusMonths(`${issueDate.slice(0, 8)}01`, 1);
  const last = endOfMonthDay(firstOfNext);
  const day = Math.min(t.day, Number(last.slice(8, 10)));
  return `${firstOfNext.slice(0, 8)}${String(day).padStart(2, '0')}`;
}
