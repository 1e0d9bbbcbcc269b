/**
 * Maps a failed Xero call onto the shared FinanceError kinds, so that retry policy lives in one place (the job
 * layer) and finance people see Xero's own words. Xero answers errors in four shapes:
 * - Accounting API 400: `{ ErrorNumber, Type: 'ValidationException', Message, Elements: [{ ValidationErrors: [{ Message }] }] }`
 *   (other Types, e.g. QueryParseException, carry only Message);
 * - 401/403 from the API gateway as problem+json: `{ Title, Status, Detail }`;
 * - 429 with `Retry-After` (seconds) and `X-Rate-Limit-Problem: minute | day | concurrent | appminute`, plus the
 *   remaining budgets in X-MinLimit-Remaining / X-DayLimit-Remaining / X-AppMinLimit-Remaining;
 * - the identity server's OAuth errors `{ error: 'invalid_grant', error_description? }`.
 */
import { FinanceError, type FinanceErrorKind } from '../port.js';
import type { XeroError } from './types.js';

/** What we know of a failed HTTP exchange with Xero. */
export interface XeroFailure {
  status: number;
  headers?: Headers | Record<string, string | undefined>;
  /** Parsed JSON when the body was JSON, else its text. */
  body?: unknown;
}

function header(headers: XeroFailure['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every ValidationErrors[].Message anywhere in the body (elements, their line items, addresses…), in order. */
function validationMessages(body: unknown, out: string[] = []): string[] {
  if (Array.isArray(body)) {
    for (const item of body) validationMessages(item, out);
  } else if (isRecord(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'ValidationErrors' && Array.isArray(value)) {
        for (const v of value)
          if (isRecord(v) && typeof v.Message === 'string' && !out.includes(v.Message)) out.push(v.Message);
      } else if (typeof value === 'object') validationMessages(value, out);
    }
  }
  return out;
}

/** Seconds (or an HTTP date) in Retry-After → milliseconds; Xero sends seconds. */
function retryAfterMs(value: string | undefined, fallbackMs: number): number {
  if (!value) return fallbackMs;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? fallbackMs : Math.max(0, at - Date.now());
}

const DUPLICATE = /must be unique|already assigned|already exists|already been used/i;

function rateLimited(failure: XeroFailure): FinanceError {
  const problem = header(failure.headers, 'x-rate-limit-problem') ?? 'minute';
  const minLeft = header(failure.headers, 'x-minlimit-remaining');
  const dayLeft = header(failure.headers, 'x-daylimit-remaining');
  const what: Record<string, string> = {
    minute: 'the 60 calls per minute limit for this organisation',
    day: 'the 5,000 calls per day limit for this organisation',
    concurrent: 'the limit of 5 calls at a time for this organisation',
    appminute: "the app's limit of calls per minute across all organisations",
  };
  const budget = [minLeft && `${minLeft} calls left this minute`, dayLeft && `${dayLeft} left today`]
    .filter(Boolean)
    .join(', ');
  const message = `Xero rate limit reached: ${what[problem] ?? problem}${budget ? ` (${budget})` : ''}`;
  // Without a Retry-After, a minute-window wait is the safe guess.
  const fallback = problem === 'concurrent' ? 1000 : 60_000;
  return new FinanceError('xero', 'rate_limited', message, {
    status: 429,
    retryAfterMs: retryAfterMs(header(failure.headers, 'retry-after'), fallback),
  });
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!isRecord(body)) return undefined;
  const xero = body as XeroError & Record<string, unknown>;
  const found = validationMessages(body);
  if (found.length > 0) return found.join('; ');
  if (typeof xero.Message === 'string') return xero.Message;
  if (typeof body.Detail === 'string' || typeof body.Title === 'string') {
    return [body.Title, body.Detail].filter((s) => typeof s === 'string' && s).join(': ');
  }
  if (typeof body.error === 'string') {
    return typeof body.error_description === 'string' ? `${body.error}: ${body.error_description}` : body.error;
  }
  if (typeof body.message === 'string') return body.message;
  return undefined;
}

function kindOf(failure: XeroFailure, message: string): FinanceErrorKind {
  const { status, body } = failure;
  if (isRecord(body) && typeof body.error === 'string') {
    // OAuth: a spent or revoked refresh token, a wrong client secret → reconnect; anything else is our bug.
    return ['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied'].includes(body.error)
      ? 'auth'
      : 'validation';
  }
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409 || (status === 400 && DUPLICATE.test(message))) return 'conflict';
  if (status === 400 || status === 413 || status === 422) return 'validation';
  if (status === 408 || status >= 500) return 'temporary';
  return 'unknown';
}

/**
 * A failed Xero response, or a network failure, as a FinanceError with Xero's message.
 * @example parseXeroError({ status: 429, headers: { 'retry-after': '30' } }).retryAfterMs // 30000
 */
export function parseXeroError(failure: XeroFailure | unknown): FinanceError {
  if (failure instanceof FinanceError) return failure;
  if (!isRecord(failure) || typeof failure.status !== 'number') {
    // fetch rejects only when no HTTP answer came back (DNS, reset, timeout): worth another try.
    const reason = failure instanceof Error ? failure.message : String(failure);
    return new FinanceError('xero', 'temporary', `Could not reach Xero: ${reason}`, { cause: failure });
  }
  const f = failure as unknown as XeroFailure;
  if (f.status === 429) return rateLimited(f);
  const message = messageOf(f.body) ?? `Xero answered HTTP ${f.status}`;
  return new FinanceError('xero', kindOf(f, message), message, { status: f.status });
}
