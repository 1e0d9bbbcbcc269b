/**
 * Xero OAuth 2.0 (authorization code flow, confidential client).
 * - Access tokens live 30 minutes; refresh tokens 60 days and ROTATE: each refresh returns a new refresh token and
 *   the old one stops working after a short grace window. Whoever calls refresh() must store the new token before
 *   anything else can refresh (single-flight under a lock, in the token store): two concurrent refreshes with one
 *   token leave one caller holding a dead token.
 * - Which organisation: after the code exchange, `GET https://api.xero.com/connections` lists the tenants the user
 *   connected. Xero's access token is a JWT whose `authentication_event_id` claim, passed as `?authEventId=`, narrows
 *   the list to the tenants connected in this very authorisation (xero-identity.yaml).
 */
import type { FinanceOAuth, TokenSet } from '../port.js';
import { FinanceError } from '../port.js';
import { parseXeroError } from './parse-xero-error.js';
import type { XeroConnection, XeroTokenResponse } from './types.js';

export const XERO_AUTHORIZE_URL = 'https://login.xero.com/identity/connect/authorize';
export const XERO_TOKEN_URL = 'https://identity.xero.com/connect/token';
export const XERO_CONNECTIONS_URL = 'https://api.xero.com/connections';

/** What the adapter needs: offline_access for a refresh token, contacts and invoices read/write, settings read. */
export const XERO_SCOPES = [
  'offline_access',
  'accounting.transactions',
  'accounting.contacts',
  'accounting.settings.read',
] as const;

/** Xero's refresh tokens expire after 60 days unused. */
const REFRESH_LIFETIME_MS = 60 * 24 * 3600 * 1000;

export interface XeroOAuthOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes?: ReadonlyArray<string>;
  /** Overrides for the sandbox / demo (all three default to Xero's real endpoints). */
  authorizeUrl?: string;
  tokenUrl?: string;
  connectionsUrl?: string;
  fetch?: (input: URL, init: RequestInit) => Promise<Response>;
  now?: () => Date;
}

export interface XeroOAuth extends FinanceOAuth {
  /** The organisations this token may reach, optionally only those connected in one authorisation. */
  connections(accessToken: string, authEventId?: string): Promise<XeroConnection[]>;
}

/**
 * The `authentication_event_id` claim of a Xero access token (a JWT), or undefined for an opaque token.
 * @example authEventIdOf(tokens.access_token) // '0f1c…'
 */
export function authEventIdOf(accessToken: string): string | undefined {
  const payload = accessToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof claims.authentication_event_id === 'string' ? claims.authentication_event_id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Xero OAuth for one app registration.
 * @example const oauth = createXeroOAuth({ clientId, clientSecret, redirectUri: 'https://app.example.com/oauth/xero/callback' });
 */
export function createXeroOAuth(options: XeroOAuthOptions): XeroOAuth {
  const doFetch = options.fetch ?? ((input: URL, init: RequestInit) => globalThis.fetch(input, init));
  const now = options.now ?? (() => new Date());
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');

  async function send<T>(url: string, init: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(new URL(url), init);
    } catch (e) {
      throw parseXeroError(e);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text
    }
    if (!res.ok) throw parseXeroError({ status: res.status, headers: res.headers, body });
    return body as T;
  }

  async function token(form: Record<string, string>): Promise<TokenSet> {
    const issuedAt = now();
    const res = await send<XeroTokenResponse>(options.tokenUrl ?? XERO_TOKEN_URL, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
    });
    if (!res?.access_token) throw new FinanceError('xero', 'unknown', 'Xero token answer has no access_token');
    const set: TokenSet = {
      accessToken: res.access_token,
      expiresAt: new Date(issuedAt.getTime() + (res.expires_in ?? 1800) * 1000),
    };
    if (res.refresh_token) {
      set.refreshToken = res.refresh_token;
      set.refreshExpiresAt = new Date(issuedAt.getTime() + REFRESH_LIFETIME_MS);
    }
    return set;
  }

  async function connections(accessToken: string, authEventId?: string): Promise<XeroConnection[]> {
    const url = new URL(options.connectionsUrl ?? XERO_CONNECTIONS_URL);
    if (authEventId) url.searchParams.set('authEventId', authEventId);
    const list = await send<XeroConnection[]>(url.toString(), {
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    return Array.isArray(list) ? list : [];
  }

  return {
    authorizeUrl(state: string) {
      const url = new URL(options.authorizeUrl ?? XERO_AUTHORIZE_URL);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', options.clientId);
      url.searchParams.set('redirect_uri', options.redirectUri);
      url.searchParams.set('scope', (options.scopes ?? XERO_SCOPES).join(' '));
      url.searchParams.set('state', state);
      return url.toString();
    },

    async exchangeCode(code: string, extra: Record<string, string> = {}) {
      const set = await token({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri });
      const list = await connections(set.accessToken, authEventIdOf(set.accessToken));
      const orgs = list.filter((c) => c.tenantType === 'ORGANISATION');
      // extra.tenantId lets the caller pick among several organisations connected at once.
      const chosen = extra.tenantId ? orgs.find((c) => c.tenantId === extra.tenantId) : orgs[0];
      if (!chosen) {
        throw new FinanceError(
          'xero',
          'auth',
          extra.tenantId
            ? `Xero organisation ${extra.tenantId} was not connected in this authorisation`
            : 'No Xero organisation was connected; connect again and choose an organisation',
        );
      }
      return { ...set, tenantId: chosen.tenantId };
    },

    refresh(refreshToken: string) {
      return token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    },

    connections,
  };
}
