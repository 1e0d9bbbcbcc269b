import { DEFAULT_BASE_PATH, unlimitedSdkClient } from './client.js';
import { HubSpotError } from './errors.js';
import { type RetryPolicy, withHubSpotRetry } from './retry.js';

/**
 * Installing the app in a portal (OAuth 2 authorization code) and keeping its tokens fresh, through the SDK's
 * oauth APIs (POST /oauth/v1/token, form-encoded; GET /oauth/v1/access-tokens/{token}).
 */

/**
 * Only what the app uses; each scope is required by an endpoint client.ts calls (per HubSpot's OpenAPI specs):
 * - `oauth`: every OAuth app must request it.
 * - `crm.objects.deals.read` / `.write`: read deals, pipelines and associations; move a deal's stage and write
 *   handoff and billing status back.
 * - `crm.objects.companies.read` / `.write`: read billing entities; write receivables, risk and finance ids.
 * - `crm.objects.contacts.read`: the billing contact. `crm.objects.contacts.write`: HubSpot's notes and tasks
 *   endpoints (the gate's note and task for the owner) accept only this scope.
 * - `crm.objects.line_items.read`: the deal's products for the billing preview.
 * - `crm.schemas.deals.write` / `crm.schemas.companies.write`: create our property group and `rh_` properties.
 * - `e-commerce`: create our line item properties (`rh_tax_code`, `rh_tax_inclusive`); HubSpot has no
 *   `crm.schemas.line_items.write`, its properties API takes `e-commerce` for line items.
 * Not requested: tickets, owners (tasks take the deal's hubspot_owner_id as is), contact schemas (contacts use
 * standard properties only).
 */
export const SCOPES = [
  'oauth',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.line_items.read',
  'crm.schemas.deals.write',
  'crm.schemas.companies.write',
  'e-commerce',
] as const;

export type HubSpotScope = (typeof SCOPES)[number];

export const AUTHORIZE_URL = 'https://app.hubspot.com/oauth/authorize';

export interface HubSpotTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  /** The portal (hub id), when HubSpot includes it in the token response; else ask accessTokenInfo. */
  portalId?: number;
}

export interface AccessTokenInfo {
  portalId: number;
  scopes: string[];
  appId: number;
  userId: number | undefined;
  hubDomain: string | undefined;
  /** When the token stops working, from `expires_in`. */
  expiresAt: Date;
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** https://api.hubapi.com by default; the sandbox URL in tests and the demo. */
  basePath?: string;
  retry?: Partial<RetryPolicy>;
  /** Clock for `expiresAt`; injectable for tests. */
  now?: () => Date;
}

/**
 * The URL that sends an admin to HubSpot to install the app. `state` binds the callback to the session.
 * @example installUrl({ clientId: 'abc', redirectUri: 'https://app.example.com/oauth/hubspot/callback', state: 's1' })
 */
export function installUrl(input: {
  clientId: string;
  redirectUri: string;
  state: string;
  scopes?: readonly string[];
  optionalScopes?: readonly string[];
}): string {
  const scopes = input.scopes ?? SCOPES;
  const optional = input.optionalScopes && input.optionalScopes.length > 0 ? input.optionalScopes.join(' ') : undefined;
  const url = unlimitedSdkClient().oauth.getAuthorizationUrl(
    input.clientId,
    input.redirectUri,
    scopes.join(' '),
    optional,
    input.state,
  );
  if (!url.startsWith(`${AUTHORIZE_URL}?`)) throw new Error(`unexpected HubSpot authorize URL ${url}`);
  return url;
}

interface RawTokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  hub_id?: unknown;
}

async function requestTokens(
  grant: 'authorization_code' | 'refresh_token',
  params: { code?: string; redirectUri?: string; refreshToken?: string },
  credentials: ClientCredentials,
): Promise<HubSpotTokens> {
  const sdk = unlimitedSdkClient(credentials.basePath ?? DEFAULT_BASE_PATH);
  const operation = grant === 'authorization_code' ? 'OAuth code exchange' : 'OAuth token refresh';
  const info = await withHubSpotRetry(
    () =>
      sdk.oauth.tokensApi.createWithHttpInfo(
        grant,
        params.code,
        params.redirectUri,
        credentials.clientId,
        credentials.clientSecret,
        params.refreshToken,
      ),
    // A code works once: if HubSpot used it and the answer got lost, a retry could only fail. A refresh is repeatable.
    { operation, idempotent: grant === 'refresh_token', policy: credentials.retry },
  );
  // The SDK's token model drops `hub_id`; the raw body still has it.
  const raw = JSON.parse(await info.body.text()) as RawTokenResponse;
  const accessToken = raw.access_token;
  const refreshToken = raw.refresh_token ?? params.refreshToken;
  const expiresIn = raw.expires_in;
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || typeof expiresIn !== 'number') {
    throw new HubSpotError('unknown', 'token response lacks access_token, refresh_token or expires_in', {
      status: info.httpStatusCode,
      operation,
    });
  }
  const now = (credentials.now ?? (() => new Date()))();
  return {
    accessToken,
    refreshToken,
    expiresAt: new Date(now.getTime() + expiresIn * 1000),
    ...(typeof raw.hub_id === 'number' ? { portalId: raw.hub_id } : {}),
  };
}

/**
 * Exchanges the `code` HubSpot sent to the redirect URI for tokens.
 * @example const tokens = await exchangeCode({ clientId, clientSecret, redirectUri, code: req.query.code });
 */
export function exchangeCode(input: ClientCredentials & { code: string; redirectUri: string }): Promise<HubSpotTokens> {
  return requestTokens('authorization_code', { code: input.code, redirectUri: input.redirectUri }, input);
}

/**
 * Gets a new access token with the refresh token (HubSpot keeps the refresh token; we store whatever comes back).
 * @example const tokens = await refreshTokens({ clientId, clientSecret, refreshToken: stored.refreshToken });
 */
export function refreshTokens(input: ClientCredentials & { refreshToken: string }): Promise<HubSpotTokens> {
  return requestTokens('refresh_token', { refreshToken: input.refreshToken }, input);
}

/**
 * What an access token is for: the portal (hub id) it works in, its scopes, the app. Used on install to learn the
 * portal id and to check that the admin granted every scope.
 * @example const { portalId, scopes } = await accessTokenInfo(tokens.accessToken);
 */
export async function accessTokenInfo(
  accessToken: string,
  options: { basePath?: string; retry?: Partial<RetryPolicy>; now?: () => Date } = {},
): Promise<AccessTokenInfo> {
  const sdk = unlimitedSdkClient(options.basePath ?? DEFAULT_BASE_PATH);
  const info = await withHubSpotRetry(() => sdk.oauth.accessTokensApi.get(accessToken), {
    operation: 'OAuth access-token metadata',
    idempotent: true,
    policy: options.retry,
  });
  const now = (options.now ?? (() => new Date()))();
  return {
    portalId: info.hubId,
    scopes: [...info.scopes],
    appId: info.appId,
    userId: info.userId ?? undefined,
    hubDomain: info.hubDomain ?? undefined,
    expiresAt: new Date(now.getTime() + info.expiresIn * 1000),
  };
}

/**
 * Scopes in `required` that `granted` lacks (an admin may deselect optional ones, or an old install may predate one).
 * @example missingScopes(['oauth']) // the other nine of SCOPES
 */
export function missingScopes(granted: readonly string[], required: readonly string[] = SCOPES): string[] {
  const have = new Set(granted);
  return required.filter((s) => !have.has(s));
}
