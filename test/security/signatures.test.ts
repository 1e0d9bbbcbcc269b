import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  connectQuickBooks,
  connectStripeAccount,
  connectXero,
  hubspotEvent,
  quickbooksBody,
  stripeBody,
  xeroBody,
} from '../support/deliveries.js';
import {
  API_FUNCTIONS,
  apiQuery,
  type PublicRoute,
  SIGNED_ROUTES,
  SIGNS_URL,
  type SigningKeys,
  sendSigned,
  type Tamper,
  TIMESTAMPED,
} from '../support/routes.js';
import { signedPost } from '../support/signed.js';
import {
  installAnotherPortal,
  PORTAL_A,
  PORTAL_B,
  rowCount,
  snapshot,
  startWholeApp,
  USERS,
  type WholeApp,
} from '../support/whole-app.js';

/**
 * Every signed inbound route refuses a missing signature, a signature made with another secret, a body or query
 * changed after signing, and (where the scheme signs a timestamp) a stale timestamp — with 401 and nothing stored,
 * nothing queued. Each refusal is paired with the same request correctly signed, which IS accepted, so the
 * signature is what decides. Schemes without a timestamp (QuickBooks, Xero) are replay-safe by dedupe instead:
 * a replayed delivery is acknowledged and stores nothing.
 */

const PORTAL_C = 31337;

