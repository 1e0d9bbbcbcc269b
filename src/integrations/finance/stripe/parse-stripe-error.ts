/**
 * Maps what the Stripe SDK throws onto the shared FinanceError kinds, keeping Stripe's message. The SDK turns
 * Stripe's `{ error: { type, code, message, param } }` answers into classes by HTTP status; we read the class name
 * (`type`), the status and the error code, so the mapping also holds across copies of the SDK module.
 * - 429 / code `rate_limit` → rate_limited (Stripe seldom sends Retry-After; without it we wait 1 s, the width of
 *   Stripe's per-second limit);
 * - 401 authentication, 403 permission → auth (the key is wrong, revoked or lacks a permission);
 * - 404 / code `resource_missing` → not_found;
 * - 400 invalid request → validation (Stripe names the parameter: kept in the message);
 * - idempotency_error (same key, different parameters) → conflict: a bug or a reused key, never retried blindly;
 * - 409 lock_timeout / idempotency key still in use, 5xx, connection errors → temporary.
 */
import { FinanceError, type FinanceErrorKind } from '../port.js';

interface StripeLikeError {
  type?: string;
  rawType?: string;
  statusCode?: number;
  code?: string;
  param?: string;
  message?: string;
  headers?: Record<string, string | undefined>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function retryAfterMs(headers: StripeLikeError['headers']): number {
  const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000;
}

function kindOf(e: StripeLikeError): FinanceErrorKind {
  const status = e.statusCode;
  if (status === 429 || e.code === 'rate_limit' || e.type === 'StripeRateLimitError') return 'rate_limited';
  if (e.type === 'StripeIdempotencyError' || e.rawType === 'idempotency_error') return 'conflict';
  if (e.type === 'StripeConnectionError') return 'temporary';
  if (
    status === 401 ||
    status === 403 ||
    e.type === 'StripeAuthenticationError' ||
    e.type === 'StripePermissionError'
  ) {
    return 'auth';
  }
  if (status === 404 || e.code === 'resource_missing') return 'not_found';
  if (status === 409) return 'temporary';
  if (status === 400 || e.type === 'StripeInvalidRequestError') return 'validation';
  if ((status !== undefined && status >= 500) || e.type === 'StripeAPIError') return 'temporary';
  return 'unknown';
}

/**
 * Anything the Stripe SDK threw, as a FinanceError with Stripe's message.
 * @example parseStripeError(await stripe.customers.retrieve('cus_x').catch((e) => e)).kind // 'not_found'
 */
export function parseStripeError(error: unknown): FinanceError {
  if (error instanceof FinanceError) return error;
  if (!isRecord(error)) return new FinanceError('stripe', 'unknown', String(error));
  const e = error as StripeLikeError;
  const isStripe = typeof e.type === 'string' && e.type.startsWith('Stripe');
  if (!isStripe && e.statusCode === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new FinanceError('stripe', 'unknown', message, { cause: error });
  }
  const kind = kindOf(e);
  const base = e.message || `Stripe answered HTTP ${e.statusCode ?? '?'}`;
  const message = kind === 'validation' && e.param && !base.includes(e.param) ? `${base} (${e.param})` : base;
  return new FinanceError('stripe', kind, message, {
    status: e.statusCode,
    retryAfterMs: kind === 'rate_limited' ? retryAfterMs(e.headers) : undefined,
    cause: error,
  });
}
