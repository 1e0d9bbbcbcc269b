import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { processHubSpotEvent } from '../../src/app/gate.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { dedupeKey, parseWebhookBatch } from '../../src/integrations/hubspot/webhooks.js';
import { createLogger } from '../../src/server/logger.js';
import { financeStore } from '../../src/store/finance-store.js';
import { createOAuthState } from '../../src/store/oauth-states.js';
import { portalStore } from '../../src/store/portal-store.js';
import {
  connectQuickBooks,
  connectStripeAccount,
  connectXero,
  hubspotEvent,
  quickbooksBody,
  stripeBody,
  xeroBody,
} from '../support/deliveries.js';
import { API_FUNCTIONS, PUBLIC_ROUTES, type PublicRoute, type SigningKeys, sendSigned } from '../support/routes.js';
import { signedPost } from '../support/signed.js';
import {
  APP_ID,
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
 * Portal A can never read or change portal B's data. Through the card API, with A's genuine signature and the ids
 * of B's deals, handoffs, exceptions, companies and templates, as every role: 403/404, B's rows unchanged, not one
 * call made with B's HubSpot token, and nothing of B in any answer. Through webhooks: HubSpot signs deliveries with
 * the app's secret, so the portal an event names is trusted — it is stored under that portal and processed against
 * that portal's HubSpot only; finance events go to the portal their tenant (or endpoint) is connected to.
 */

const PORTAL_C = 31337;
const B_SECRET_NAME = 'Beta Confidential Holdings';
const route = (path: string) => PUBLIC_ROUTES.find((r) => r.path === path) as PublicRoute;

describe('portal isolation', () => {
  let w: WholeApp;
  let keys: SigningKeys;
  const a = { dealId: '', companyId: '', handoffIds: [] as string[], exceptionId: '' };
  const b = { dealId: '', companyId: '', handoffIds: [] as string[], revisions: [] as number[], exceptionId: '' };
  let aBefore: { settings: unknown; metrics: unknown };
  let realm: string;
  let xeroTenant: string;
  let stripe: { connectionId: string; secret: string; accountId: string };

  const api = (name: string, body: unknown, portalId: number, userId: string) =>
    signedPost(w.app, `/api/${name}`, body, { portalId, userId });
  // What may differ between two reads of the same data: the time of the report, and the one-time connect states.
  const stable = (v: unknown) =>
    JSON.parse(
      JSON.stringify(v, (k, x) =>
        k === 'generatedAt' ? undefined : typeof x === 'string' ? x.replace(/state=[\w-]+/, 'state=…') : x,
      ),
    );

  /** A deal with company and billing contact in a portal, viewed once so its handoffs exist. */
  async function seedDeal(portalId: number, name: string) {
    const seeder = w.hubspot.portal(portalId);
    const companyId = seeder.addCompany({ name });
    const contactId = seeder.addContact({ email: `ap@${portalId}.example`, firstname: 'Pat', lastname: 'Payable' });
    const dealId = seeder.addDeal({
      dealname: `${name} renewal`,
      dealstage: 'contractsent',
      amount: '5000',
      deal_currency_code: 'USD',
      rh_billing_contact_id: contactId,
    });
    seeder.associate('deals', dealId, 'companies', companyId);
    seeder.associate('deals', dealId, 'contacts', contactId);
    const view = await api('getHandoffView', { dealId }, portalId, USERS.rep);
    expect(view.status).toBe(200);
    const ex = await api(
      'requestException',
      {
        dealId,
        handoffId: view.body.handoffs[0].id,
        reason: 'Goals come with the kickoff call',
        waives: ['customerGoals'],
      },
      portalId,
      USERS.rep,
    );
    expect(ex.status).toBe(200);
    return {
      dealId,
      companyId,
      handoffIds: view.body.handoffs.map((h: { id: string }) => h.id) as string[],
      revisions: view.body.handoffs.map((h: { revision: number }) => h.revision) as number[],
      exceptionId: ex.body.handoffs[0].exceptions[0].id as string,
    };
  }

  beforeAll(async () => {
    w = await startWholeApp();
    Object.assign(a, await seedDeal(PORTAL_A, 'Alpha Co'));
    realm = await connectQuickBooks(w, PORTAL_A);
    aBefore = {
      settings: stable((await api('getSettings', {}, PORTAL_A, USERS.revops)).body),
      metrics: stable((await api('getMetrics', {}, PORTAL_A, USERS.revops)).body),
    };

    // Portal B: its own deal, exception, settings, template, finance connection, customer link, invoices, setup.
    Object.assign(b, await seedDeal(PORTAL_B, B_SECRET_NAME));
    expect(
      (
        await api(
          'saveSettings',
          { settings: { timeZone: 'Asia/Tokyo', users: { '7777': { roles: ['revops'], teams: ['revops'] } } } },
          PORTAL_B,
          USERS.revops,
        )
      ).status,
    ).toBe(200);
    const betaTemplate = { ...JSON.parse(JSON.stringify(DEFAULT_CS_TO_FINANCE)), id: 'beta-only', name: 'Beta only' };
    expect((await api('saveTemplate', { template: betaTemplate }, PORTAL_B, '7777')).status).toBe(200);
    xeroTenant = await connectXero(w, PORTAL_B);
    await installAnotherPortal(w, PORTAL_C);
    stripe = await connectStripeAccount(w, PORTAL_C);
    const fb = financeStore(w.db, PORTAL_B);
    await fb.links.save({
      system: 'xero',
      companyId: b.companyId,
      customerId: 'beta-customer',
      url: null,
      matchedBy: 'manual',
    });
    await portalStore(w.db, PORTAL_B).receivables.upsert([
      {
        id: 'beta-inv-1',
        number: 'BETA-0001',
        customerId: 'beta-customer',
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        currency: 'USD',
        total: { amount: 99_900, currency: 'USD' },
        amountDue: { amount: 99_900, currency: 'USD' },
        status: 'open',
        payments: [],
        source: 'xero',
      },
    ]);
    await portalStore(w.db, PORTAL_B).billing.ensureSetup({
      handoffId: b.handoffIds[1] as string,
      dealId: b.dealId,
      companyId: b.companyId,
      system: 'xero',
      plan: {},
      schedule: [],
    });
    await w.db.query(
      `UPDATE billing_setups SET status = 'failed', last_error = '{"message":"Beta vendor refused","at":"2026-01-01T00:00:00Z"}'
       WHERE portal_id = $1`,
      [PORTAL_B],
    );
    keys = {
      hubspot: w.secrets.hubspotClientSecret,
      quickbooks: w.secrets.qboVerifierToken,
      xero: w.secrets.xeroWebhookKey,
      stripe: w.secrets.stripeWebhookSecret,
      stripeConnection: { id: stripe.connectionId, secret: stripe.secret },
    };
  }, 60_000);
  afterAll(() => w.stop());

  /** Every way the card API could be pointed at B's records from A, per function. */
  function attacks(): Array<{ name: string; body: Record<string, unknown> }> {
    const hB = b.handoffIds[0] as string;
    const rB = b.revisions[0] as number;
    const pairs = [
      { dealId: b.dealId, handoffId: hB },
      { dealId: a.dealId, handoffId: hB },
    ];
    return [
      { name: 'getHandoffView', body: { dealId: b.dealId } },
      ...pairs.map((p) => ({
        name: 'saveHandoffFields',
        body: { ...p, revision: rB, values: { customerGoals: 'pwned' } },
      })),
      ...pairs.map((p) => ({ name: 'submitHandoff', body: { ...p, revision: rB } })),
      ...pairs.flatMap((p) => [
        { name: 'reviewHandoff', body: { ...p, revision: rB, action: { type: 'accept' } } },
        { name: 'reviewHandoff', body: { ...p, revision: rB, action: { type: 'reject', reason: 'other', note: 'x' } } },
        { name: 'reviewHandoff', body: { ...p, revision: rB, action: { type: 'ask', message: 'hello B' } } },
      ]),
      ...pairs.map((p) => ({
        name: 'requestException',
        body: { ...p, reason: 'waive it please', waives: ['poNumber'] },
      })),
      ...[a.dealId, b.dealId].flatMap((dealId) =>
        (['approve', 'deny'] as const).map((decision) => ({
          name: 'decideException',
          body: { dealId, exceptionId: b.exceptionId, decision },
        })),
      ),
      ...pairs.map((p) => ({ name: 'syncBillingSetup', body: p })),
      { name: 'validateHandoff', body: { templateId: 'beta-only', values: {} } },
      { name: 'getPaymentStatus', body: { objectType: 'company', objectId: b.companyId } },
      { name: 'getPaymentStatus', body: { objectType: 'deal', objectId: b.dealId } },
      { name: 'getSettings', body: {} },
      { name: 'saveSettings', body: { settings: { timeZone: 'Europe/Paris' } } },
      {
        name: 'saveTemplate',
        body: { template: { ...JSON.parse(JSON.stringify(DEFAULT_CS_TO_FINANCE)), id: 'beta-only' } },
      },
      { name: 'getMetrics', body: {} },
      { name: 'getMonthlyAudit', body: { month: '2026-05' } },
      ...pairs.map((p) => ({ name: 'markMilestoneAccepted', body: { ...p, milestoneId: 'm1' } })),
      ...pairs.map((p) => ({
        name: 'cancelScheduledInvoice',
        body: { ...p, invoiceKey: 'c0-m:m1', reason: 'Cancelled from another account' },
      })),
      ...[a.dealId, b.dealId].map((dealId) => ({
        name: 'acknowledgeCorrection',
        body: { dealId, correctionId: '00000000-0000-4000-8000-000000000000' },
      })),
      // Connecting Stripe acts on the caller's own portal only (the key here is refused by Stripe, so A stays put).
      { name: 'connectStripe', body: { secretKey: 'sk_test_refusedbystripe', accountId: stripe.accountId } },
    ];
  }

  it('tries every card API function', () => {
    expect(new Set(attacks().map((x) => x.name))).toEqual(new Set(API_FUNCTIONS));
  });

  it("portal A's own settings and metrics did not change when portal B filled up", async () => {
    const settings = stable((await api('getSettings', {}, PORTAL_A, USERS.revops)).body);
    const metrics = stable((await api('getMetrics', {}, PORTAL_A, USERS.revops)).body);
    const templatesOf = (s: { templates: Array<{ id: string }> }) => s.templates.map((t) => t.id).sort();
    expect({ ...settings, templates: templatesOf(settings) }).toEqual({
      ...(aBefore.settings as object),
      templates: templatesOf(aBefore.settings as never),
    });
    expect(metrics).toEqual(aBefore.metrics);
  });

  it.each(Object.values(USERS))(
    'as user %s of portal A, no function reads or changes anything of portal B',
    async (userId) => {
      for (const attack of attacks()) {
        const before = await snapshot(w.db, { portalId: PORTAL_B });
        const calls = w.hubspot.calls.length;
        const res = await api(attack.name, attack.body, PORTAL_A, userId);
        const label = `${attack.name} ${JSON.stringify(attack.body)} as ${userId}: ${res.status} ${res.text.slice(0, 300)}`;
        expect([label, res.status < 500]).toEqual([label, true]);
        // Functions that name a record of B find nothing; the others answer about A only.
        const namesB = JSON.stringify(attack.body).match(
          new RegExp([b.dealId, b.companyId, ...b.handoffIds, b.exceptionId, 'beta-only'].join('|')),
        );
        if (namesB && attack.name !== 'saveTemplate')
          expect([label, [403, 404].includes(res.status)]).toEqual([label, true]);
        // Nothing of B in the answer (an id A itself sent may be named back in the error).
        for (const secret of [
          B_SECRET_NAME,
          'Asia/Tokyo',
          '7777',
          'BETA-0001',
          'Beta vendor refused',
          'Beta only',
          ...b.handoffIds,
          b.exceptionId,
        ]) {
          if (!JSON.stringify(attack.body).includes(secret)) {
            expect([label, res.text.includes(secret)]).toEqual([label, false]);
          }
        }
        // B's rows untouched, and B's HubSpot never called (A's requests use A's token only).
        expect(await snapshot(w.db, { portalId: PORTAL_B })).toEqual(before);
        const bCalls = w.hubspot.calls.slice(calls).filter((c) => c.portalId !== undefined && c.portalId !== PORTAL_A);
        expect([label, bCalls]).toEqual([label, []]);
      }
    },
  );

  it('a HubSpot event is stored under the portal it names and processed against that portal only', async () => {
    const deps = { db: w.db, services: w.runtime.services, appId: APP_ID, logger: createLogger('silent') };
    const cases = [
      // B's deal, claimed by B: B's HubSpot is read (and only B's).
      { event: hubspotEvent(PORTAL_B, b.dealId, 'contractsent'), portal: PORTAL_B },
      // B's deal id, claimed by A: processed against A, where that deal does not exist.
      { event: hubspotEvent(PORTAL_A, b.dealId, 'closedwon'), portal: PORTAL_A },
      // A portal that never installed the app: stored, then dropped.
      { event: hubspotEvent(424242, b.dealId, 'closedwon'), portal: 424242 },
    ];
    for (const { event, portal } of cases) {
      const beforeB = await snapshot(w.db, {
        portalId: PORTAL_B,
        tables: ['handoffs', 'handoff_events', 'handoff_exceptions', 'billing_setups', 'installations'],
      });
      const stageB = w.hubspot.portal(PORTAL_B).get('deals', b.dealId)?.properties.dealstage;
      const res = await sendSigned(w.app, route('/webhooks/hubspot'), JSON.stringify([event]), keys);
      expect(res.status).toBe(200);
      const key = dedupeKey(parseWebhookBatch(JSON.stringify([event]))[0] as never);
      const [row] = await w.db.query<{ portal_id: string }>(
        `SELECT portal_id FROM inbound_events WHERE source = 'hubspot' AND dedupe_key = $1`,
        [key],
      );
      expect(Number(row?.portal_id)).toBe(portal);
      const calls = w.hubspot.calls.length;
      const outcome = await processHubSpotEvent(deps, key, new Date());
      const touched = new Set(
        w.hubspot.calls
          .slice(calls)
          .map((c) => c.portalId)
          .filter((p) => p !== undefined),
      );
      expect([...touched].every((p) => p === portal)).toBe(true);
      if (portal === PORTAL_A) expect(outcome).toEqual({ action: 'ignored', reason: 'deal no longer exists' });
      if (portal === 424242) expect(outcome).toEqual({ action: 'ignored', reason: 'portal not installed' });
      if (portal !== PORTAL_B) {
        expect(w.hubspot.portal(PORTAL_B).get('deals', b.dealId)?.properties.dealstage).toBe(stageB);
        expect(await snapshot(w.db, { portalId: PORTAL_B, tables: Object.keys(beforeB) })).toEqual(beforeB);
      }
    }
  });

  it('a finance event is filed under the portal its tenant or endpoint belongs to, and only that portal gets jobs', async () => {
    const deliveries = [
      { route: route('/webhooks/quickbooks'), body: quickbooksBody(realm), portal: PORTAL_A },
      { route: route('/webhooks/xero'), body: xeroBody(xeroTenant), portal: PORTAL_B },
      // B's Stripe account id named on C's own endpoint: the endpoint decides, so it is C's.
      { route: route('/webhooks/stripe/:connectionId'), body: stripeBody('acct_of_somebody_else'), portal: PORTAL_C },
    ];
    for (const d of deliveries) {
      const jobs = (await w.jobs()).length;
      const res = await sendSigned(w.app, d.route, d.body, keys, {
        query: `portalId=${PORTAL_B === d.portal ? PORTAL_A : PORTAL_B}`,
      });
      expect(res.body).toMatchObject({ received: 1, stored: 1 });
      const [row] = await w.db.query<{ portal_id: string }>(
        'SELECT portal_id FROM inbound_events WHERE source = $1 ORDER BY received_at DESC LIMIT 1',
        [d.route.path.includes('stripe') ? 'stripe' : d.route.path.split('/').at(-1)],
      );
      expect(Number(row?.portal_id)).toBe(d.portal);
      for (const job of (await w.jobs()).slice(jobs))
        expect([job.queue, job.data.portalId]).toEqual([job.queue, d.portal]);
    }
  });

  it('a finance connect state binds the portal: a callback naming another portal connects the state owner only', async () => {
    const state = await createOAuthState(w.db, { purpose: 'connect:quickbooks', portalId: PORTAL_C, now: new Date() });
    const beforeB = await snapshot(w.db, { portalId: PORTAL_B });
    const beforeA = await rowCount(w.db, 'finance_connections', PORTAL_A);
    const { code, realmId } = w.qbo.oauth.issueCode();
    const res = await request(w.app).get(
      `/oauth/quickbooks/callback?code=${code}&state=${state}&realmId=${realmId}&portalId=${PORTAL_B}&portal_id=${PORTAL_A}`,
    );
    expect(res.status).toBe(200);
    expect(await snapshot(w.db, { portalId: PORTAL_B })).toEqual(beforeB);
    expect(await rowCount(w.db, 'finance_connections', PORTAL_A)).toBe(beforeA);
    expect((await financeStore(w.db, PORTAL_C).connections.active())?.system).toBe('quickbooks');
  });
});
