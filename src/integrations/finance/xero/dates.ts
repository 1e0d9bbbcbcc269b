/**
 * Xero answers dates in the old Microsoft JSON form `/Date(1539993600000+0000)/` (and, on invoices, also as
 * `DateString: 2018-10-20T00:00:00`), and takes plain `YYYY-MM-DD` on the way in. Invoice dates are calendar days:
 * the instant Xero encodes is midnight UTC of that day, so the UTC day of it is the day itself.
 */
import { type CalendarDay, formatDay } from '../../../core/dates.js';

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?$/;

/**
 * The instant of a Xero date in any of its forms; null when absent or unreadable.
 * @example parseXeroDate('/Date(1539993600000+0000)/') // 2018-10-20T00:00:00.000Z
 */
export function parseXeroDate(value: string | undefined | null): Date | null {
  if (!value) return null;
  const ms = MS_DATE.exec(value);
  // The offset suffix tells the zone the organisation displays, not a shift of the instant, which is UTC ms.
  if (ms) return new Date(Number(ms[1]));
  // Xero writes UTC times without a zone (DateString, webhook eventDateUtc).
  const d = new Date(ISO_NO_ZONE.test(value) ? `${value.length === 10 ? `${value}T00:00:00` : value}Z` : value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The calendar day of a Xero date, preferring the `…String` twin Xero adds on invoices.
 * @example xeroDay('/Date(1539993600000+0000)/') // '2018-10-20'
 */
export function xeroDay(value: string | undefined | null, twin?: string | null): CalendarDay | null {
  const d = parseXeroDate(twin ?? undefined) ?? parseXeroDate(value);
  return d ? formatDay(d) : null;
}

/**
 * A Date in Xero's response form, for the sandbox.
 * @example toXeroMsDate(new Date(0)) // '/Date(0+0000)/'
 */
export function toXeroMsDate(d: Date): string {
  return `/Date(${d.getTime()}+0000)/`;
}
