import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { generateSchedule } from '../../src/billing/schedule.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { createOAuthState as createFinanceState } from '../../src/store/oauth-states.js';
import { portalStore } from '../../src/store/portal-store.js';
import { milestonePlan } from '../handoff/fixtures.js';
import { describeAnswer, htmlPageProblems, jsonErrorProblems, longStringsIn } from '../support/answers.js';
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
  type Changes,
  installAnotherPortal,
  PORTAL_A,
  PORTAL_B,
  rowCount,
  startWholeApp,
  trackChanges,
  USERS,
  type WholeApp,
} from '../support/whole-app.js';
import {
  bodyText,
  extraHeaders,
  forUrl,
  HOSTILE_TEXT,
  hostileVariants,
  NASTY_STRINGS,
  nastyString,
  queryText,
} from './arbitraries.js';

/**
 * Fuzzing every public route with fast-check: bodies (any JSON, a valid input with one field broken, huge, deeply
 * nested, wrong types, any unicode, prototype-pollution keys, not JSON at all), headers and query strings. Requests
 * to signed routes are signed correctly, so the bodies reach the parsers. For every request:
 * - the status is never 5xx;
 * - a 4xx of a JSON route is JSON with a `message` a person can read (no stack, no zod dump); an OAuth page is HTML
 *   with a title, and never echoes markup from the query;
 * - a refused request stored nothing: every app table is unchanged (row counts and a digest of every row), no job
 *   was queued and nothing was written to HubSpot;
 * - Object.prototype is untouched.
 *
 * `FUZZ_RUNS` sets the runs per route (default small, for `npm test`); e.g. `FUZZ_RUNS=5000 npm test -- test/fuzz`.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const PORTAL_C = 31337;
const NOT_INSTALLED = 555;
const REAL_USERS = Object.values(USERS);

// A long FUZZ_RUNS run takes minutes per route; the default run stays well under a minute for the whole file.
if (process.env.FUZZ_RUNS) jest.setTimeout(6 * 3_600_000);

describe('fuzzing every public route', () => {
  let w: WholeApp;
  let keys: SigningKeys;
  let dealId: string;
  let companyId: string;
  let exceptionId: string;
  let handoffIds: string[];
  let realm: string;
  let xeroTenant: string;

  let changes: () => Promise<Changes>;

  beforeAll(async () => {
    w = await startWholeApp();
    changes = await trackChanges(w.db);
    realm = await connectQuickBooks(w, PORTAL_A);
    xeroTenant = await connectXero(w, PORTAL_B);
    await installAnotherPortal(w, PORTAL_C);
    const stripe = await connectStripeAccount(w, PORTAL_C);
    keys = {
      hubspot: w.secrets.hubspotClientSecret,
      quickbooks: w.secrets.qboVerifierToken,
      xero: w.secrets.xeroWebhookKey,
      stripe: w.secrets.stripeWebhookSecret,
      stripeConnection: { id: stripe.connectionId, secret: stripe.secret },
    };
    companyId = w.hubspot.addCompany({ name: 'Fuzz Co' });
    const contactId = w.hubspot.addContact({ email: 'ap@fuzz.example', firstname: 'Pat', lastname: 'Payable' });
    dealId = w.hubspot.addDeal({
      dealname: 'Fuzz deal',
      dealstage: 'contractsent',
      amount: '12000',
      deal_currency_code: 'USD',
      rh_billing_contact_id: contactId,
    });
    w.hubspot.associate('deals', dealId, 'companies', companyId);
    w.hubspot.associate('deals', dealId, 'contacts', contactId);
    const view = await signedPost(w.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL_A, userId: USERS.rep });
    expect(view.status).toBe(200);
    handoffIds = view.body.handoffs.map((h: { id: string }) => h.id);
    const ex = await signedPost(
      w.app,
      '/api/requestException',
      { dealId, handoffId: handoffIds[0], reason: 'The customer sends this next week', waives: ['customerGoals'] },
      { portalId: PORTAL_A, userId: USERS.rep },
    );
    expect(ex.status).toBe(200);
    exceptionId = ex.body.handoffs[0].exceptions[0].id;
    // A milestone billing setup on the finance handoff, so the held-invoice functions get past "no setup".
    const plan = { ...milestonePlan, currency: 'USD' };
    await portalStore(w.db, PORTAL_A).billing.ensureSetup({
      handoffId: handoffIds[1] as string,
      dealId,
      companyId,
      system: 'quickbooks',
      plan,
      schedule: generateSchedule(plan, { acceptanceDate: '2026-04-01' }),
    });
  }, 60_000);
  afterAll(() => w.stop());

  /** A valid input of each function, with the current ids and revisions. */
  async function examples(): Promise<Record<string, unknown>> {
    const rows = await w.db.query<{ id: string; revision: number }>(
      'SELECT id, revision FROM handoffs WHERE portal_id = $1 AND deal_id = $2 ORDER BY created_at',
      [PORTAL_A, dealId],
    );
    const handoffId = rows[0]?.id ?? '';
    const revision = Number(rows[0]?.revision ?? 0);
    return {
      getHandoffView: { dealId },
      saveHandoffFields: { dealId, handoffId, revision, values: { customerGoals: 'Faster close', poRequired: false } },
      submitHandoff: { dealId, handoffId, revision },
      reviewHandoff: { dealId, handoffId, revision, action: { type: 'ask', message: 'Which PO?' } },
      requestException: {
        dealId,
        handoffId,
        reason: 'Arrives after signature',
        waives: ['poNumber'],
        expiresInDays: 7,
      },
      decideException: { dealId, exceptionId, decision: 'approve', note: 'fine' },
      syncBillingSetup: { dealId, handoffId },
      validateHandoff: { templateId: 'default-cs-to-finance', values: { poRequired: true, poNumber: 'PO-1' } },
      getPaymentStatus: { objectType: 'company', objectId: companyId },
      getSettings: {},
      saveSettings: { settings: { timeZone: 'Europe/Berlin', issueLeadDays: 3 } },
      saveTemplate: { template: JSON.parse(JSON.stringify(DEFAULT_CS_TO_FINANCE)) },
      getMetrics: {},
      getMonthlyAudit: { month: '2026-05' },
      markMilestoneAccepted: { dealId, handoffId: handoffIds[1], milestoneId: 'm1', acceptedOn: '2026-05-20' },
      cancelScheduledInvoice: { dealId, handoffId: handoffIds[1], invoiceKey: 'c0-m:m2', reason: 'Milestone dropped' },
      connectStripe: { secretKey: 'sk_test_notarealkey', accountId: 'acct_123', webhookSecret: 'whsec_abc' },
      acknowledgeCorrection: { dealId, correctionId: '00000000-0000-4000-8000-000000000000' },
    };
  }

  function hubspotWrites(from: number): string[] {
    return w.hubspot.calls
      .slice(from)
      .filter((c) => c.method !== 'GET' && !/\/(batch\/read|search)$/.test(c.path) && !c.path.startsWith('/oauth/'))
      .map((c) => `${c.method} ${c.path}`);
  }

  function polluted(): string[] {
    const probe = {} as Record<string, unknown>;
    return ['polluted', 'isAdmin', 'a', 'x'].filter((k) => probe[k] !== undefined);
  }

  /** The checks every fuzzed request must pass; `refusedMayChange` lists tables a refusal may legitimately touch. */
  function verify(
    label: string,
    sentBody: string,
    res: request.Response,
    before: Changes,
    after: Changes,
    calls: number,
    kind: 'json' | 'page',
    inputs: readonly string[] = [],
    refusedMayChange: readonly string[] = [],
  ): void {
    const problems: string[] = [];
    if (res.status >= 500) problems.push(`status ${res.status}`);
    if (res.status >= 400 && res.status < 500) {
      problems.push(
        ...(kind === 'json' ? jsonErrorProblems(res, longStringsIn(sentBody)) : htmlPageProblems(res, inputs)),
      );
    }
    if (kind === 'page' && res.status < 300) problems.push(...htmlPageProblems(res, inputs));
    if (res.status >= 400) {
      const changed = Object.keys(before).filter(
        (t) => !refusedMayChange.includes(t) && JSON.stringify(before[t]) !== JSON.stringify(after[t]),
      );
      if (changed.length) problems.push(`refused, yet changed ${changed.join(', ')}`);
      const writes = hubspotWrites(calls);
      if (writes.length) problems.push(`refused, yet wrote to HubSpot: ${writes.join('; ')}`);
    }
    problems.push(...polluted().map((k) => `Object.prototype.${k} was polluted`));
    if (problems.length) throw new Error(`${label}: ${problems.join(' | ')}\n  answer: ${describeAnswer(res)}`);
  }

  /** After a request that changed things, loads the seeded deal once so a later refusal is measured from rest. */
  async function settle(): Promise<void> {
    await signedPost(w.app, '/api/getHandoffView', { dealId }, { portalId: PORTAL_A, userId: USERS.revops });
  }

  const route = (path: string) => PUBLIC_ROUTES.find((r) => r.path === path) as PublicRoute;

  /** Who calls: HubSpot signs portal and user into the URL; sometimes odd values, or an odd query altogether. */
  const caller = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .record({
          portalId: fc.constantFrom(PORTAL_A, PORTAL_A, PORTAL_A, PORTAL_B, NOT_INSTALLED),
          userId: fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...REAL_USERS, '9999') },
            { weight: 1, arbitrary: nastyString },
          ),
        })
        .map(({ portalId, userId }) =>
          new URLSearchParams({ portalId: String(portalId), userId: forUrl(userId) }).toString(),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        `portalId=abc&userId=${USERS.rep}`,
        `portalId=${PORTAL_A}&portalId=${PORTAL_A}&userId=${USERS.rep}`,
        `portalId=${PORTAL_A}`,
        `userId=${USERS.rep}`,
        `portalId=-5&userId=${USERS.rep}`,
        `portalId=1e3&userId=${USERS.rep}`,
        `portalId=${PORTAL_A}&userId=${USERS.rep}&userId=${USERS.revops}`,
        `portalId=${PORTAL_A}&userId[a]=1`,
        `portalId=${PORTAL_A}&userId=${USERS.revops}&userEmail=%3Cscript%3E`,
        `portalId=99999999999999999999&userId=${USERS.rep}`,
        '',
      ),
    },
  );

  const maybeHeaders = fc.option(extraHeaders, { freq: 4, nil: undefined });

  it('sees writes: the change counter moves on a stored event, its queued job and a first view of a deal', async () => {
    const before = await changes();
    const fresh = w.hubspot.addDeal({ dealname: 'Counter check' });
    expect(
      (await signedPost(w.app, '/api/getHandoffView', { dealId: fresh }, { portalId: PORTAL_A, userId: USERS.rep }))
        .status,
    ).toBe(200);
    const event = JSON.stringify([hubspotEvent(PORTAL_A, fresh, 'contractsent')]);
    expect((await sendSigned(w.app, route('/webhooks/hubspot'), event, keys)).status).toBe(200);
    const after = await changes();
    for (const t of ['handoffs', 'handoff_events', 'inbound_events', 'pgboss.job']) {
      expect([t, (after[t] ?? 0) > (before[t] ?? 0)]).toEqual([t, true]);
    }
  });

  it('has a valid example input for every card API function', async () => {
    expect(Object.keys(await examples()).sort()).toEqual([...API_FUNCTIONS].sort());
  });

  describe.each(API_FUNCTIONS.map((name) => [name]))('POST /api/%s', (name) => {
    it('answers any signed body, query and header with a readable 4xx or a 2xx, and a refusal stores nothing', async () => {
      const example = ((await examples())[name] ?? {}) as Parameters<typeof bodyText>[0];
      await fc.assert(
        fc.asyncProperty(bodyText(example), caller, maybeHeaders, async (body, query, headers) => {
          const before = await changes();
          const calls = w.hubspot.calls.length;
          const res = await sendSigned(w.app, route(`/api/${name}`), body.text, keys, {
            query,
            ...(headers ? { headers } : {}),
          });
          const after = await changes();
          verify(`/api/${name} ${query} ${body.text.slice(0, 200)}`, body.text, res, before, after, calls, 'json');
          if (res.status < 300) await settle();
        }),
        { numRuns: RUNS },
      );
    });

    it('takes hostile text in every text field (and odd keys) with a readable 4xx or a 2xx, storing nothing when refused', async () => {
      const example = ((await examples())[name] ?? {}) as Parameters<typeof bodyText>[0];
      for (const { label, text } of hostileVariants(example)) {
        // Fresh ids and revisions each time, so each variant gets as far as it can.
        const current = JSON.stringify(((await examples())[name] ?? {}) as object);
        const body = text.replace(/"revision":\d+/, current.match(/"revision":\d+/)?.[0] ?? '"revision":0');
        const before = await changes();
        const calls = w.hubspot.calls.length;
        const res = await sendSigned(w.app, route(`/api/${name}`), body, keys, {
          query: `portalId=${PORTAL_A}&userId=${USERS.revops}`,
        });
        verify(`/api/${name} ${label}`, body, res, before, await changes(), calls, 'json');
        if (res.status < 300) await settle();
      }
    });
  });

  const WEBHOOK_EXAMPLES: Record<string, () => unknown> = {
    '/webhooks/hubspot': () => [hubspotEvent(PORTAL_A, dealId, 'contractsent')],
    '/webhooks/quickbooks': () => JSON.parse(quickbooksBody(realm)),
    '/webhooks/xero': () => JSON.parse(xeroBody(xeroTenant)),
    '/webhooks/stripe': () => JSON.parse(stripeBody()),
    '/webhooks/stripe/:connectionId': () => JSON.parse(stripeBody()),
  };

  describe.each(PUBLIC_ROUTES.filter((r) => r.kind === 'webhook').map((r) => [r.path, r] as const))(
    'POST %s',
    (_path, r) => {
      it('answers any correctly signed body and header with a readable 4xx or a 2xx, and a refusal stores nothing', async () => {
        const example = WEBHOOK_EXAMPLES[r.path]?.() as Parameters<typeof bodyText>[0];
        await fc.assert(
          fc.asyncProperty(
            bodyText(example),
            maybeHeaders,
            queryText(['portalId', 'tenantId']),
            async (body, headers, query) => {
              const before = await changes();
              const calls = w.hubspot.calls.length;
              const res = await sendSigned(w.app, r, body.text, keys, {
                ...(headers ? { headers } : {}),
                ...(query ? { query } : {}),
              });
              verify(`${r.path} ${body.text.slice(0, 200)}`, body.text, res, before, await changes(), calls, 'json');
            },
          ),
          { numRuns: RUNS },
        );
      });

      it('takes hostile text in every field of a genuine delivery with a readable 4xx or a 2xx', async () => {
        for (const { label, text } of hostileVariants(WEBHOOK_EXAMPLES[r.path]?.() as Parameters<typeof bodyText>[0])) {
          const before = await changes();
          const calls = w.hubspot.calls.length;
          const res = await sendSigned(w.app, r, text, keys);
          verify(`${r.path} ${label}`, text, res, before, await changes(), calls, 'json');
        }
      });
    },
  );

  const PAGE_PARAMS = ['state', 'code', 'error', 'error_description', 'realmId'];
  const PURPOSE: Record<string, string | null> = {
    '/oauth/hubspot/install': null,
    '/oauth/hubspot/callback': 'hubspot_install',
    '/oauth/quickbooks/connect': 'connect:quickbooks',
    '/oauth/quickbooks/callback': 'connect:quickbooks',
    '/oauth/xero/connect': 'connect:xero',
    '/oauth/xero/callback': 'connect:xero',
  };
  const REDIRECT_HOSTS = ['app.hubspot.com', 'appcenter.intuit.com', 'login.xero.com'];

  /** One request to an OAuth page, with all the checks; a genuine state is put in when asked. */
  async function pageCase(
    r: PublicRoute,
    params: URLSearchParams,
    withRealState: boolean,
    headers?: Record<string, string>,
  ) {
    const purpose = PURPOSE[r.path];
    if (withRealState && purpose) {
      // A genuine, unspent state: the route then goes on to the code, the error and the realm.
      const state =
        purpose === 'hubspot_install'
          ? await createFinanceState(w.db, { purpose })
          : await createFinanceState(w.db, { purpose, portalId: PORTAL_A, now: new Date() });
      params.set('state', state);
    }
    const states = await rowCount(w.db, 'oauth_states');
    const before = await changes();
    const calls = w.hubspot.calls.length;
    let req = request(w.app).get(`${r.path}?${params.toString()}`);
    for (const [k, v] of Object.entries(headers ?? {})) req = req.set(k, v);
    const res = await req;
    const inputs = [...params.values(), ...NASTY_STRINGS];
    const label = `${r.path}?${params.toString().slice(0, 300)}`;
    if (res.status === 302) {
      const host = new URL(String(res.headers.location)).host;
      if (!REDIRECT_HOSTS.includes(host)) throw new Error(`${label}: redirects to ${host}`);
      return;
    }
    // A callback spends its state whatever happens (that is the point of a one-time state).
    verify(label, '', res, before, await changes(), calls, 'page', inputs, ['oauth_states']);
    if (res.status >= 400 && (await rowCount(w.db, 'oauth_states')) > states) {
      throw new Error(`${label}: a refused page created an OAuth state`);
    }
  }

  describe.each(PUBLIC_ROUTES.filter((r) => r.kind === 'page').map((r) => [r.path, r] as const))(
    'GET %s',
    (_path, r) => {
      it('answers any query and header with a page or a redirect to the vendor, never 5xx, never an echo of markup', async () => {
        await fc.assert(
          fc.asyncProperty(queryText(PAGE_PARAMS), fc.boolean(), maybeHeaders, (query, withRealState, headers) =>
            pageCase(r, new URLSearchParams(query), withRealState, headers),
          ),
          { numRuns: RUNS },
        );
      });

      it('takes hostile text in every parameter of a complete callback, with and without a genuine state, never 5xx', async () => {
        for (const withRealState of [false, true]) {
          for (const name of PAGE_PARAMS) {
            for (const value of [...HOSTILE_TEXT.map((t) => `v${t}`.slice(0, 3_000)), '']) {
              // Every other parameter present and plausible, so the hostile one is what the route must deal with.
              const complete = () => {
                const p = new URLSearchParams({
                  state: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
                  code: 'code-123',
                  realmId: '123',
                });
                if (name.startsWith('error')) p.set('error', 'access_denied');
                return p;
              };
              const once = complete();
              once.set(name, value);
              await pageCase(r, once, withRealState && name !== 'state');
              // The same parameter twice (an array to express).
              const twice = complete();
              twice.set(name, value);
              twice.append(name, 'again');
              await pageCase(r, twice, withRealState && name !== 'state');
            }
          }
        }
      });
    },
  );

  it('GET /health answers 200 whatever the query and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        queryText(['portalId', 'verbose']),
        maybeHeaders,
        fc.constantFrom('GET', 'HEAD'),
        async (query, headers, method) => {
          let req = method === 'GET' ? request(w.app).get(`/health?${query}`) : request(w.app).head(`/health?${query}`);
          for (const [k, v] of Object.entries(headers ?? {})) req = req.set(k, v);
          const res = await req;
          if (res.status !== 200) throw new Error(`/health?${query}: ${describeAnswer(res)}`);
          if (method === 'GET') expect(res.body.status).toBe('ok');
        },
      ),
      { numRuns: RUNS },
    );
  });

  const segment = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
    fc.constantFrom('%E0%A4%A', '%', '%00', '..', '%2e%2e', '.env', 'wp-login.php', '%C0%AE', '~', 'a'.repeat(3000)),
  );

  it('answers unknown paths and methods with a readable JSON 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('', '/api', '/webhooks', '/oauth', '/oauth/hubspot', '/health'),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.boolean(),
        maybeHeaders,
        async (prefix, segments, method, signed, headers) => {
          const path = `${prefix}/${segments.join('/')}`;
          const known = PUBLIC_ROUTES.some((r) => r.method === method && r.path === path);
          if (known) return;
          const before = await changes();
          const calls = w.hubspot.calls.length;
          let res: request.Response;
          if (signed && method === 'POST') {
            res = await sendSigned(w.app, { method: 'POST', path, kind: 'api', scheme: 'hubspot-v3' }, '{}', keys, {
              query: `portalId=${PORTAL_A}&userId=${USERS.revops}`,
              ...(headers ? { headers } : {}),
            });
          } else {
            let req = request(w.app)[method.toLowerCase() as 'get'](path);
            for (const [k, v] of Object.entries(headers ?? {})) req = req.set(k, v);
            res = await req;
          }
          if (res.status < 400) throw new Error(`${method} ${path} answered ${describeAnswer(res)}`);
          verify(`${method} ${path}`, '', res, before, await changes(), calls, 'json');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a Xero delivery of the wrong shape gets a readable message', async () => {
    const r = route('/webhooks/xero');
    const res = await sendSigned(w.app, r, '{"events":"none"}', keys);
    expect(res.status).toBe(400);
    expect(jsonErrorProblems(res)).toEqual([]);
  });

  it('a Stripe event whose `created` is not a number gets a 4xx, not a 500', async () => {
    const body = JSON.stringify({ ...JSON.parse(stripeBody()), created: 'yesterday' });
    const res = await sendSigned(w.app, route('/webhooks/stripe'), body, keys);
    expect(res.status).toBeLessThan(500);
  });

  it('a NUL in a signed delivery gets a 4xx, not a 500', async () => {
    for (const [path, body] of [
      ['/webhooks/stripe', JSON.stringify({ ...JSON.parse(stripeBody()), id: 'evt_\u0000' })],
      ['/webhooks/quickbooks', quickbooksBody(realm, 'inv\u0000')],
      ['/webhooks/xero', xeroBody('tenant\u0000')],
    ] as const) {
      const res = await sendSigned(w.app, route(path), body, keys);
      expect([path, res.status < 500]).toEqual([path, true]);
    }
  });

  it('an event id of 10 KB gets a 4xx (or is stored), not a 500', async () => {
    // Random, so PostgreSQL cannot compress it under its index entry limit.
    const body = JSON.stringify({ ...JSON.parse(stripeBody()), id: `evt_${randomBytes(5_000).toString('hex')}` });
    const res = await sendSigned(w.app, route('/webhooks/stripe'), body, keys);
    expect(res.status).toBeLessThan(500);
  });

  it('a refused authorisation code is a 4xx, not a 502', async () => {
    for (const vendor of ['quickbooks', 'xero'] as const) {
      const state = await createFinanceState(w.db, {
        purpose: `connect:${vendor}`,
        portalId: PORTAL_A,
        now: new Date(),
      });
      const res = await request(w.app).get(`/oauth/${vendor}/callback?state=${state}&code=forged&realmId=1`);
      expect(res.status).toBeLessThan(500);
    }
  });
});
