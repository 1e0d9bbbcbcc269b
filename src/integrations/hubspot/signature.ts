import { timingSafeEqual } from 'node:crypto';
import { Signature } from '@hubspot/api-client';

/** HubSpot rejects nothing older than this; neither do we. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

// HubSpot signs the URI with these characters decoded (its request-validation docs list exactly these).
const DECODE: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The URI as HubSpot signs it. @example signedUri('https://x.io/a%3Ab') // 'https://x.io/a:b' */
export function signedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODE[m.toUpperCase()] ?? m);
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing_signature' | 'missing_timestamp' | 'stale_timestamp' | 'bad_signature' };

/**
 * Checks an `X-HubSpot-Signature-v3` header: base64 HMAC-SHA256, keyed with the app's client secret, of
 * method + full URI + raw body + timestamp. The hash is computed by the HubSpot SDK; the comparison is
 * constant-time and the clock is ours (injectable), neither of which the SDK's `isValid` offers.
 * @example verifyHubSpotSignatureV3({ method: 'POST', uri, body, signature, timestamp, clientSecret, now: new Date() })
 */
export function verifyHubSpotSignatureV3(input: {
  method: string;
  uri: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  clientSecret: string;
  now: Date;
}): SignatureCheck {
  if (!input.signature) return { ok: false, reason: 'missing_signature' };
  if (!input.timestamp || !/^\d+$/.test(input.timestamp)) return { ok: false, reason: 'missing_timestamp' };
  const ts = Number(input.timestamp);
  const age = input.now.getTime() - ts;
  // A little tolerance for clocks running ahead, none for old requests (replays).
  if (age > MAX_SIGNATURE_AGE_MS || age < -60_000) return { ok: false, reason: 'stale_timestamp' };
  const expected = signHubSpotV3({ ...input, timestamp: input.timestamp });
  const a = Buffer.from(expected);
  const b = Buffer.from(input.signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}

/** Computes the v3 signature HubSpot would send (used by the local card preview and by tests). */
export function signHubSpotV3(input: {
  method: string;
  uri: string;
  body: string;
  timestamp: string;
  clientSecret: string;
}): string {
  return Signature.getSignature(input.method.toUpperCase(), 'v3', {
    signature: '',
    clientSecret: input.clientSecret,
    requestBody: input.body,
    url: signedUri(input.uri),
    timestamp: Number(input.timestamp),
  });
}
