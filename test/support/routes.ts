import { createHmac } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { HANDLERS } from '../../serverless/index.js';
import { signHubSpotV3 } from '../../src/integrations/hubspot/signature.js';
import { TEST_BASE_URL } from './signed.js';

/**
 * Every public route of the app, as data, for the fuzzing and security suites. A new route is one line here; the
 * suites iterate this list, so it is covered by every property and every signature check at once.
 */

/** How a route authenticates its caller. */
export type Scheme =
  /** HubSpot v3: HMAC of method + full URI + raw body + timestamp with the app's client secret (cards, webhooks). */
  | 'hubspot-v3'
  /** QuickBooks: base64 HMAC of the raw body with the webhook verifier token; no timestamp. */
  | 'quickbooks'
  /** Xero: base64 HMAC of the raw body with the webhook key; no timestamp. */
  | 'xero'
  /** Stripe: `t=<s>,v1=<hex HMAC of "t.body">` with the endpoint secret; 300 s tolerance. */
  | 'stripe'
  /** A browser page: no signature (OAuth routes are protected by one-time states instead). */
  | 'none';

export interface PublicRoute {
  method: 'GET' | 'POST';
  /** `:connectionId` is filled in by `pathOf`. */
  path: string;
  kind: 'api' | 'webhook' | 'page' | 'health';
  scheme: Scheme;
}

export const API_FUNCTIONS: readonly string[] = HANDLERS.map((h) => h.name);

export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  ...API_FUNCTIONS.map(
    (name): PublicRoute => ({ method: 'POST', path: `/api/${name}`, kind: 'api', scheme: 'hubspot-v3' }),
  ),
  { method: 'POST', path: '/webhooks/hubspot', kind: 'webhook', scheme: 'hubspot-v3' },
  { method: 'POST', path: '/webhooks/quickbooks', kind: 'webhook', scheme: 'quickbooks' },
  { method: 'POST', path: '/webhooks/xero', kind: 'webhook', scheme: 'xero' },
  { method: 'POST', path: '/webhooks/stripe', kind: 'webhook', scheme: 'stripe' },
  { method: 'POST', path: '/webhooks/stripe/:connectionId', kind: 'webhook', scheme: 'stripe' },
  { method: 'GET', path: '/oauth/hubspot/install', kind: 'page', scheme: 'none' },
  { method: 'GET', path: '/oauth/hubspot/callback', kind: 'page', scheme: 'none' },
  { method: 'GET', path: '/oauth/quickbooks/connect', kind: 'page', scheme: 'none' },
  { method: 'GET', path: '/oauth/quickbooks/callback', kind: 'page', scheme: 'none' },
  { method: 'GET', path: '/oauth/xero/connect', kind: 'page', scheme: 'none' },
  { method: 'GET', path: '/oauth/xero/callback', kind: 'page', scheme: 'none' },
  { method: 'GET', path: '/health', kind: 'health', scheme: 'none' },
];

/** Routes that take a signed request from outside (every one must refuse a bad signature). */
export const SIGNED_ROUTES = PUBLIC_ROUTES.filter((r) => r.scheme !== 'none');

/** The signing keys a sender needs; `stripeConnection` is the per-connection endpoint's own secret. */
export interface SigningKeys {
  hubspot: string;
  quickbooks: string;
  xero: string;
  stripe: string;
  stripeConnection?: { id: string; secret: string };
}

export type Tamper = 'none' | 'missing' | 'wrong-secret' | 'altered-body' | 'altered-query' | 'stale';

export interface SendOptions {
  /** Query string (without `?`) that is part of the signed URL, e.g. `portalId=1&userId=2` for the card API. */
  query?: string;
  tamper?: Tamper;
  /** Extra headers (applied after the signature headers, so they can also overwrite them). */
  headers?: Record<string, string>;
  /** Time of signing; now by default. */
  at?: Date;
}

/** The concrete path of a route (fills in the Stripe connection id). */
export function pathOf(route: PublicRoute, keys: Pick<SigningKeys, 'stripeConnection'>): string {
  if (!route.path.includes(':connectionId')) return route.path;
  if (!keys.stripeConnection) throw new Error(`${route.path} needs keys.stripeConnection`);
  return route.path.replace(':connectionId', keys.stripeConnection.id);
}

