/**
 * Exact decimal arithmetic for the sandbox's invoice totals, the way Xero's books do it: amounts as integers of
 * 10^-scale, line amount = Quantity × UnitAmount rounded half away from zero to the currency's decimals. No floats.
 */

/**
 * A JSON number as an integer count of 10^-scale, or null when it has more decimals than `scale`.
 * @example scaled(12.5, 2) // 1250n
 */
export function scaled(n: number, scale: number): bigint | null {
  const text = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const frac = m[3] ?? '';
  if (frac.length > scale) return null;
  return BigInt(`${m[1]}${m[2]}${frac.padEnd(scale, '0')}`);
}

/**
 * The decimal digits of a scaled integer as a JSON number (exact for up to 15 significant digits).
 * @example unscaled(1250n, 2) // 12.5
 */
export function unscaled(value: bigint, scale: number): number {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return Number(`${negative ? '-' : ''}${text}`);
}

/**
 * a / 10^drop, rounded half away from zero.
 * @example roundDrop(12345n, 2) // 123n
 */
export function roundDrop(value: bigint, drop: number): bigint {
  if (drop <= 0) return value * 10n ** BigInt(-drop);
  const d = 10n ** BigInt(drop);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const q = (abs + d / 2n) / d;
  return negative ? -q : q;
}

/**
 * a / b rounded half away from zero (b ≠ 0).
 * @example divideRounded(10n, 4n) // 3n
 */
export function divideRounded(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (2n * absA + absB) / (2n * absB);
  return negative ? -q : q;
}

/**
 * The number of decimals a JSON number is written with.
 * @example decimalsOf(1.25) // 2
 */
export function decimalsOf(n: number): number {
  const m = /\.(\d+)$/.exec(String(n));
  return m?.[1]?.length ?? 0;
}
