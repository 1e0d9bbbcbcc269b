import { describe, expect, it } from '@jest/globals';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import { parseXeroError } from '../../../../src/integrations/finance/xero/parse-xero-error.js';

describe('parseXeroError', () => {
  it('429 → rate_limited, Retry-After seconds in ms, which limit and the remaining budget in the message', () => {
    const e = parseXeroError({
      status: 429,
      headers: new Headers({
        'Retry-After': '37',
        'X-Rate-Limit-Problem': 'minute',
        'X-MinLimit-Remaining': '0',
        'X-DayLimit-Remaining': '4211',
      }),
    });
    expect(e).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 37_000,
      retryable: true,
      system: 'xero',
    });
    expect(e.vendorMessage).toBe(
      'Xero rate limit reached: the 60 calls per minute limit for this organisation (0 calls left this minute, 4211 left today)',
    );
  });

  it('429 for the day limit, and without Retry-After waits a minute', () => {
    const e = parseXeroError({ status: 429, headers: { 'x-rate-limit-problem': 'day' } });
    expect(e.vendorMessage).toContain('5,000 calls per day');
    expect(e.retryAfterMs).toBe(60_000);
  });

  it('400 ValidationException → validation with every ValidationErrors message, nested ones too', () => {
    const e = parseXeroError({
      status: 400,
      body: {
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
        Elements: [
          {
            ValidationErrors: [{ Message: 'Email address must be valid.' }],
            LineItems: [
              { ValidationErrors: [{ Message: "Account code '999' is not a valid code for this document." }] },
            ],
          },
        ],
      },
    });
    expect(e).toMatchObject({ kind: 'validation', status: 400, retryable: false });
    expect(e.vendorMessage).toBe(
      "Email address must be valid.; Account code '999' is not a valid code for this document.",
    );
  });

  it('duplicates (name taken, invoice number taken) → conflict', () => {
    const body = (Message: string) => ({
      Type: 'ValidationException',
      Elements: [{ ValidationErrors: [{ Message }] }],
    });
    expect(parseXeroError({ status: 400, body: body('Invoice # must be unique.') }).kind).toBe('conflict');
    expect(
      parseXeroError({ status: 400, body: body('The contact name Acme is already assigned to another contact.') }).kind,
    ).toBe('conflict');
  });

  it('other 400 types keep their Message (e.g. a where clause Xero cannot parse)', () => {
    const e = parseXeroError({
      status: 400,
      body: { ErrorNumber: 16, Type: 'QueryParseException', Message: 'No property' },
    });
    expect(e).toMatchObject({ kind: 'validation', vendorMessage: 'No property' });
  });

  it('401 / 403 problem+json → auth, Title and Detail kept', () => {
    const e = parseXeroError({ status: 401, body: { Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired' } });
    expect(e).toMatchObject({ kind: 'auth', vendorMessage: 'Unauthorized: TokenExpired' });
    expect(
      parseXeroError({ status: 403, body: { Title: 'Forbidden', Detail: 'AuthorizationUnsuccessful' } }).kind,
    ).toBe('auth');
  });

  it('OAuth errors: a spent refresh token is auth (reconnect), an unsupported grant is ours (validation)', () => {
    expect(parseXeroError({ status: 400, body: { error: 'invalid_grant' } })).toMatchObject({
      kind: 'auth',
      vendorMessage: 'invalid_grant',
    });
    expect(parseXeroError({ status: 400, body: { error: 'unsupported_grant_type' } }).kind).toBe('validation');
  });

  it('404 text → not_found; 5xx → temporary; 500 HTML keeps the text; unknown status → unknown', () => {
    expect(parseXeroError({ status: 404, body: "The resource you're looking for cannot be found" })).toMatchObject({
      kind: 'not_found',
      vendorMessage: "The resource you're looking for cannot be found",
    });
    expect(parseXeroError({ status: 503, body: '' })).toMatchObject({
      kind: 'temporary',
      vendorMessage: 'Xero answered HTTP 503',
    });
    expect(parseXeroError({ status: 502, body: '<html>Bad gateway</html>' }).vendorMessage).toBe(
      '<html>Bad gateway</html>',
    );
    expect(parseXeroError({ status: 418, body: {} }).kind).toBe('unknown');
  });

  it('a thrown network error → temporary; a FinanceError passes through', () => {
    expect(parseXeroError(new TypeError('fetch failed'))).toMatchObject({
      kind: 'temporary',
      vendorMessage: 'Could not reach Xero: fetch failed',
    });
    const original = new FinanceError('xero', 'auth', 'x');
    expect(parseXeroError(original)).toBe(original);
  });
});
