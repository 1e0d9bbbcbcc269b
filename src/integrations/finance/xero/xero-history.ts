import { parseXeroDate } from './dates.js';
import type { XeroHistoryRecord } from './types.js';

/** Clock slack between a record's UpdatedDateUTC and the History line of the same change. */
const SLACK_MS = 5_000;

/**
 * Who made the last change to a Xero record at or before `at` (any time when null), from its History: the `User`
 * of the newest line. null when there is none, or when Xero made the change itself ("System Generated").
 * @example xeroChangedBy([{ Changes: 'Updated', User: 'Jamie Rivera', DateUTC: '/Date(1762160400000+0000)/' }], null) // 'Jamie Rivera'
 */
export function xeroChangedBy(records: ReadonlyArray<XeroHistoryRecord>, at: Date | null): string | null {
  let newest: { at: number; user: string } | null = null;
  for (const r of records) {
    const when = parseXeroDate(r.DateUTC)?.getTime();
    if (when === undefined) continue;
    if (at && when > at.getTime() + SLACK_MS) continue;
    if (!newest || when >= newest.at) newest = { at: when, user: (r.User ?? '').trim() };
  }
  if (!newest || newest.user === '' || /^system generated$/i.test(newest.user)) return null;
  return newest.user;
}
