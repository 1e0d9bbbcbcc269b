import { format, isValid, parseISO } from 'date-fns';
import { formatMoney, type Money } from '../../src/core/money.js';

/**
 * How the cards write money, days, instants, durations and shares. Presentation only: amounts come from the
 * backend already computed; nothing here adds money up.
 */

/** `$1,250.00`, `¥1,500`. */
export function money(m: Money): string {
  return formatMoney(m);
}

/** A calendar day as people read it. @example day('2026-03-02') // 'Mar 2, 2026' */
export function day(d: string | null | undefined): string {
  if (!d) return '—';
  const parsed = parseISO(d);
  return isValid(parsed) ? format(parsed, 'MMM d, yyyy') : d;
}

/** An instant in the viewer's zone. @example instant('2026-03-02T15:04:00Z') // 'Mar 2, 2026, 3:04 PM' (in UTC) */
export function instant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parsed = parseISO(iso);
  return isValid(parsed) ? format(parsed, 'MMM d, yyyy, h:mm a') : iso;
}

/** A span of time, coarse. @example duration(93_600_000) // '1 d 2 h' */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** A fraction 0–1 as a percentage. @example percent(0.2512) // '25.1%' */
export function percent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined) return '—';
  return `${(Math.round(fraction * 1000) / 10).toString()}%`;
}

/** A number of days, one decimal at most. @example days(41.25) // '41.3 days' */
export function days(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const rounded = Math.round(n * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}
