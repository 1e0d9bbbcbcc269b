import request, { type Response } from 'supertest';
import { startFinanceConnect } from '../../src/app/finance-connections.js';
import { SCOPES } from '../../src/integrations/hubspot/oauth.js';
import { parsePortalSettings } from '../../src/settings/portal-settings.js';
import { portalStore } from '../../src/store/portal-store.js';
import {
  adminContext,
  connectStripeAccount,
  hubspotEvent,
  quickbooksBody,
  stripeBody,
  xeroBody,
} from './deliveries.js';
import { PUBLIC_ROUTES, type PublicRoute, type SigningKeys, sendSigned } from './routes.js';
import { signedPost, TEST_BASE_URL } from './signed.js';
import { PORTAL_A, PORTAL_B, ROLE_SETTINGS, USERS, type WholeApp } from './whole-app.js';

/**
 * Everything that handles a secret, end to end through the real routes, for the "unreadable in a dump" and "never
 * in a log" suites: a HubSpot install through OAuth, QuickBooks and Xero connected through their OAuth routes,
 * Stripe connected with an API key and a webhook signing secret, a refresh of each rotating token, signed card API
 * calls, signed (and badly signed) webhook deliveries of every vendor, and failures (a refused authorisation code,
 * a HubSpot error inside a handler, an unreadable webhook body).
 */

/** The portal installed through OAuth in the scenario. */
export const INSTALLED = 777_001;

export interface SecretTrace {
  /** OAuth states and authorisation codes handed out during the scenario. */
  codes: string[];
  /** Every signature header value sent. */
  signatures: string[];
  /** Every webhook signing secret configured for a connection. */
  webhookSecrets: string[];
}

const SIGNATURE_HEADERS = ['x-hubspot-signature-v3', 'intuit-signature', 'x-xero-signature', 'stripe-signature'];

/**
 * Runs the scenario against a started app. Every token a vendor issued is in `w.issuedTokens`, every configured
 * secret in `w.secrets`; what only the scenario knows is returned.
 * @example const trace = await runSecretScenario(w)
 */
