/**
 * Exact decimal arithmetic for the sandbox: QuickBooks keeps amounts as decimals, so the fake must never add
 * floating-point numbers. Amounts become bigint minor units, are summed or compared, and go back to the JSON
 * number whose shortest form is the exact decimal.
 */

function parts(n: number): { digits: bigint; scale: number } | null {
  if (!Number.isFinite(n)) return null;
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const [, sign = '', whole = '0', frac = ''] = m;
  return { digits: BigInt(`${sign}${whole}${frac}`), scale: frac.length };
}

/** A decimal amount in minor units, or null when it has more decimals than the currency. @example toMinor(12.5, 2) // 1250n */
export function toMinor(n: number, exponent: number): bigint | null {
  const p = parts(n);
  if (!p || p.scale > exponent) return null;
  return p.digits * 10n ** BigInt(exponent - p.scale);
}

/** Minor units back to the JSON number. @example fromMinor(1250n, 2) // 12.5 */
export function fromMinor(minor: bigint, exponent: number): number {
  const neg = minor < 0n;
  const abs = (neg ? -minor : minor).toString().padStart(exponent + 1, '0');
  const text = exponent === 0 ? abs : `${abs.slice(0, -exponent)}.${abs.slice(-exponent)}`;
  return Number(`${neg ? '-' : ''}${text}`);
}

/**
 * qty × unitPrice rounded half away from zero to the currency's minor units (QuickBooks compares Amount with it).
 * @example productMinor(3, 83.5, 2) // 25050n
 */
export function productMinor(qty: number, unitPrice: number, exponent: number): bigint | null {
  const a = parts(qty);
  const b = parts(unitPrice);
  if (!a || !b) return null;
  const raw = a.digits * b.digits; // scale a.scale + b.scale
  const shift = a.scale + b.scale - exponent;
  if (shift <= 0) return raw * 10n ** BigInt(-shift);
  const div = 10n ** BigInt(shift);
  const q = raw / div;
  const r = raw % div;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= div) return raw < 0n ? q - 1n : q + 1n;
  return q;
}
