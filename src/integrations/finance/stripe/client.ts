/**
 * The Stripe SDK client as this app configures it. Stripe uses secret API keys (no OAuth for a single account), so
 * a connection is a key; `stripeFromKey` is the one place a client is built.
 * - `maxNetworkRetries: 0`: retry policy lives in our job layer (FinanceError.retryable + retryAfterMs), and a
 *   second layer of retries here would multiply attempts and hide rate limits.
 * - The fetch HTTP client, calling the global fetch on every request (the SDK would otherwise capture the function
 *   once at construction, before msw installs its interceptor in tests).
 * - `baseUrl` points the SDK at the sandbox for the demo (host, port and protocol are SDK settings).
 */
import Stripe from 'stripe';

export interface StripeClientOptions {
  /** e.g. `http://127.0.0.1:4010` for the sandbox served by the demo; default https://api.stripe.com. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Default: the global fetch, looked up on every call. */
  fetch?: typeof fetch;
}

/**
 * Whether a key is a live-mode key (`sk_live_…`, `rk_live_…`); test keys and anything else are test mode.
 * @example isLiveKey('sk_test_123') // false
 */
export function isLiveKey(secretKey: string): boolean {
  return /^(sk|rk)_live_/.test(secretKey);
}

/**
 * A Stripe client for one account's secret (or restricted) key.
 * @example const stripe = stripeFromKey(process.env.STRIPE_SECRET_KEY!, { baseUrl: sandboxUrl });
 */
export function stripeFromKey(secretKey: string, options: StripeClientOptions = {}): Stripe {
  const late = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
    globalThis.fetch(input, init)) as typeof fetch;
  const config: ConstructorParameters<typeof Stripe>[1] = {
    maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient(options.fetch ?? late),
    telemetry: false,
    timeout: options.timeoutMs ?? 30_000,
    appInfo: { name: 'Revenue Handoff' },
  };
  if (options.baseUrl) {
    const url = new URL(options.baseUrl);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    Object.assign(config, { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol });
  }
  return new Stripe(secretKey, config);
}
