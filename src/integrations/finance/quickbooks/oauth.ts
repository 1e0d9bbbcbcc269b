import { FinanceError, type FinanceOAuth, type TokenSet } from '../port.js';
import { parseQuickBooksError } from './parse-quickbooks-error.js';
import { QBO_LENIENT } from './schemas.js';

/**
 * OAuth 2.0 for QuickBooks Online with plain fetch (no intuit-oauth dependency: two form posts do not need one).
 * - consent at appcenter.intuit.com/connect/oauth2 with scope com.intuit.quickbooks.accounting; the callback
 *   carries `code`, `state` and `realmId` — pass the realmId to exchangeCode as `extra.realmId`;
 * - tokens at oauth.platform.intuit.com/oauth2/v1/tokens/bearer, HTTP Basic client id:secret, form body;
 * - access tokens last an hour; refresh tokens 100 days (`x_refresh_token_expires_in`) and rotate: each refresh
 *   may return a new refresh token, and only the newest is safe to keep.
 */

export const QUICKBOOKS_AUTHORIZE_URL = 'https://appcenter.intuit.com/connect/oauth2';
export const QUICKBOOKS_TOKEN_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';
export const QUICKBOOKS_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

const HOUR_S = 3600;
const HUNDRED_DAYS_S = 100 * 24 * 3600;

export interface QuickBooksOAuthOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes?: string[];
  authorizeUrl?: string;
  tokenUrl?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * The QuickBooks FinanceOAuth: authorize URL, code exchange (tenantId = the callback's realmId), rotating refresh.
 * @example const oauth = createQuickBooksOAuth({ clientId, clientSecret, redirectUri }); res.redirect(oauth.authorizeUrl(state));
 */
export function createQuickBooksOAuth(options: QuickBooksOAuthOptions): FinanceOAuth {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');

  async function tokenRequest(form: Record<string, string>, realmId: string | undefined): Promise<TokenSet> {
    let response: Response;
    try {
      response = await doFetch(options.tokenUrl ?? QUICKBOOKS_TOKEN_URL, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form).toString(),
      });
    } catch (e) {
      throw new FinanceError('quickbooks', 'temporary', `could not reach Intuit's token endpoint: ${String(e)}`, {
        cause: e,
      });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const oauthError = QBO_LENIENT.OAuthError.safeParse(body);
      // invalid_grant: the code or refresh token is spent, expired or revoked → the admin must reconnect.
      if (oauthError.success && response.status < 500 && response.status !== 429) {
        const { error, error_description } = oauthError.data;
        throw new FinanceError('quickbooks', 'auth', error_description ? `${error}: ${error_description}` : error, {
          status: response.status,
        });
      }
      throw parseQuickBooksError({ status: response.status, body, headers: response.headers, rawText: text });
    }
    const parsed = QBO_LENIENT.TokenResponse.safeParse(body);
    if (!parsed.success) {
      throw new FinanceError('quickbooks', 'unknown', "Intuit's token endpoint answered without the expected tokens", {
        status: response.status,
        cause: parsed.error,
      });
    }
    const t = parsed.data;
    const at = now().getTime();
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(at + (t.expires_in || HOUR_S) * 1000),
      refreshExpiresAt: new Date(at + (t.x_refresh_token_expires_in || HUNDRED_DAYS_S) * 1000),
      ...(realmId ? { tenantId: realmId } : {}),
    };
  }

  return {
    authorizeUrl(state: string) {
      const url = new URL(options.authorizeUrl ?? QUICKBOOKS_AUTHORIZE_URL);
      url.searchParams.set('client_id', options.clientId);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', (options.scopes ?? [QUICKBOOKS_ACCOUNTING_SCOPE]).join(' '));
      url.searchParams.set('redirect_uri', options.redirectUri);
      url.searchParams.set('state', state);
      return url.toString();
    },

    async exchangeCode(code: string, extra?: Record<string, string>) {
      const realmId = extra?.realmId;
      if (!realmId) {
        throw new FinanceError(
          'quickbooks',
          'validation',
          'the QuickBooks callback carries realmId (the company id); pass it as extra.realmId',
        );
      }
      return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri }, realmId);
    },

    async refresh(refreshToken: string) {
      return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, undefined);
    },
  };
}
