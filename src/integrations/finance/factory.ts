import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { financeSystemName } from '../../core/finance-systems.js';
import {
  type Acquired,
  acquire,
  RateBudgetExhausted,
  type RateLimitSpec,
  VENDOR_LIMITS,
} from '../../jobs/rate-limit.js';
import type { Db } from '../../store/db.js';
import { type FinanceConnection, financeStore } from '../../store/finance-store.js';
import type { SecretBox } from '../../store/secrets.js';
import { accessToken, expireAccessToken, ReconnectNeeded, type TokenOwner, tokenContext } from '../../store/tokens.js';
import {
  FinanceError,
  type FinanceOAuth,
  type FinanceSystem,
  type FinanceSystemId,
  type FinanceWebhookVerifier,
} from './port.js';
import {
  createQuickBooksFinanceSystem,
  createQuickBooksOAuth,
  createQuickBooksWebhookVerifier,
} from './quickbooks/index.js';
import { createStripeFinanceSystem, createStripeWebhookVerifier, isLiveKey, stripeFromKey } from './stripe/index.js';
import { createXeroFinanceSystem, createXeroOAuth, createXeroWebhookVerifier, type XeroOAuth } from './xero/index.js';

/**
 * One factory for every finance system: it picks the adapter for a portal's connection row, hands it tokens from
 * the vault (refreshed single-flight under a row lock; Stripe's API key is the stored "access token"), sends every
 * HTTP request through the tenant's rate budget held in the database (shared by all workers), and retries each
 * port call under ONE policy:
 * - rate_limited → wait max(Retry-After, backoff), up to `rateLimitRetries` times in a row;
 * - temporary → exponential backoff with full jitter, up to `retries` times;
 * - auth: a 401 on an OAuth access token we hold as valid (revoked or expired early at the vendor) → mark it expired,
 *   refresh single-flight and retry once at once; a second refusal, or a refused refresh, → "reconnect";
 * - validation, conflict, not_found, unknown → no retry (a person has to act, or we do not understand).
 * Every retry is recorded as a `finance_retry` metric fact (and passed to `onRetry`), so tests and the admin page
 * can count them.
 *
 * Why the budget sits on fetch rather than on port calls: one port call can be several requests (a QuickBooks
 * lookup by email, then name, then a reference scan), and the vendor counts requests.
 */

export interface FinanceRetryPolicy {
  /** Further attempts after a temporary failure (5xx, network). */
  retries: number;
  /** 429s waited out in a row before giving up (the job is then retried later by the queue). */
  rateLimitRetries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Wait after a 429 that names no Retry-After. */
  defaultRetryAfterMs: number;
  /** Never wait longer than this for one Retry-After; longer waits are the queue's job. */
  maxRetryAfterMs: number;
}

export const DEFAULT_FINANCE_RETRY: FinanceRetryPolicy = {
  retries: 4,
  rateLimitRetries: 6,
  minBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  defaultRetryAfterMs: 5_000,
  maxRetryAfterMs: 120_000,
};

/** Vendor endpoints and app credentials; every URL defaults to the vendor's production one. */
export interface FinanceConfig {
  quickbooks?: {
    clientId: string;
    clientSecret: string;
    /** Our callback, e.g. https://app.example.com/oauth/quickbooks/callback. */
    redirectUri: string;
    apiBaseUrl?: string;
    authorizeUrl?: string;
    tokenUrl?: string;
    /** Intuit developer portal → Webhooks → verifier token. */
    webhookVerifierToken?: string;
    homeCurrency?: string;
    itemRef?: { value: string; name?: string };
    poCustomField?: { definitionId: string; name?: string };
  };
  xero?: {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    apiBaseUrl?: string;
    authorizeUrl?: string;
    tokenUrl?: string;
    connectionsUrl?: string;
    /** Xero developer portal → Webhooks → key. */
    webhookKey?: string;
    salesAccountCode?: string;
  };
  stripe?: {
    apiBaseUrl?: string;
    /** Signing secret of an app-wide endpoint (POST /webhooks/stripe); per-connection secrets need none. */
    webhookSecret?: string;
    /** Tenant id the app-wide endpoint's events belong to when they carry no `account`. */
    accountId?: string;
    poFieldName?: string;
  };
  retry?: Partial<FinanceRetryPolicy>;
  /** Lower budgets (tests, a shared sandbox); default VENDOR_LIMITS. */
  limits?: Partial<Record<FinanceSystemId, (tenantId: string) => RateLimitSpec>>;
  /** How long one request may wait for the shared budget before the call fails and the job is retried later. */
  maxBudgetWaitMs?: number;
  /** Sleep between retries (tests shorten it; the recorded wait stays the real one). */
  sleep?: (ms: number) => Promise<void>;
  /** Called for every HTTP request granted by the budget, with the budget's key (e.g. `quickbooks:<realm>`): the
   * backfill counts the calls it used this way. */
  onRequest?: (budgetKey: string) => void;
  random?: () => number;
  now?: () => Date;
}