const b64hmac = (key: string, body: string) => createHmac('sha256', key).update(body).digest('base64');

/** A Stripe-Signature header value for `body` at `seconds`. */
export function stripeSignature(secret: string, body: string, seconds: number): string {
  return `t=${seconds},v1=${createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex')}`;
}

/** True for schemes whose signature covers a timestamp (so a stale one is refused); the others rely on dedupe. */
export const TIMESTAMPED: Record<Scheme, boolean> = {
  'hubspot-v3': true,
  stripe: true,
  quickbooks: false,
  xero: false,
  none: false,
};

/** True for schemes whose signature covers the URL (so an altered query is refused); the others ignore the query. */
export const SIGNS_URL: Record<Scheme, boolean> = {
  'hubspot-v3': true,
  stripe: false,
  quickbooks: false,
  xero: false,
  none: false,
};

/**
 * Sends `rawBody` to a route signed exactly as its caller would sign it, or tampered in one way.
 * - missing: no signature header; wrong-secret: signed with another key; altered-body: signed body ≠ sent body;
 * - altered-query: a query parameter added after signing; stale: signed 10 minutes ago (where a timestamp is signed).
 * @example await sendSigned(app, route, '{}', keys, { query: 'portalId=1&userId=2', tamper: 'stale' })
 */
export function sendSigned(app: Express, route: PublicRoute, rawBody: string, keys: SigningKeys, o: SendOptions = {}) {
  const tamper = o.tamper ?? 'none';
  const at = tamper === 'stale' ? new Date((o.at ?? new Date()).getTime() - 10 * 60_000) : (o.at ?? new Date());
  const path = pathOf(route, keys);
  const url = o.query ? `${path}?${o.query}` : path;
  const sentUrl = tamper === 'altered-query' ? `${url}${o.query ? '&' : '?'}portalId=1` : url;
  const sentBody = tamper === 'altered-body' ? `${rawBody} ` : rawBody;
  const other = `another-${keys.hubspot}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (route.scheme) {
    case 'hubspot-v3': {
      const timestamp = String(at.getTime());
      headers['x-hubspot-request-timestamp'] = timestamp;
      headers['x-hubspot-signature-v3'] = signHubSpotV3({
        method: route.method,
        uri: `${TEST_BASE_URL}${url}`,
        body: rawBody,
        timestamp,
        clientSecret: tamper === 'wrong-secret' ? other : keys.hubspot,
      });
      if (tamper === 'missing') delete headers['x-hubspot-signature-v3'];
      break;
    }
    case 'quickbooks':
      headers['intuit-signature'] = b64hmac(tamper === 'wrong-secret' ? other : keys.quickbooks, rawBody);
      if (tamper === 'missing') delete headers['intuit-signature'];
      break;
    case 'xero':
      headers['x-xero-signature'] = b64hmac(tamper === 'wrong-secret' ? other : keys.xero, rawBody);
      if (tamper === 'missing') delete headers['x-xero-signature'];
      break;
    case 'stripe': {
      const secret = route.path.includes(':connectionId') ? keys.stripeConnection?.secret : keys.stripe;
      if (!secret) throw new Error('no Stripe secret for this route');
      headers['stripe-signature'] = stripeSignature(
        tamper === 'wrong-secret' ? `whsec_${other}` : secret,
        rawBody,
        Math.floor(at.getTime() / 1000),
      );
      if (tamper === 'missing') delete headers['stripe-signature'];
      break;
    }
    case 'none':
      break;
  }
  Object.assign(headers, o.headers);
  const req = route.method === 'GET' ? request(app).get(sentUrl) : request(app).post(sentUrl);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return route.method === 'GET' ? req : req.send(sentBody);
}

/** The signed query of a card API call, as `hubspot.fetch` builds it. */
export function apiQuery(portalId: number, userId: string): string {
  return new URLSearchParams({ portalId: String(portalId), userId }).toString();
}
