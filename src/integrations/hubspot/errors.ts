/**
 * Every failure of a HubSpot call becomes one `HubSpotError` with a kind from a small shared set, so that retry
 * policy (retry.ts) and the callers' decisions (show the admin a reconnect banner, skip a record, try later) live in
 * one place and never look at SDK exceptions or HTTP bodies.
 */

export type HubSpotErrorKind =
  | 'temporary'
  | 'rate_limited'
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'conflict'
  | 'unknown';

export class HubSpotError extends Error {
  readonly kind: HubSpotErrorKind;
  /** HTTP status, or undefined when no response arrived (network failure). */
  readonly status: number | undefined;
  /** HubSpot's error category, e.g. `VALIDATION_ERROR`, `OBJECT_NOT_FOUND`, `RATE_LIMITS`, `MISSING_SCOPES`. */
  readonly category: string | undefined;
  /** HubSpot's own message, shown to admins as is because it usually names the property or scope at fault. */
  readonly hubspotMessage: string;
  /** Quote this to HubSpot support. */
  readonly correlationId: string | undefined;
  /** Milliseconds HubSpot asked us to wait (Retry-After), for rate_limited. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: HubSpotErrorKind,
    hubspotMessage: string,
    options: {
      status?: number;
      category?: string;
      correlationId?: string;
      retryAfterMs?: number;
      operation?: string;
      cause?: unknown;
    } = {},
  ) {
    const where = options.operation ? ` (${options.operation})` : '';
    const what = options.status
      ? `HubSpot answered ${options.status}${options.category ? ` ${options.category}` : ''}`
      : 'HubSpot could not be reached';
    super(`${what}${where}: ${hubspotMessage}`, { cause: options.cause });
    this.name = 'HubSpotError';
    this.kind = kind;
    this.status = options.status;
    this.category = options.category;
    this.hubspotMessage = hubspotMessage;
    this.correlationId = options.correlationId;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether the same request can succeed later without anyone changing anything. */
  get retryable(): boolean {
    return this.kind === 'temporary' || this.kind === 'rate_limited';
  }
}

/** True when `e` is a HubSpotError. @example isHubSpotError(new HubSpotError('auth', 'expired')) // true */
export function isHubSpotError(e: unknown): e is HubSpotError {
  return e instanceof HubSpotError;
}

/**
 * The kind of an HTTP status.
 * @example kindOfStatus(429) // 'rate_limited'
 */
export function kindOfStatus(status: number): HubSpotErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'validation';
  // 423 Locked: HubSpot briefly locks a record while another write to it is applied.
  if (status === 423 || status >= 500) return 'temporary';
  return 'unknown';
}

/**
 * Milliseconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable.
 * @example parseRetryAfter('2') // 2000
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** The shape of the SDK's ApiException (code, body, headers), checked structurally: each SDK module has its own class. */
interface SdkApiException {
  code: number;
  body: unknown;
  headers: Record<string, string | undefined>;
}

function isSdkApiException(e: unknown): e is SdkApiException {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'number' &&
    'body' in e &&
    typeof (e as { headers?: unknown }).headers === 'object'
  );
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * Maps anything a HubSpot call threw (the SDK's ApiException, a network TypeError, …) onto a HubSpotError.
 * @example parseHubSpotError({ code: 400, body: { message: 'Property values were not valid', category: 'VALIDATION_ERROR' }, headers: {} }).kind // 'validation'
 */
export function parseHubSpotError(e: unknown, operation?: string): HubSpotError {
  if (e instanceof HubSpotError) return e;
  if (isSdkApiException(e)) {
    const body = e.body;
    const message =
      field(body, 'message') ??
      (typeof body === 'string' && body.trim() !== '' ? body : `HTTP ${e.code} with no message`);
    return new HubSpotError(kindOfStatus(e.code), message, {
      status: e.code,
      category: field(body, 'category') ?? field(body, 'status'),
      correlationId: field(body, 'correlationId'),
      retryAfterMs: parseRetryAfter(header(e.headers, 'retry-after')),
      operation,
      cause: e,
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  // No response at all (DNS, reset, timeout), or a response the SDK could not parse: HubSpot's edge answers gateway
  // failures with HTML, which the SDK rejects before it can report the status. Both are worth another try.
  const transient =
    (e instanceof TypeError && /fetch failed|network|socket|ECONN|ETIMEDOUT|EAI_AGAIN/i.test(message)) ||
    /mediaType .* is not supported|Cannot parse content/i.test(message);
  return new HubSpotError(transient ? 'temporary' : 'unknown', message, { operation, cause: e });
}