describe('signatures on every inbound route', () => {
  let w: WholeApp;
  let keys: SigningKeys;
  let realm: string;
  let xeroTenant: string;
  let stripeAccount: string;
  let dealA: string;
  let dealB: string;

  beforeAll(async () => {
    w = await startWholeApp();
    realm = await connectQuickBooks(w, PORTAL_A);
    xeroTenant = await connectXero(w, PORTAL_B);
    // One finance system per portal: Stripe goes to a third one.
    await installAnotherPortal(w, PORTAL_C);
    const stripe = await connectStripeAccount(w, PORTAL_C);
    stripeAccount = stripe.accountId;
    keys = {
      hubspot: w.secrets.hubspotClientSecret,
      quickbooks: w.secrets.qboVerifierToken,
      xero: w.secrets.xeroWebhookKey,
      stripe: w.secrets.stripeWebhookSecret,
      stripeConnection: { id: stripe.connectionId, secret: stripe.secret },
    };
    dealA = w.hubspot.addDeal({ dealname: 'A deal', dealstage: 'appointmentscheduled' });
    dealB = w.hubspot.portal(PORTAL_B).addDeal({ dealname: 'B deal', dealstage: 'appointmentscheduled' });
  }, 60_000);
  afterAll(() => w.stop());

  /** A request body that, correctly signed, changes something (so a refusal provably stored nothing). */
  function bodyFor(route: PublicRoute): { body: string; query?: string } {
    if (route.kind === 'api') {
      // A first view of a never-seen deal creates its handoffs; the other functions get a plausible input.
      const body = route.path === '/api/getHandoffView' ? { dealId: w.hubspot.addDeal({ dealname: 'fresh' }) } : {};
      return { body: JSON.stringify(body), query: apiQuery(PORTAL_A, USERS.revops) };
    }
    if (route.path === '/webhooks/hubspot') return { body: JSON.stringify([hubspotEvent(PORTAL_A, dealA)]) };
    if (route.path === '/webhooks/quickbooks') return { body: quickbooksBody(realm) };
    if (route.path === '/webhooks/xero') return { body: xeroBody(xeroTenant) };
    if (route.path === '/webhooks/stripe') return { body: stripeBody() };
    return { body: stripeBody() };
  }

  const TAMPERS: Tamper[] = ['missing', 'wrong-secret', 'altered-body', 'altered-query', 'stale'];
  const cases = SIGNED_ROUTES.flatMap((route) =>
    TAMPERS.filter(
      (t) => (t !== 'stale' || TIMESTAMPED[route.scheme]) && (t !== 'altered-query' || SIGNS_URL[route.scheme]),
    ).map((tamper) => ({ route, tamper, name: `${route.method} ${route.path}` })),
  );

  it('covers every signed route, including the finance webhooks', () => {
    expect(SIGNED_ROUTES.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        ...API_FUNCTIONS.map((f) => `/api/${f}`),
        '/webhooks/hubspot',
        '/webhooks/quickbooks',
        '/webhooks/xero',
        '/webhooks/stripe',
        '/webhooks/stripe/:connectionId',
      ]),
    );
  });

  it.each(cases)('$name refuses a $tamper signature with 401 and stores nothing', async ({ route, tamper }) => {
    const { body, query } = bodyFor(route);
    const before = await snapshot(w.db);
    const refused = await sendSigned(w.app, route, body, keys, { ...(query ? { query } : {}), tamper });
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/application\/json/);
    expect(typeof refused.body.message).toBe('string');
    expect(await snapshot(w.db)).toEqual(before);

    // The same request signed correctly gets past the signature check.
    const genuine = await sendSigned(w.app, route, body, keys, query ? { query } : {});
    expect(genuine.status).not.toBe(401);
    expect(genuine.status).toBeLessThan(500);
  });

  it('a signed webhook delivery changes the database (the refusals above are not vacuous)', async () => {
    for (const route of SIGNED_ROUTES.filter((r) => r.kind === 'webhook')) {
      const { body } = bodyFor(route);
      const before = await rowCount(w.db, 'inbound_events');
      const res = await sendSigned(w.app, route, body, keys);
      expect([route.path, res.status]).toEqual([route.path, 200]);
      expect(await rowCount(w.db, 'inbound_events')).toBe(before + 1);
    }
    // …and so does a signed first view of a deal.
    const route = SIGNED_ROUTES.find((r) => r.path === '/api/getHandoffView') as PublicRoute;
    const before = await rowCount(w.db, 'handoffs');
    const { body, query } = bodyFor(route);
    expect((await sendSigned(w.app, route, body, keys, { query: query as string })).status).toBe(200);
    expect(await rowCount(w.db, 'handoffs')).toBeGreaterThan(before);
  });

  it('a card API signature is bound to its portal and user: changing either after signing is refused', async () => {
    for (const forged of [apiQuery(PORTAL_B, USERS.rep), apiQuery(PORTAL_A, USERS.revops)]) {
      const before = await snapshot(w.db);
      // Signed for the rep in portal A, sent as portal B (or as revops).
      const res = await signedPost(
        w.app,
        '/api/saveSettings',
        { settings: { defaultRoles: ['revops'] } },
        {
          portalId: PORTAL_A,
          userId: USERS.rep,
          tamperQuery: forged,
        },
      );
      expect(res.status).toBe(401);
      expect(await snapshot(w.db)).toEqual(before);
    }
  });

  it('QuickBooks and Xero sign no timestamp: a replayed delivery is acknowledged and stores nothing new', async () => {
    for (const route of SIGNED_ROUTES.filter((r) => !TIMESTAMPED[r.scheme])) {
      const { body } = bodyFor(route);
      const first = await sendSigned(w.app, route, body, keys);
      expect(first.status).toBe(200);
      expect(first.body.stored).toBe(1);
      const before = await snapshot(w.db);
      // The same bytes an hour later (an attacker who recorded them): still valid, and a no-op.
      const replay = await sendSigned(w.app, route, body, keys, { at: new Date(Date.now() + 3_600_000) });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ received: 1, stored: 0 });
      expect(await snapshot(w.db)).toEqual(before);
    }
  });

  it('a replayed HubSpot webhook (within its five minutes) stores nothing new', async () => {
    const route = SIGNED_ROUTES.find((r) => r.path === '/webhooks/hubspot') as PublicRoute;
    const body = JSON.stringify([hubspotEvent(PORTAL_B, dealB)]);
    const at = new Date(Date.now() - 60_000);
    expect((await sendSigned(w.app, route, body, keys, { at })).body).toMatchObject({ received: 1, new: 1 });
    const before = await snapshot(w.db);
    expect((await sendSigned(w.app, route, body, keys, { at })).body).toMatchObject({ received: 1, new: 0 });
    expect(await snapshot(w.db)).toEqual(before);
  });

  it('finance webhooks ignore the query string (it is not signed, so it must not matter)', async () => {
    for (const route of SIGNED_ROUTES.filter((r) => r.kind === 'webhook' && !SIGNS_URL[r.scheme])) {
      const { body } = bodyFor(route);
      const res = await sendSigned(w.app, route, body, keys, { query: `portalId=${PORTAL_B}&tenantId=evil` });
      expect(res.status).toBe(200);
    }
    // Every event stored through a finance route is filed under the portal its tenant (or endpoint) belongs to —
    // never under one named in a query string.
    const rows = await w.db.query<{
      source: string;
      portal_id: string | null;
      payload: { event: { tenantId: string } };
    }>(`SELECT source, portal_id, payload FROM inbound_events WHERE source <> 'hubspot'`);
    expect(rows.length).toBeGreaterThan(0);
    const owner: Record<string, number | null> = {
      [`quickbooks:${realm}`]: PORTAL_A,
      [`xero:${xeroTenant}`]: PORTAL_B,
      [`stripe:${stripeAccount}`]: PORTAL_C,
      'stripe:stripe': null,
    };
    for (const r of rows) {
      const key = `${r.source}:${r.payload.event.tenantId}`;
      expect([key, r.portal_id === null ? null : Number(r.portal_id)]).toEqual([key, owner[key]]);
    }
  });
});
