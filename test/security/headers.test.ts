import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { DEMO_PORTAL_ID } from '../../src/demo/data.js';
import { SCOPES } from '../../src/integrations/hubspot/oauth.js';
import { createHubSpotSandbox } from '../../src/integrations/hubspot/sandbox/index.js';
import type { BundleState } from '../../src/preview/bundle.js';
import { previewRouter } from '../../src/preview/router.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { createOAuthState as createConnectState } from '../../src/store/oauth-states.js';
import { apiQuery, PUBLIC_ROUTES, type PublicRoute, sendSigned } from '../support/routes.js';
import { TEST_BASE_URL } from '../support/signed.js';
import { PORTAL_A, startWholeApp, USERS, type WholeApp } from '../support/whole-app.js';

/**
 * Hardened headers (helmet) on everything the app serves — the OAuth result pages, the redirects to the vendors,
 * the card API's answers and errors, webhooks, /health, the 404 and the demo's preview pages — and a content
 * security policy on HTML pages
 * that allows no inline script, no plugin and no framing by another site. HSTS is sent on every answer (the app is
 * meant to be reached over https; browsers ignore it over http). Referrer-Policy keeps an OAuth callback's code and
 * state out of the Referer of anything the page links to.
 */

describe('security headers', () => {
  let w: WholeApp;
  const pages: Array<[string, request.Response]> = [];
  const previewPages: Array<[string, request.Response]> = [];
  const others: Array<[string, request.Response]> = [];

  beforeAll(async () => {
    w = await startWholeApp();
    const install = await request(w.app).get('/oauth/hubspot/install');
    others.push(['GET /oauth/hubspot/install (redirect)', install]);
    const state = new URL(String(install.headers.location)).searchParams.get('state') as string;
    const code = w.hubspot.issueAuthCode({
      redirectUri: `${TEST_BASE_URL}/oauth/hubspot/callback`,
      scopes: SCOPES,
      portalId: 616161,
    });
    pages.push([
      'HubSpot install: success page',
      await request(w.app).get('/oauth/hubspot/callback').query({ code, state }),
    ]);
    pages.push([
      'HubSpot install: expired link page',
      await request(w.app).get('/oauth/hubspot/callback?state=nope&code=x'),
    ]);
    pages.push([
      'HubSpot install: cancelled page',
      await request(w.app).get('/oauth/hubspot/callback?error=access_denied'),
    ]);
    const connect = await createConnectState(w.db, {
      purpose: 'connect:quickbooks',
      portalId: PORTAL_A,
      now: new Date(),
    });
    others.push([
      'GET /oauth/quickbooks/connect (redirect)',
      await request(w.app).get(`/oauth/quickbooks/connect?state=${connect}`),
    ]);
    const issued = w.qbo.oauth.issueCode();
    pages.push([
      'QuickBooks: connected page',
      await request(w.app).get(
        `/oauth/quickbooks/callback?state=${connect}&code=${issued.code}&realmId=${issued.realmId}`,
      ),
    ]);
    pages.push(['QuickBooks: expired link page', await request(w.app).get('/oauth/quickbooks/connect?state=nope')]);
    pages.push(['Xero: expired sign-in page', await request(w.app).get('/oauth/xero/callback?state=nope')]);

    const keys = {
      hubspot: w.secrets.hubspotClientSecret,
      quickbooks: w.secrets.qboVerifierToken,
      xero: w.secrets.xeroWebhookKey,
      stripe: w.secrets.stripeWebhookSecret,
    };
    const route = (path: string) => PUBLIC_ROUTES.find((r) => r.path === path) as PublicRoute;
    const query = apiQuery(PORTAL_A, USERS.revops);
    others.push(['card API 200', await sendSigned(w.app, route('/api/getSettings'), '{}', keys, { query })]);
    others.push(['card API 400', await sendSigned(w.app, route('/api/getHandoffView'), '{}', keys, { query })]);
    others.push([
      'card API 401',
      await sendSigned(w.app, route('/api/getSettings'), '{}', keys, { query, tamper: 'missing' }),
    ]);
    others.push([
      'card API 413',
      await sendSigned(w.app, route('/api/getSettings'), `"${'x'.repeat(1_100_000)}"`, keys, { query }),
    ]);
    others.push([
      'webhook 401',
      await sendSigned(w.app, route('/webhooks/xero'), '{}', keys, { tamper: 'wrong-secret' }),
    ]);
    others.push(['webhook 200', await sendSigned(w.app, route('/webhooks/hubspot'), '[]', keys)]);
    others.push(['/health', await request(w.app).get('/health')]);
    others.push(['404', await request(w.app).get('/nowhere')]);

    // The demo's preview (GET / and /preview/...), as createApp mounts it in demo mode, with a stand-in bundle.
    const demoConfig = loadConfig({ PORT: '0' });
    const hubspot = createHubSpotSandbox({ portalId: DEMO_PORTAL_ID });
    const dealId = hubspot.addDeal({ dealname: 'Preview deal', dealstage: 'contractsent' });
    const bundle: BundleState = {
      ok: true,
      ms: 0,
      assets: new Map([
        ['main.js', { contents: new TextEncoder().encode('export {};'), contentType: 'text/javascript' }],
      ]),
    };
    const preview = createApp({
      db: w.db,
      logger: createLogger('silent'),
      routers: [
        previewRouter({
          config: demoConfig,
          db: w.db,
          logger: createLogger('silent'),
          hubspot,
          bundle: Promise.resolve(bundle),
        }),
      ],
    });
    previewPages.push(['preview: landing', await request(preview).get('/')]);
    previewPages.push(['preview: deal page', await request(preview).get(`/preview/deal/${dealId}`)]);
    previewPages.push(['preview: settings page', await request(preview).get('/preview/settings?as=revops')]);
    previewPages.push([
      'preview: unknown deal',
      await request(preview).get('/preview/deal/<script>alert(1)<%2Fscript>'),
    ]);
    previewPages.push([
      'preview: landing as an unknown person',
      await request(preview).get('/?as=<script>alert(1)</script>'),
    ]);
  }, 60_000);
  afterAll(() => w.stop());

  const all = () => [...pages, ...others];

  it('served what it should (the answers below are the real ones)', () => {
    expect(pages.map(([name, r]) => [name, r.status, String(r.headers['content-type']).split(';')[0]])).toEqual([
      ['HubSpot install: success page', 200, 'text/html'],
      ['HubSpot install: expired link page', 400, 'text/html'],
      ['HubSpot install: cancelled page', 400, 'text/html'],
      ['QuickBooks: connected page', 200, 'text/html'],
      ['QuickBooks: expired link page', 400, 'text/html'],
      ['Xero: expired sign-in page', 400, 'text/html'],
    ]);
    expect(others.map(([name, r]) => [name, r.status])).toEqual([
      ['GET /oauth/hubspot/install (redirect)', 302],
      ['GET /oauth/quickbooks/connect (redirect)', 302],
      ['card API 200', 200],
      ['card API 400', 400],
      ['card API 401', 401],
      ['card API 413', 413],
      ['webhook 401', 401],
      ['webhook 200', 200],
      ['/health', 200],
      ['404', 404],
    ]);
  });

  it('never says what it runs on (no X-Powered-By)', () => {
    expect(
      all()
        .filter(([, r]) => r.headers['x-powered-by'] !== undefined)
        .map(([n]) => n),
    ).toEqual([]);
  });

  it('forbids MIME sniffing everywhere (X-Content-Type-Options: nosniff)', () => {
    expect(
      all()
        .filter(([, r]) => r.headers['x-content-type-options'] !== 'nosniff')
        .map(([n]) => n),
    ).toEqual([]);
  });

  it('sends HSTS for at least 180 days, subdomains included', () => {
    for (const [name, r] of all()) {
      const hsts = String(r.headers['strict-transport-security'] ?? '');
      const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
      expect([name, maxAge >= 180 * 86_400, /includeSubDomains/i.test(hsts)]).toEqual([name, true, true]);
    }
  });

  it("keeps the OAuth pages out of other sites' frames and out of Referer headers", () => {
    for (const [name, r] of all()) {
      expect([name, r.headers['x-frame-options']]).toEqual([name, 'SAMEORIGIN']);
      expect([name, r.headers['referrer-policy']]).toEqual([name, 'no-referrer']);
    }
  });

  it('puts a content security policy on every HTML page: no inline or foreign script, no plugins, no framing', () => {
    for (const [name, r] of [...pages, ...previewPages]) {
      const csp = String(r.headers['content-security-policy'] ?? '');
      const directive = (d: string) => new RegExp(`(?:^|;)\\s*${d}\\s+([^;]*)`).exec(csp)?.[1]?.trim();
      expect([name, directive('default-src')]).toEqual([name, "'self'"]);
      const scripts = directive('script-src') ?? directive('default-src') ?? '';
      expect([name, /unsafe-inline|unsafe-eval|\*|https?:/.test(scripts)]).toEqual([name, false]);
      expect([name, directive('object-src')]).toEqual([name, "'none'"]);
      expect([name, directive('frame-ancestors')]).toEqual([name, "'self'"]);
      expect([name, directive('base-uri')]).toEqual([name, "'self'"]);
      expect([name, directive('form-action')]).toEqual([name, "'self'"]);
      // No inline script: every <script> loads a file from this origin or is inert JSON data.
      const inline = [...r.text.matchAll(/<script\b([^>]*)>/gi)].filter(
        ([, attrs]) => !/\bsrc="\/[^"]*"/.test(attrs ?? '') && !/type="application\/json"/.test(attrs ?? ''),
      );
      expect([name, inline.length]).toEqual([name, 0]);
    }
  });

  it('hardens the demo preview pages too (mounted only in demo mode)', () => {
    expect(previewPages.map(([name, r]) => [name, r.status])).toEqual([
      ['preview: landing', 200],
      ['preview: deal page', 200],
      ['preview: settings page', 200],
      ['preview: unknown deal', 404],
      ['preview: landing as an unknown person', 200],
    ]);
    for (const [name, r] of previewPages) {
      expect([name, r.headers['x-content-type-options'], r.headers['x-frame-options']]).toEqual([
        name,
        'nosniff',
        'SAMEORIGIN',
      ]);
      expect([name, r.headers['x-powered-by']]).toEqual([name, undefined]);
      expect([name, String(r.headers['strict-transport-security'])]).toEqual([
        name,
        expect.stringMatching(/max-age=\d+/),
      ]);
      expect([name, r.text.includes('<script>alert')]).toEqual([name, false]);
    }
  });
});