/** One retry as recorded. */
export interface FinanceRetry {
  system: FinanceSystemId;
  tenantId: string;
  operation: string;
  kind: string;
  /** The attempt that failed, 1-based. */
  attempt: number;
  waitMs: number;
  retryAfterMs: number | null;
  message: string;
  subject: string;
}

/** The portal has no usable finance connection; a person must connect (or reconnect) in the app settings. */
export class FinanceNotConnected extends Error {
  constructor(
    readonly portalId: number,
    readonly reason: 'not_connected' | 'reconnect_needed',
    readonly system?: FinanceSystemId,
  ) {
    super(
      reason === 'not_connected'
        ? `No finance system is connected for HubSpot account ${portalId}; connect QuickBooks, Xero or Stripe in the app settings`
        : `${financeSystemName(system ?? 'quickbooks')} needs to be reconnected in the app settings (its authorisation was refused or revoked)`,
    );
    this.name = 'FinanceNotConnected';
  }
}

/** A finance system bound to one portal's connection. */
export interface ConnectedFinance {
  connection: FinanceConnection;
  finance: FinanceSystem;
}

export interface FinanceGatewayDeps {
  db: Db;
  box: SecretBox;
  config: FinanceConfig;
  logger?: Logger;
}

/**
 * The first error of a chain (the error, its `cause`, their causes…) that is an instance of `type`.
 * @example causeOf(e, ReconnectNeeded)?.reason
 */
