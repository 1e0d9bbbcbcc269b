import { describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import { parseStripeError } from '../../../../src/integrations/finance/stripe/parse-stripe-error.js';

// The SDK's own error factory, fed the raw error bodies Stripe answers.
const sdk = (raw: Record<string, unknown>) => Stripe.errors.StripeError.generate(raw as never);

describe('parseStripeError', () => {
  it('429 → rate_limited; 1 s without Retry-After, the header when Stripe sends one', () => {
    const e = parseStripeError(
      sdk({ statusCode: 429, type: 'invalid_request_error', code: 'rate_limit', message: 'Slow down' }),
    );
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000, status: 429, vendorMessage: 'Slow down' });
    const withHeader = sdk({ statusCode: 429, message: 'x', headers: { 'retry-after': '3' } });
    expect(parseStripeError(withHeader).retryAfterMs).toBe(3000);
  });

  it('401 and 403 → auth', () => {
    expect(
      parseStripeError(sdk({ statusCode: 401, message: 'Invalid API Key provided: sk_test_****1234' })),
    ).toMatchObject({
      kind: 'auth',
      vendorMessage: 'Invalid API Key provided: sk_test_****1234',
    });
    expect(parseStripeError(sdk({ statusCode: 403, message: 'The key lacks permission' })).kind).toBe('auth');
  });

  it('404 resource_missing → not_found; 400 → validation naming the parameter', () => {
    expect(
      parseStripeError(
        sdk({ statusCode: 404, code: 'resource_missing', message: "No such customer: 'cus_x'", param: 'id' }),
      ),
    ).toMatchObject({ kind: 'not_found', vendorMessage: "No such customer: 'cus_x'" });
    expect(
      parseStripeError(
        sdk({ statusCode: 400, type: 'invalid_request_error', message: 'Invalid integer: abc', param: 'amount' }),
      ),
    ).toMatchObject({ kind: 'validation', vendorMessage: 'Invalid integer: abc (amount)', retryable: false });
  });

  it('idempotency_error (same key, other parameters) → conflict; 409 key in use → temporary', () => {
    expect(
      parseStripeError(sdk({ statusCode: 400, type: 'idempotency_error', message: 'Keys for idempotent…' })).kind,
    ).toBe('conflict');
    expect(
      parseStripeError(
        sdk({ statusCode: 409, type: 'invalid_request_error', code: 'idempotency_key_in_use', message: 'busy' }),
      ).kind,
    ).toBe('temporary');
  });

  it('5xx and connection errors → temporary', () => {
    expect(parseStripeError(sdk({ statusCode: 500, type: 'api_error', message: 'boom' })).kind).toBe('temporary');
    const connection = new Stripe.errors.StripeConnectionError({
      message: 'An error occurred with our connection to Stripe.',
    });
    expect(parseStripeError(connection)).toMatchObject({ kind: 'temporary', retryable: true });
  });

  it('anything else → unknown; a FinanceError passes through', () => {
    expect(parseStripeError(new Error('odd')).kind).toBe('unknown');
    expect(parseStripeError('odd').kind).toBe('unknown');
    const original = new FinanceError('stripe', 'validation', 'x');
    expect(parseStripeError(original)).toBe(original);
  });
});
