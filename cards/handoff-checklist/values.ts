import type { FieldView } from '../../src/api/contracts.js';
import { PAYMENT_TERMS_CATALOG, paymentTermsLabel } from '../../src/billing/payment-terms.js';
import { fromDecimalString, type Money, toDecimalString } from '../../src/core/money.js';
import { day, money } from '../shared/format.js';
import { STRINGS } from './strings.js';

/**
 * Conversions between the handoff data's own value shapes (calendar days, Money in minor units, plain objects)
 * and what HubSpot's inputs hand out (DateInput's {year, month, date}, CurrencyInput's decimal number).
 */

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function isMoney(v: unknown): v is Money {
  return isObj(v) && typeof v.amount === 'number' && typeof v.currency === 'string';
}

/** DateInput's value for a calendar day (its month is 0-based). */
export function toBaseDate(v: unknown): { year: number; month: number; date: number } | undefined {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]) - 1, date: Number(m[3]) };
}

/** The calendar day DateInput reported, or null when it was cleared. */
export function fromBaseDate(v: { year: number; month: number; date: number } | null | undefined): string | null {
  if (!v || typeof v.year !== 'number') return null;
  return `${String(v.year).padStart(4, '0')}-${String(v.month + 1).padStart(2, '0')}-${String(v.date).padStart(2, '0')}`;
}

/** CurrencyInput's number for Money (display only). */
export function toMajor(v: unknown): number | undefined {
  return isMoney(v) ? Number(toDecimalString(v)) : undefined;
}

/**
 * Money from CurrencyInput's decimal number, exact in minor units (via the decimal string, never float math).
 * Null when cleared; a string problem when the number cannot be an amount of that currency.
 */
export function fromMajor(n: number | null | undefined, currency: string): Money | null | { problem: string } {
  if (n === null || n === undefined || Number.isNaN(n)) return null;
  try {
    return fromDecimalString(String(n), currency);
  } catch (e) {
    return { problem: e instanceof Error ? e.message : STRINGS.editors.invalidAmount };
  }
}

/** Basis points shown as a percentage: 1000 → 10. */
export function bpToPercent(v: unknown): number | undefined {
  return typeof v === 'number' ? v / 100 : undefined;
}

/** A percentage typed by a person, as whole basis points: 12.5 → 1250. */
export function percentToBp(n: number | null | undefined): number | null {
  if (n === null || n === undefined || Number.isNaN(n)) return null;
  return Math.round(n * 100);
}

/** The choices of an enum field; payment terms always offer the catalog plus a custom code already chosen. */
export function optionsOf(field: FieldView, current: unknown): Array<{ label: string; value: string }> {
  if (field.key === 'paymentTerms') {
    const base = PAYMENT_TERMS_CATALOG.map((t) => ({ label: t.label, value: t.code }));
    const code = str(current);
    if (code && !base.some((o) => o.value === code)) {
      try {
        base.push({ label: paymentTermsLabel(code), value: code });
      } catch {
        // An unparsable code is shown as invalid by the server's reason; no option for it.
      }
    }
    return base;
  }
  return (field.options ?? []).map((o) => ({ label: o.label, value: o.value }));
}

/** The value of a field as one line of text, for fields shown rather than edited. */
export function displayValue(field: FieldView): string {
  const v = field.value;
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return STRINGS.notFilled;
  switch (field.type) {
    case 'money':
      return isMoney(v) ? money(v) : String(v);
    case 'date':
      return day(str(v));
    case 'boolean':
      return v === true ? STRINGS.yes : STRINGS.no;
    case 'basisPoints':
      return typeof v === 'number' ? `${v / 100}%` : String(v);
    case 'enum': {
      const code = str(v);
      if (field.key === 'paymentTerms') {
        try {
          return paymentTermsLabel(code);
        } catch {
          return code;
        }
      }
      return field.options?.find((o) => o.value === code)?.label ?? code;
    }
    case 'contact':
      return isObj(v) ? [str(v.name), str(v.email) && `<${str(v.email)}>`, str(v.phone)].filter(Boolean).join(' ') : '';
    case 'address':
      return isObj(v)
        ? [v.line1, v.line2, v.city, v.region, v.postalCode, v.country].map(str).filter(Boolean).join(', ')
        : '';
    case 'approval':
      return isObj(v) ? `${str(v.approvedBy)}, ${day(str(v.approvedOn))}${str(v.note) ? ` — ${str(v.note)}` : ''}` : '';
    case 'stakeholders':
      return Array.isArray(v)
        ? v
            .filter(isObj)
            .map((p) => `${str(p.name)} (${STRINGS.editors.roles[str(p.role)] ?? str(p.role)})`)
            .join(', ')
        : '';
    case 'billingPlan':
      return isObj(v)
        ? STRINGS.plan.summary(
            str(v.currency),
            day(str(v.startDate)),
            day(str(v.endDate)),
            Array.isArray(v.components) ? v.components.length : 0,
          )
        : '';
    default:
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}
