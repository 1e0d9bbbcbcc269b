import { describe, expect, it } from '@jest/globals';
import {
  HubSpotError,
  kindOfStatus,
  parseHubSpotError,
  parseRetryAfter,
} from '../../../src/integrations/hubspot/errors.js';
import { withHubSpotRetry } from '../../../src/integrations/hubspot/retry.js';

const apiException = (code: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });

describe('HubSpot error mapping', () => {
  it('maps statuses onto the shared kinds', () => {
    expect([400, 401, 403, 404, 409, 423, 429, 500, 503, 418].map(kindOfStatus)).toEqual([
      'validation',
      'auth',
      'forbidden',
      'not_found',
      'conflict',
      'temporary',
      'rate_limited',
      'temporary',
      'temporary',
      'unknown',
    ]);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Mon, 02 Nov 2026 09:00:03 GMT', new Date('2026-11-02T09:00:00Z'))).toBe(3000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('keeps HubSpot’s message, category, correlation id and Retry-After from an SDK exception', () => {
    const e = parseHubSpotError(
      apiException(
        429,
        { message: 'You have reached your ten_secondly_rolling limit.', category: 'RATE_LIMITS', correlationId: 'c-1' },
        { 'retry-after': '1' },
      ),
      'deals batch read',
    );
    expect(e).toBeInstanceOf(HubSpotError);
    expect(e).toMatchObject({ kind: 'rate_limited', status: 429, category: 'RATE_LIMITS', correlationId: 'c-1' });
    expect(e.retryAfterMs).toBe(1000);
    expect(e.message).toBe(
      'HubSpot answered 429 RATE_LIMITS (deals batch read): You have reached your ten_secondly_rolling limit.',
    );
  });

  it('treats network failures and unparseable gateway pages as temporary, our own bugs as unknown', () => {
    expect(parseHubSpotError(new TypeError('fetch failed')).kind).toBe('temporary');
    expect(
      parseHubSpotError(new Error('The mediaType text/html is not supported by ObjectSerializer.parse.')).kind,
    ).toBe('temporary');
    expect(parseHubSpotError(new TypeError('x is not a function')).kind).toBe('unknown');
  });
});

describe('HubSpot retry policy', () => {
  it('retries 429s without using up the 5xx retries, waiting what HubSpot asked', async () => {
    let attempts = 0;
    const started = Date.now();
    const result = await withHubSpotRetry(
      async () => {
        attempts += 1;
        if (attempts <= 2)
          throw apiException(429, { message: 'slow down', category: 'RATE_LIMITS' }, { 'retry-after': '0.1' });
        return 'ok';
      },
      { operation: 'test', idempotent: false, policy: { retries: 0 } },
    );
    expect(result).toBe('ok');
    expect(attempts).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('stops after maxRateLimitWaits 429s in a row', async () => {
    let attempts = 0;
    const error = await withHubSpotRetry(
      async () => {
        attempts += 1;
        throw apiException(429, { message: 'slow down', category: 'RATE_LIMITS' }, { 'retry-after': '0' });
      },
      { operation: 'test', idempotent: true, policy: { maxRateLimitWaits: 2 } },
    ).catch((e: unknown) => e);
    expect((error as HubSpotError).kind).toBe('rate_limited');
    expect(attempts).toBe(3);
  });

  it('does not retry validation errors', async () => {
    let attempts = 0;
    await expect(
      withHubSpotRetry(
        async () => {
          attempts += 1;
          throw apiException(400, { message: 'bad', category: 'VALIDATION_ERROR' });
        },
        { operation: 'test', idempotent: true },
      ),
    ).rejects.toMatchObject({ kind: 'validation' });
    expect(attempts).toBe(1);
  });
});
