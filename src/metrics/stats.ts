/**
 * Small statistics used by the metrics. Percentiles use the nearest-rank method (the value at rank ⌈p·n⌉ of the
 * sorted list) so that every reported figure is one that actually happened; the median of an even count is the
 * mean of the two middle values, as people expect.
 */

/** Median of numbers sorted ascending; null for none. @example median([1, 2, 3, 10]) // 2.5 */
export function median(sorted: ReadonlyArray<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile (0 < p ≤ 100) of numbers sorted ascending; null for none. @example percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) // 9 */
export function percentile(sorted: ReadonlyArray<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[Math.min(rank, n) - 1] as number;
}

/** x rounded to `places` decimals. @example roundTo(2.346, 2) // 2.35 */
export function roundTo(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/** part ÷ whole as a fraction 0–1, four decimals; null when whole is 0. @example share(1, 3) // 0.3333 */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : roundTo(part / whole, 4);
}

export const HOUR_MS = 3_600_000;

/** Code-point order of two strings, for stable tie-breaks. @example compareText('a', 'b') // -1 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
