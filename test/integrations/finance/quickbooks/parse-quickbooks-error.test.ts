import { describe, expect, it } from '@jest/globals';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import { AUTH_FAULT, FAULTS } from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import {
  DEFAULT_THROTTLE_WAIT_MS,
  parseQuickBooksError,
  quickBooksFaultCodes,
  retryAfterMs,
} from '../../../../src/integrations/finance/quickbooks/parse-quickbooks-error.js';

describe('parseQuickBooksError', () => {
  it('maps 429 ThrottleExceeded to rate_limited with Retry-After in milliseconds', () => {
    const e = parseQuickBooksError({ status: 429, body: FAULTS.throttled, headers: { 'Retry-After': '17' } });
    expect(e).toBeInstanceOf(FinanceError);
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBe(17_000);
    expect(e.retryable).toBe(true);
    expect(e.vendorMessage).toContain('The request limit was reached.');
  });

  it('waits a minute when QuickBooks throttles without Retry-After (its limit is per minute)', () => {
    expect(parseQuickBooksError({ status: 429, body: FAULTS.throttled }).retryAfterMs).toBe(DEFAULT_THROTTLE_WAIT_MS);
    // ThrottlingFault inside another status still counts
    expect(parseQuickBooksError({ status: 400, body: FAULTS.throttled }).kind).toBe('rate_limited');
  });

  it('reads an HTTP-date Retry-After', () => {
    const now = new Date('2026-03-21T10:00:00Z');
    const e = parseQuickBooksError({
      status: 429,
      body: null,
      headers: new Headers({ 'retry-after': 'Sat, 21 Mar 2026 10:00:30 GMT' }),
      now,
    });
    expect(e.retryAfterMs).toBe(30_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it("maps the gateway's lower-case 401 to auth, keeping its message", () => {
    const e = parseQuickBooksError({ status: 401, body: AUTH_FAULT });
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.vendorMessage).toContain('AuthenticationFailed');
    expect(e.vendorMessage).toContain('Token expired');
  });

  it('maps 403 AuthorizationFault to auth', () => {
    const body = {
      Fault: {
        Error: [{ Message: 'message=ApplicationAuthorizationFailed', code: '3100' }],
        type: 'AuthorizationFault',
      },
    };
    expect(parseQuickBooksError({ status: 403, body }).kind).toBe('auth');
  });

  it('maps 6240 duplicate name and 5010 stale object to conflict, with the codes on the cause', () => {
    const dup = parseQuickBooksError({ status: 400, body: FAULTS.duplicateName });
    expect(dup.kind).toBe('conflict');
    expect(dup.vendorMessage).toBe(
      'Duplicate Name Exists Error (code 6240): The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
    );
    expect(quickBooksFaultCodes(dup)).toEqual(['6240']);
    expect(parseQuickBooksError({ status: 400, body: FAULTS.staleObject }).kind).toBe('conflict');
  });

  it('maps 610 object not found and 404 to not_found', () => {
    expect(parseQuickBooksError({ status: 400, body: FAULTS.objectNotFound }).kind).toBe('not_found');
    expect(parseQuickBooksError({ status: 404, body: undefined, rawText: '<html>Not Found</html>' }).kind).toBe(
      'not_found',
    );
  });

  it('maps ValidationFault to validation, keeping Message and Detail', () => {
    const e = parseQuickBooksError({ status: 400, body: FAULTS.requiredParamMissing });
    expect(e.kind).toBe('validation');
    expect(e.retryable).toBe(false);
    expect(e.vendorMessage).toContain('Required param missing');
    expect(e.vendorMessage).toContain('Line.Amount');
  });

  it('maps 5xx and SystemFault to temporary, also when the body is a proxy page', () => {
    expect(parseQuickBooksError({ status: 500, body: FAULTS.system }).kind).toBe('temporary');
    const e = parseQuickBooksError({ status: 503, body: undefined, rawText: '<html>Service Unavailable</html>' });
    expect(e.kind).toBe('temporary');
    expect(e.vendorMessage).toBe('HTTP 503: <html>Service Unavailable</html>');
  });

  it('maps anything else to unknown', () => {
    expect(parseQuickBooksError({ status: 409, body: {} }).kind).toBe('unknown');
    expect(quickBooksFaultCodes(new Error('x'))).toEqual([]);
  });
});