export async function runSecretScenario(w: WholeApp): Promise<SecretTrace> {
  const trace: SecretTrace = { codes: [], signatures: [], webhookSecrets: [] };
  const note = (res: Response) => {
    const sent = (res as unknown as { req?: { getHeader(n: string): unknown } }).req;
    for (const h of SIGNATURE_HEADERS) {
      const v = sent?.getHeader(h);
      if (typeof v === 'string' && v) trace.signatures.push(v);
    }
    return res;
  };
  const expectStatus = (res: Response, status: number, what: string) => {
    if (res.status !== status)
      throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
    return res;
  };

  // 1. HubSpot install through OAuth.
  const install = await request(w.app).get('/oauth/hubspot/install');
  const state = new URL(String(install.headers.location)).searchParams.get('state') as string;
  const code = w.hubspot.issueAuthCode({
    redirectUri: `${TEST_BASE_URL}/oauth/hubspot/callback`,
    scopes: SCOPES,
    portalId: INSTALLED,
  });
  trace.codes.push(state, code);
  expectStatus(await request(w.app).get('/oauth/hubspot/callback').query({ code, state }), 200, 'install');
  await portalStore(w.db, INSTALLED).installation.saveSettings(parsePortalSettings(ROLE_SETTINGS));

  // 2. QuickBooks through its OAuth routes, for the installed portal; Xero likewise for portal B.
  for (const [vendor, portalId] of [
    ['quickbooks', INSTALLED],
    ['xero', PORTAL_B],
  ] as const) {
    const { url } = await startFinanceConnect(
      await adminContext(w, portalId),
      { system: vendor },
      { publicBaseUrl: TEST_BASE_URL },
    );
    const connectState = new URL(url).searchParams.get('state') as string;
    expectStatus(await request(w.app).get(`/oauth/${vendor}/connect?state=${connectState}`), 302, `${vendor} connect`);
    const vendorCode =
      vendor === 'quickbooks'
        ? w.qbo.oauth.issueCode()
        : { code: w.xero.authorize({ redirectUri: `${TEST_BASE_URL}/oauth/xero/callback` }), realmId: '' };
    trace.codes.push(connectState, vendorCode.code);
    const query = new URLSearchParams({
      code: vendorCode.code,
      state: connectState,
      ...(vendorCode.realmId ? { realmId: vendorCode.realmId } : {}),
    });
    expectStatus(await request(w.app).get(`/oauth/${vendor}/callback?${query}`), 200, `${vendor} callback`);
  }

  // 3. Stripe with a key and a per-connection webhook secret, for portal A.
  const stripe = await connectStripeAccount(w, PORTAL_A);
  trace.webhookSecrets.push(stripe.secret);

  // 4. Every rotating token refreshed once: HubSpot through a card API call, QuickBooks and Xero through the gateway.
  const past = new Date(Date.now() - 3_600_000);
  await w.db.query('UPDATE installations SET access_expires_at = $2 WHERE portal_id = $1', [INSTALLED, past]);
  await w.db.query('UPDATE finance_connections SET access_expires_at = $1 WHERE system IN ($2, $3)', [
    past,
    'quickbooks',
    'xero',
  ]);
  const dealId = w.hubspot.portal(INSTALLED).addDeal({ dealname: 'Secret deal', dealstage: 'contractsent' });
  expectStatus(
    note(await signedPost(w.app, '/api/getHandoffView', { dealId }, { portalId: INSTALLED, userId: USERS.rep })),
    200,
    'view after expiry',
  );
  for (const [portalId, system] of [
    [INSTALLED, 'quickbooks'],
    [PORTAL_B, 'xero'],
  ] as const) {
    const { finance } = await w.gateway.forPortal(portalId, { system });
    await finance.findCustomer({ email: 'nobody@secret.example' });
  }

  // 5. Signed card API calls of every kind of user, and refused ones.
  for (const userId of Object.values(USERS)) {
    note(await signedPost(w.app, '/api/getSettings', {}, { portalId: INSTALLED, userId }));
    note(
      await signedPost(w.app, '/api/saveSettings', { settings: { issueLeadDays: 1 } }, { portalId: INSTALLED, userId }),
    );
  }
  note(await signedPost(w.app, '/api/getSettings', {}, { portalId: INSTALLED, userId: USERS.rep, secret: 'wrong' }));

  // 6. Webhook deliveries of every vendor: genuine, and with a wrong signature.
  const keys: SigningKeys = {
    hubspot: w.secrets.hubspotClientSecret,
    quickbooks: w.secrets.qboVerifierToken,
    xero: w.secrets.xeroWebhookKey,
    stripe: w.secrets.stripeWebhookSecret,
    stripeConnection: { id: stripe.connectionId, secret: stripe.secret },
  };
  const route = (path: string) => PUBLIC_ROUTES.find((r) => r.path === path) as PublicRoute;
  const bodies: Array<[string, string]> = [
    ['/webhooks/hubspot', JSON.stringify([hubspotEvent(INSTALLED, dealId)])],
    ['/webhooks/quickbooks', quickbooksBody(w.qbo.realmId)],
    ['/webhooks/xero', xeroBody(w.xero.tenantId)],
    ['/webhooks/stripe', stripeBody()],
    ['/webhooks/stripe/:connectionId', stripeBody(stripe.accountId)],
  ];
  for (const [path, body] of bodies) {
    expectStatus(note(await sendSigned(w.app, route(path), body, keys)), 200, path);
    expectStatus(note(await sendSigned(w.app, route(path), body, keys, { tamper: 'wrong-secret' })), 401, path);
  }

  // 7. Failures: a refused authorisation code at every callback, a HubSpot error inside a handler, unreadable bodies.
  const refusedState = new URL(
    String((await request(w.app).get('/oauth/hubspot/install')).headers.location),
  ).searchParams.get('state') as string;
  trace.codes.push(refusedState);
  await request(w.app).get('/oauth/hubspot/callback').query({ code: 'forged-code', state: refusedState });
  for (const vendor of ['quickbooks', 'xero'] as const) {
    const { url } = await startFinanceConnect(
      await adminContext(w, INSTALLED),
      { system: vendor },
      { publicBaseUrl: TEST_BASE_URL },
    );
    const s = new URL(url).searchParams.get('state') as string;
    trace.codes.push(s);
    await request(w.app).get(`/oauth/${vendor}/callback?state=${s}&code=forged-code&realmId=${w.qbo.realmId}`);
  }
  w.hubspot.failNext({ path: /\/crm\/v3\/objects\/deals/, status: 400, times: 5 });
  const failed = note(
    await signedPost(w.app, '/api/getHandoffView', { dealId }, { portalId: INSTALLED, userId: USERS.csm }),
  );
  if (failed.status < 400) throw new Error(`the injected HubSpot failure did not fail the call: ${failed.status}`);
  for (const [path] of bodies) note(await sendSigned(w.app, route(path), '{"not":"an event"}', keys));
  return trace;
}