export function causeOf<T extends Error>(e: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 10 && cur; depth++) {
    if (cur instanceof type) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * How long to wait before retry number `attempt` (1-based) of a failed call, or null when it must not be retried.
 * Pure, so the policy can be tested without a clock: temporary → min·2^(n−1) capped, full jitter (a random point
 * between half and all of it, so workers that failed together do not come back together); rate_limited →
 * max(Retry-After, that backoff).
 * @example retryDelay(new FinanceError('xero', 'rate_limited', 'slow down', { retryAfterMs: 7000 }), 1, DEFAULT_FINANCE_RETRY, () => 0.5) // 7000
 */
export function retryDelay(
  error: unknown,
  attempt: { temporary: number; rateLimited: number },
  policy: FinanceRetryPolicy,
  random: () => number = Math.random,
): number | null {
  if (!(error instanceof FinanceError) || causeOf(error, RateBudgetExhausted) || causeOf(error, ReconnectNeeded)) {
    return null;
  }
  const backoff = (n: number) => {
    const ceiling = Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** Math.max(0, n - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
  if (error.kind === 'temporary') {
    return attempt.temporary <= policy.retries ? backoff(attempt.temporary) : null;
  }
  if (error.kind === 'rate_limited') {
    if (attempt.rateLimited > policy.rateLimitRetries) return null;
    const asked = Math.min(error.retryAfterMs ?? policy.defaultRetryAfterMs, policy.maxRetryAfterMs);
    return Math.max(asked, backoff(attempt.rateLimited));
  }
  return null;
}

/** A 401 on an access token (not a refused refresh, which already says "reconnect"). */
function isRefusedAccessToken(e: unknown): boolean {
  return e instanceof FinanceError && e.kind === 'auth' && e.status === 401 && !causeOf(e, ReconnectNeeded);
}

const PORT_METHODS = [
  'findCustomer',
  'createCustomer',
  'updateCustomer',
  'ensurePaymentTerms',
  'createInvoice',
  'findInvoiceByReference',
  'listInvoices',
  'taxSetup',
  'whoChanged',
  'createEstimate',
  'findEstimateByReference',
  'deleteEstimate',
] as const;

/**
 * The finance gateway: adapters for connections, OAuth clients and webhook verifiers, all from one config.
 * @example const gateway = createFinanceGateway({ db, box, config }); const { finance } = await gateway.forPortal(42);
 */
export function createFinanceGateway(deps: FinanceGatewayDeps) {
  const { db, box, config } = deps;
  const policy: FinanceRetryPolicy = { ...DEFAULT_FINANCE_RETRY, ...config.retry };
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = config.random ?? Math.random;
  const now = config.now ?? (() => new Date());
  const maxBudgetWaitMs = config.maxBudgetWaitMs ?? 120_000;

  const oauthClients = new Map<FinanceSystemId, FinanceOAuth>();
  function oauth(system: 'quickbooks'): FinanceOAuth;
  function oauth(system: 'xero'): XeroOAuth;
  function oauth(system: FinanceSystemId): FinanceOAuth;
  function oauth(system: FinanceSystemId): FinanceOAuth {
    const cached = oauthClients.get(system);
    if (cached) return cached;
    let client: FinanceOAuth;
    if (system === 'quickbooks') {
      const q = config.quickbooks;
      if (!q) throw new Error('QuickBooks is not configured (QUICKBOOKS_CLIENT_ID / QUICKBOOKS_CLIENT_SECRET)');
      client = createQuickBooksOAuth({
        clientId: q.clientId,
        clientSecret: q.clientSecret,
        redirectUri: q.redirectUri,
        ...(q.authorizeUrl ? { authorizeUrl: q.authorizeUrl } : {}),
        ...(q.tokenUrl ? { tokenUrl: q.tokenUrl } : {}),
        now,
      });
    } else if (system === 'xero') {
      const x = config.xero;
      if (!x) throw new Error('Xero is not configured (XERO_CLIENT_ID / XERO_CLIENT_SECRET)');
      client = createXeroOAuth({
        clientId: x.clientId,
        clientSecret: x.clientSecret,
        redirectUri: x.redirectUri,
        ...(x.authorizeUrl ? { authorizeUrl: x.authorizeUrl } : {}),
        ...(x.tokenUrl ? { tokenUrl: x.tokenUrl } : {}),
        ...(x.connectionsUrl ? { connectionsUrl: x.connectionsUrl } : {}),
        now,
      });
    } else {
      throw new Error('Stripe connects with an API key, not OAuth');
    }
    oauthClients.set(system, client);
    return client;
  }

  /** The webhook verifier of a vendor's app-wide endpoint, or null when its secret is not configured. */
  function verifier(system: FinanceSystemId): FinanceWebhookVerifier | null {
    if (system === 'quickbooks') {
      const token = config.quickbooks?.webhookVerifierToken;
      return token ? createQuickBooksWebhookVerifier(token) : null;
    }
    if (system === 'xero') {
      const key = config.xero?.webhookKey;
      return key ? createXeroWebhookVerifier({ webhookKey: key }) : null;
    }
    const secret = config.stripe?.webhookSecret;
    return secret
      ? createStripeWebhookVerifier({
          secret,
          ...(config.stripe?.accountId ? { accountId: config.stripe.accountId } : {}),
        })
      : null;
  }

  function budgetOf(connection: FinanceConnection, live: boolean): RateLimitSpec {
    // Stripe keys connected without an account id share the placeholder tenant 'stripe'; their budgets must not.
    const tenant =
      connection.system === 'stripe' && connection.tenantId === 'stripe'
        ? `portal-${connection.portalId}`
        : connection.tenantId;
    const custom = config.limits?.[connection.system];
    if (custom) return custom(tenant);
    return connection.system === 'stripe'
      ? VENDOR_LIMITS.stripe(tenant, live)
      : VENDOR_LIMITS[connection.system](tenant);
  }

  /** fetch that takes one call from the tenant's shared budget per request and holds a concurrency lease until the body is read. */
  function budgetedFetch(spec: RateLimitSpec): typeof fetch {
    const limited = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const deadline = Date.now() + maxBudgetWaitMs;
      let lease: Acquired;
      for (;;) {
        lease = await acquire(db, spec);
        if (lease.granted) break;
        if (Date.now() + lease.retryAfterMs > deadline) throw new RateBudgetExhausted(spec.key, lease.retryAfterMs);
        // Real time: the budget lives in the database clock, not in the (test-shortened) retry sleep.
        await new Promise<void>((r) => setTimeout(r, lease.granted ? 0 : lease.retryAfterMs));
      }
      config.onRequest?.(spec.key);
      try {
        const res = await globalThis.fetch(input, init);
        const empty = [101, 204, 205, 304].includes(res.status) || init?.method === 'HEAD';
        const body = empty ? null : await res.arrayBuffer();
        return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
      } finally {
        await lease.release();
      }
    };
    return limited as typeof fetch;
  }

  function owner(connection: FinanceConnection): TokenOwner {
    return { table: 'finance_connections', portalId: connection.portalId, system: connection.system };
  }

  /**
   * The vault's token getter, with a refused refresh turned into an `auth` FinanceError that says "reconnect", and
   * `expireLast` to give back the last token handed out when the vendor refused it.
   */
  function tokenGetter(connection: FinanceConnection): { get: () => Promise<string>; expireLast: () => Promise<void> } {
    const system = connection.system;
    const refresh = async (refreshToken: string) => {
      const t = await oauth(system).refresh(refreshToken);
      return {
        accessToken: t.accessToken,
        ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
        expiresAt: t.expiresAt,
        ...(t.refreshExpiresAt ? { refreshExpiresAt: t.refreshExpiresAt } : {}),
      };
    };
    let last: string | undefined;
    const get = async () => {
      try {
        last = await accessToken(db, box, owner(connection), refresh, now);
        return last;
      } catch (e) {
        if (e instanceof ReconnectNeeded) {
          throw new FinanceError(
            system,
            'auth',
            `${financeSystemName(system)} refused our authorisation (${e.reason}); reconnect ${financeSystemName(system)} in the app settings`,
            { cause: e },
          );
        }
        throw e;
      }
    };
    const expireLast = async () => {
      if (last !== undefined) await expireAccessToken(db, box, owner(connection), last);
    };
    return { get, expireLast };
  }

  async function stripeKey(connection: FinanceConnection): Promise<string> {
    const [row] = await db.query<{ access_token_enc: string | null }>(
      'SELECT access_token_enc FROM finance_connections WHERE portal_id = $1 AND system = $2',
      [connection.portalId, 'stripe'],
    );
    if (!row?.access_token_enc) throw new FinanceNotConnected(connection.portalId, 'reconnect_needed', 'stripe');
    return box.decrypt(row.access_token_enc, tokenContext(owner(connection), 'access'));
  }

  /** The adapter of a connection, and how to give back an OAuth access token the vendor refused (none for Stripe keys). */
  async function adapterFor(
    connection: FinanceConnection,
  ): Promise<{ inner: FinanceSystem; expireToken?: () => Promise<void> }> {
    if (connection.system === 'quickbooks') {
      const q = config.quickbooks;
      const token = tokenGetter(connection);
      const inner = createQuickBooksFinanceSystem({
        realmId: connection.tenantId,
        accessToken: token.get,
        fetch: budgetedFetch(budgetOf(connection, true)),
        ...(q?.apiBaseUrl ? { baseUrl: q.apiBaseUrl } : {}),
        ...(q?.homeCurrency ? { homeCurrency: q.homeCurrency } : {}),
        ...(q?.itemRef ? { itemRef: q.itemRef } : {}),
        ...(q?.poCustomField ? { poCustomField: q.poCustomField } : {}),
        now,
      });
      return { inner, expireToken: token.expireLast };
    }
    if (connection.system === 'xero') {
      const x = config.xero;
      const token = tokenGetter(connection);
      const inner = createXeroFinanceSystem({
        tenantId: connection.tenantId,
        accessToken: token.get,
        fetch: budgetedFetch(budgetOf(connection, true)),
        ...(x?.apiBaseUrl ? { baseUrl: x.apiBaseUrl } : {}),
        ...(x?.salesAccountCode ? { salesAccountCode: x.salesAccountCode } : {}),
      });
      return { inner, expireToken: token.expireLast };
    }
    const key = await stripeKey(connection);
    const live = isLiveKey(key);
    const stripe = stripeFromKey(key, {
      ...(config.stripe?.apiBaseUrl ? { baseUrl: config.stripe.apiBaseUrl } : {}),
      fetch: budgetedFetch(budgetOf(connection, live)),
    });
    const inner = createStripeFinanceSystem({
      stripe,
      livemode: live,
      ...(config.stripe?.poFieldName ? { poFieldName: config.stripe.poFieldName } : {}),
      now,
    });
    return { inner };
  }

  /** Wraps every port method in the retry policy, recording each retry. */
  function withRetries(
    inner: FinanceSystem,
    connection: FinanceConnection,
    options: { subject?: string; onRetry?: (r: FinanceRetry) => void },
    expireToken?: () => Promise<void>,
  ): FinanceSystem {
    const store = financeStore(db, connection.portalId);
    const subject = options.subject ?? `${connection.system}:${connection.tenantId}`;
    const wrapped = { ...inner } as FinanceSystem;
    for (const name of PORT_METHODS) {
      const method = inner[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      if (!method) continue;
      (wrapped as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        const attempts = { temporary: 0, rateLimited: 0, unauthorized: 0 };
        return pRetry(() => method.apply(inner, args), {
          retries: policy.retries + policy.rateLimitRetries + 2,
          minTimeout: 0,
          onFailedAttempt: async ({ error, attemptNumber }) => {
            const e = error as unknown;
            if (e instanceof FinanceError && e.kind === 'temporary') attempts.temporary++;
            if (e instanceof FinanceError && e.kind === 'rate_limited') attempts.rateLimited++;
            const refused = expireToken && attempts.unauthorized === 0 && isRefusedAccessToken(e);
            if (refused) {
              attempts.unauthorized++;
              await expireToken();
            }
            const wait = refused ? 0 : retryDelay(e, attempts, policy, random);
            if (wait === null) throw e;
            const fe = e as FinanceError;
            const retry: FinanceRetry = {
              system: connection.system,
              tenantId: connection.tenantId,
              operation: name,
              kind: fe.kind,
              attempt: attemptNumber,
              waitMs: wait,
              retryAfterMs: fe.retryAfterMs ?? null,
              message: fe.vendorMessage,
              subject,
            };
            deps.logger?.warn(
              { retry },
              `${financeSystemName(connection.system)} ${name} failed (${fe.kind}); retrying`,
            );
            options.onRetry?.(retry);
            await store.facts.append('finance_retry', subject, now(), { ...retry });
            if (wait > 0) await sleep(wait);
          },
        });
      };
    }
    return wrapped;
  }

  /**
   * The finance system of a portal's connection (the named system's, or the active one), ready to call.
   * Throws FinanceNotConnected when there is none or it needs reconnecting.
   */
  async function forPortal(
    portalId: number,
    options: { system?: FinanceSystemId; subject?: string; onRetry?: (r: FinanceRetry) => void } = {},
  ): Promise<ConnectedFinance> {
    const connection = await financeStore(db, portalId).connections.active(options.system);
    if (!connection) throw new FinanceNotConnected(portalId, 'not_connected', options.system);
    if (connection.status === 'reconnect_needed') {
      throw new FinanceNotConnected(portalId, 'reconnect_needed', connection.system);
    }
    const { inner, expireToken } = await adapterFor(connection);
    return { connection, finance: withRetries(inner, connection, options, expireToken) };
  }

  return { forPortal, oauth, verifier, config, policy };
}

export type FinanceGateway = ReturnType<typeof createFinanceGateway>;
