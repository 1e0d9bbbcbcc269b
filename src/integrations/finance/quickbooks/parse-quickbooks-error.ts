import { FinanceError, type FinanceErrorKind } from '../port.js';

/**
 * Maps a QuickBooks error answer onto the shared FinanceError kinds so that retry policy lives in one place
 * (src/jobs). The vendor's own Message and Detail are kept word for word: finance people read them on the deal.
 *
 * Intuit answers in two shapes: `{Fault:{Error:[{Message, Detail, code}], type}}` from the accounting API, and the
 * gateway's lower-case `{fault:{error:[{message, detail, code}], type}}` on 401s.
 */

/** What the vendor said, kept on `FinanceError.cause` so adapters can branch on a code (e.g. 6240). */
export interface QuickBooksFaultInfo {
  status: number;
  faultType?: string;
  codes: string[];
  errors: Array<{ message: string; detail?: string; code?: string }>;
}

/** Wait used when QuickBooks throttles without Retry-After: its limit is per minute, so a minute is always enough. */
export const DEFAULT_THROTTLE_WAIT_MS = 60_000;

// Intuit error codes we branch on (https://developer.intuit.com/.../error-codes).
const THROTTLE_CODES = new Set(['3001', '003001']);
const AUTH_CODES = new Set(['100', '3100', '3200', '003100', '003200']);
const CONFLICT_CODES = new Set([
  '6240', // Duplicate Name Exists: DisplayName is unique across customers, vendors and employees
  '5010', // Stale Object Error: the SyncToken we sent is not the latest
  '6140', // Duplicate Document Number
]);
const NOT_FOUND_CODES = new Set(['610']); // Object Not Found (deleted or made inactive)

type Headers_ = Headers | Record<string, string | undefined> | undefined;

function header(headers: Headers_, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable.
 * @example retryAfterMs('30') // 30000
 */
export function retryAfterMs(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The errors inside a fault body, whichever casing it uses; empty for anything else (HTML from a proxy, text).
 * @example faultOf({ Fault: { Error: [{ Message: 'm', code: '6240' }], type: 'ValidationFault' } }).codes // ['6240']
 */
export function faultOf(body: unknown): Omit<QuickBooksFaultInfo, 'status'> {
  const root = asRecord(body);
  const fault = asRecord(root?.Fault) ?? asRecord(root?.fault);
  const list = fault?.Error ?? fault?.error;
  const errors = (Array.isArray(list) ? list : []).map((raw) => {
    const e = asRecord(raw) ?? {};
    return {
      message: str(e.Message) ?? str(e.message) ?? 'QuickBooks reported an error',
      detail: str(e.Detail) ?? str(e.detail),
      code: str(e.code) ?? str(e.Code),
    };
  });
  return {
    faultType: str(fault?.type) ?? str(fault?.Type),
    codes: errors.map((e) => e.code).filter((c): c is string => c !== undefined),
    errors,
  };
}

function kindOf(status: number, info: Omit<QuickBooksFaultInfo, 'status'>): FinanceErrorKind {
  const type = (info.faultType ?? '').toLowerCase();
  const text = info.errors.map((e) => `${e.message} ${e.detail ?? ''}`).join(' ');
  const has = (set: Set<string>) => info.codes.some((c) => set.has(c));
  if (status === 429 || has(THROTTLE_CODES) || type === 'throttlingfault' || /ThrottleExceeded/i.test(text)) {
    return 'rate_limited';
  }
  if (
    status === 401 ||
    status === 403 ||
    type === 'authenticationfault' ||
    type === 'authentication' ||
    type === 'authorizationfault' ||
    has(AUTH_CODES) ||
    /AuthenticationFailed|AuthorizationFailed/i.test(text)
  ) {
    return 'auth';
  }
  if (has(CONFLICT_CODES)) return 'conflict';
  if (status === 404 || has(NOT_FOUND_CODES) || /object not found/i.test(text)) return 'not_found';
  if (status >= 500 || type === 'systemfault') return 'temporary';
  if (type === 'validationfault' || status === 400) return 'validation';
  return 'unknown';
}

function messageOf(status: number, info: Omit<QuickBooksFaultInfo, 'status'>, rawText?: string): string {
  if (info.errors.length === 0) {
    const snippet = rawText?.trim().slice(0, 200);
    return snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status} without an error body`;
  }
  return info.errors
    .map((e) => {
      const code = e.code ? ` (code ${e.code})` : '';
      return e.detail && e.detail !== e.message ? `${e.message}${code}: ${e.detail}` : `${e.message}${code}`;
    })
    .join('; ');
}

/**
 * An HTTP error answer from QuickBooks → FinanceError (kind, status, Retry-After, the vendor's words).
 * 429 / ThrottleExceeded → rate_limited (Retry-After, else a minute); 401, 403, AuthenticationFailed → auth;
 * 6240 duplicate name, 5010 stale object → conflict; 404 / 610 object not found → not_found; 5xx → temporary;
 * ValidationFault / other 400 → validation.
 * @example parseQuickBooksError({ status: 429, body: { Fault: { Error: [{ Message: 'ThrottleExceeded', code: '3001' }], type: 'ThrottlingFault' } } }).kind // 'rate_limited'
 */
export function parseQuickBooksError(input: {
  status: number;
  body: unknown;
  headers?: Headers_;
  rawText?: string;
  now?: Date;
}): FinanceError {
  const info = faultOf(input.body);
  const kind = kindOf(input.status, info);
  const cause: QuickBooksFaultInfo = { status: input.status, ...info };
  const retry =
    kind === 'rate_limited'
      ? (retryAfterMs(header(input.headers, 'retry-after'), input.now) ?? DEFAULT_THROTTLE_WAIT_MS)
      : kind === 'temporary'
        ? retryAfterMs(header(input.headers, 'retry-after'), input.now)
        : undefined;
  return new FinanceError('quickbooks', kind, messageOf(input.status, info, input.rawText), {
    status: input.status,
    ...(retry === undefined ? {} : { retryAfterMs: retry }),
    cause,
  });
}

/**
 * The Intuit error codes behind a FinanceError made by parseQuickBooksError (empty for anything else).
 * @example quickBooksFaultCodes(error).includes('6240')
 */
export function quickBooksFaultCodes(error: unknown): string[] {
  if (!(error instanceof FinanceError) || error.system !== 'quickbooks') return [];
  const cause = asRecord(error.cause);
  return Array.isArray(cause?.codes)
    ? (cause.codes as unknown[]).filter((c): c is string => typeof c === 'string')
    : [];
}
