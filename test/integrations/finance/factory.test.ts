import { describe, expect, it } from '@jest/globals';
import { causeOf, DEFAULT_FINANCE_RETRY, retryDelay } from '../../../src/integrations/finance/factory.js';
import { FinanceError } from '../../../src/integrations/finance/port.js';
import { RateBudgetExhausted } from '../../../src/jobs/rate-limit.js';
import { ReconnectNeeded } from '../../../src/store/tokens.js';

const policy = { ...DEFAULT_FINANCE_RETRY, minBackoffMs: 1_000, maxBackoffMs: 30_000, retries: 3, rateLimitRetries: 2 };
const first = { temporary: 1, rateLimited: 0 };

describe('the finance retry policy', () => {
  it('backs off exponentially with jitter between half and all of the step on temporary failures', () => {
    const e = new FinanceError('quickbooks', 'temporary', 'Service unavailable', { status: 503 });
    expect(retryDelay(e, { temporary: 1, rateLimited: 0 }, policy, () => 0)).toBe(500);
    expect(retryDelay(e, { temporary: 1, rateLimited: 0 }, policy, () => 1)).toBe(1_000);
    expect(retryDelay(e, { temporary: 2, rateLimited: 0 }, policy, () => 1)).toBe(2_000);
    expect(retryDelay(e, { temporary: 3, rateLimited: 0 }, policy, () => 0.5)).toBe(3_000);
  });

  it('gives up on temporary failures after the configured retries', () => {
    const e = new FinanceError('xero', 'temporary', 'Bad gateway', { status: 502 });
    expect(retryDelay(e, { temporary: 4, rateLimited: 0 }, policy)).toBeNull();
  });

  it('waits at least what Retry-After asks on a 429, and the backoff when that is longer', () => {
    const asked = new FinanceError('xero', 'rate_limited', 'Too many', { status: 429, retryAfterMs: 7_000 });
    expect(retryDelay(asked, { temporary: 0, rateLimited: 1 }, policy, () => 1)).toBe(7_000);
    const small = new FinanceError('xero', 'rate_limited', 'Too many', { status: 429, retryAfterMs: 10 });
    expect(retryDelay(small, { temporary: 0, rateLimited: 2 }, policy, () => 1)).toBe(2_000);
    const silent = new FinanceError('stripe', 'rate_limited', 'Too many', { status: 429 });
    expect(retryDelay(silent, { temporary: 0, rateLimited: 1 }, policy, () => 0)).toBe(policy.defaultRetryAfterMs);
  });

  it('caps one Retry-After wait and stops after the allowed 429s in a row', () => {
    const huge = new FinanceError('quickbooks', 'rate_limited', 'Throttled', { retryAfterMs: 3_600_000 });
    expect(retryDelay(huge, { temporary: 0, rateLimited: 1 }, policy, () => 1)).toBe(policy.maxRetryAfterMs);
    expect(retryDelay(huge, { temporary: 0, rateLimited: 3 }, policy)).toBeNull();
  });

  it.each(['auth', 'validation', 'conflict', 'not_found', 'unknown'] as const)('never retries %s errors', (kind) => {
    expect(retryDelay(new FinanceError('quickbooks', kind, 'no'), first, policy)).toBeNull();
  });

  it('never retries a spent shared budget or a refused refresh, whatever kind wraps them', () => {
    const budget = new FinanceError('xero', 'temporary', 'could not reach Xero', {
      cause: new RateBudgetExhausted('xero:t', 60_000),
    });
    expect(retryDelay(budget, first, policy)).toBeNull();
    const reconnect = new FinanceError('quickbooks', 'auth', 'no token', {
      cause: new ReconnectNeeded({ table: 'finance_connections', portalId: 1, system: 'quickbooks' }, 'invalid_grant'),
    });
    expect(causeOf(reconnect, ReconnectNeeded)?.reason).toBe('invalid_grant');
    expect(retryDelay(new Error('a bug'), first, policy)).toBeNull();
  });
});
