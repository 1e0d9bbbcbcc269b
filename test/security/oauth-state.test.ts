import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startFinanceConnect } from '../../src/app/finance-connections.js';
import { SCOPES } from '../../src/integrations/hubspot/oauth.js';
import { createOAuthState as createConnectState } from '../../src/store/oauth-states.js';
import { htmlPageProblems } from '../support/answers.js';
import { adminContext } from '../support/deliveries.js';
import { TEST_BASE_URL } from '../support/signed.js';
import { PORTAL_A, rowCount, snapshot, startWholeApp, type WholeApp } from '../support/whole-app.js';

/**
 * OAuth states: a callback goes ahead only with a state this app issued, for this purpose, unspent and unexpired.
 * Forged, reused, expired and cross-purpose states are refused with a page saying so — before any code is
 * exchanged, so no vendor is even asked — and nothing is installed or connected. The pages never echo attacker
 * input unescaped, and the install and connect redirects go only to the vendor with our own redirect URI.
 */

const NEW_PORTAL = 515_151;
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'onmouseover='alert(1)"];

describe('OAuth states', () => {
  let w: WholeApp;

  beforeAll(async () => {
    w = await startWholeApp();
  }, 60_000);
  afterAll(() => w.stop());

  const hubspotExchanges = () => w.hubspot.calls.filter((c) => c.path === '/oauth/v1/token').length;
  const qboExchanges = () => w.qbo.calls.filter((c) => c.route === 'POST oauth/token').length;
  const callback = (query: Record<string, string>) => request(w.app).get('/oauth/hubspot/callback').query(query);
  const freshCode = () =>
    w.hubspot.issueAuthCode({
      redirectUri: `${TEST_BASE_URL}/oauth/hubspot/callback`,
      scopes: SCOPES,
      portalId: NEW_PORTAL,
    });

  async function installState(): Promise<string> {
    const res = await request(w.app).get('/oauth/hubspot/install');
    return new URL(String(res.headers.location)).searchParams.get('state') as string;
  }

  /** Refused: 400, a page that says the link is no good, nothing stored, no code exchanged with any vendor. */
  async function expectRefused(res: Promise<request.Response>, before: Awaited<ReturnType<typeof snapshot>>) {
    const exchanges = [hubspotExchanges(), qboExchanges()];
    const answer = await res;
    expect(answer.status).toBe(400);
    expect(htmlPageProblems(answer)).toEqual([]);
    expect(answer.text).toMatch(/expired|already used|invalid/i);
    const after = await snapshot(w.db);
    for (const t of Object.keys(before).filter((t) => t !== 'oauth_states'))
      expect([t, after[t]]).toEqual([t, before[t]]);
    expect([hubspotExchanges(), qboExchanges()]).toEqual(exchanges);
  }

  it('refuses a forged, missing or malformed state at the HubSpot callback', async () => {
    const before = await snapshot(w.db);
    for (const query of <Array<Record<string, string>>>[
      { code: freshCode(), state: randomBytes(24).toString('base64url') },
      { code: freshCode() },
      { code: freshCode(), state: '' },
      { code: freshCode(), state: "' OR '1'='1" },
    ]) {
      await expectRefused(callback(query), before);
    }
    // Two states at once (an array to express): refused, not a crash.
    const state = await installState();
    await expectRefused(
      request(w.app).get(`/oauth/hubspot/callback?code=${freshCode()}&state=${state}&state=${state}`),
      before,
    );
    expect(await rowCount(w.db, 'installations', NEW_PORTAL)).toBe(0);
  });

  it('installs once with a genuine state, and refuses the same state again (with the same or a new code)', async () => {
    const state = await installState();
    const code = freshCode();
    expect((await callback({ code, state })).status).toBe(200);
    expect(await rowCount(w.db, 'installations', NEW_PORTAL)).toBe(1);
    const before = await snapshot(w.db);
    await expectRefused(callback({ code, state }), before);
    await expectRefused(callback({ code: freshCode(), state }), before);
  });

  it('refuses an expired state, and a state issued for another purpose', async () => {
    const expired = await installState();
    await w.db.query(`UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE state = $1`, [expired]);
    const connect = await createConnectState(w.db, {
      purpose: 'connect:quickbooks',
      portalId: PORTAL_A,
      now: new Date(),
    });
    const before = await snapshot(w.db);
    await expectRefused(callback({ code: freshCode(), state: expired }), before);
    await expectRefused(callback({ code: freshCode(), state: connect }), before);
  });

  it('refuses forged, reused, expired and cross-purpose states at the finance connect and callback routes', async () => {
    const install = await createConnectState(w.db, { purpose: 'hubspot_install' });
    const xero = await createConnectState(w.db, { purpose: 'connect:xero', portalId: PORTAL_A, now: new Date() });
    const expired = await createConnectState(w.db, {
      purpose: 'connect:quickbooks',
      portalId: PORTAL_A,
      now: new Date(Date.now() - 3_600_000),
    });
    const before = await snapshot(w.db);
    for (const state of [randomBytes(24).toString('base64url'), install, xero, expired, '']) {
      const { code, realmId } = w.qbo.oauth.issueCode();
      await expectRefused(request(w.app).get(`/oauth/quickbooks/connect?state=${state}`), before);
      await expectRefused(
        request(w.app).get(`/oauth/quickbooks/callback?state=${state}&code=${code}&realmId=${realmId}`),
        before,
      );
    }
    // A genuine state connects once; the replay is refused.
    const { url } = await startFinanceConnect(
      await adminContext(w, PORTAL_A),
      { system: 'quickbooks' },
      { publicBaseUrl: TEST_BASE_URL },
    );
    const state = new URL(url).searchParams.get('state') as string;
    const { code, realmId } = w.qbo.oauth.issueCode();
    const done = await request(w.app).get(`/oauth/quickbooks/callback?state=${state}&code=${code}&realmId=${realmId}`);
    expect(done.status).toBe(200);
    const after = await snapshot(w.db);
    await expectRefused(
      request(w.app).get(`/oauth/quickbooks/callback?state=${state}&code=${code}&realmId=${realmId}`),
      after,
    );
  });

  it('never echoes attacker input unescaped on the result pages', async () => {
    for (const payload of XSS) {
      const cancelled = await callback({ error: 'access_denied', error_description: payload });
      expect(cancelled.status).toBe(400);
      expect(htmlPageProblems(cancelled, [payload])).toEqual([]);
      expect(cancelled.text).toMatch(/HubSpot said: [^<>]*&#(60|34|39);/); // shown, escaped
      const denied = await callback({ error: payload });
      expect(htmlPageProblems(denied, [payload])).toEqual([]);
      for (const vendor of ['quickbooks', 'xero'] as const) {
        // The vendor's error is only shown behind a genuine state.
        const state = await createConnectState(w.db, {
          purpose: `connect:${vendor}`,
          portalId: PORTAL_A,
          now: new Date(),
        });
        const page = await request(w.app)
          .get(`/oauth/${vendor}/callback`)
          .query({ state, error: payload, error_description: payload });
        expect(page.status).toBe(400);
        expect(htmlPageProblems(page, [payload])).toEqual([]);
        const forged = await request(w.app).get(`/oauth/${vendor}/connect`).query({ state: payload });
        expect(htmlPageProblems(forged, [payload])).toEqual([]);
      }
    }
  });

  it('redirects only to the vendor, with our redirect URI, whatever the query says', async () => {
    const res = await request(w.app).get('/oauth/hubspot/install?redirect_uri=https://evil.example/cb&client_id=evil');
    expect(res.status).toBe(302);
    const to = new URL(String(res.headers.location));
    expect(to.origin).toBe('https://app.hubspot.com');
    expect(to.searchParams.get('redirect_uri')).toBe(`${TEST_BASE_URL}/oauth/hubspot/callback`);
    expect(to.searchParams.getAll('redirect_uri')).toHaveLength(1);
    const state = await createConnectState(w.db, { purpose: 'connect:xero', portalId: PORTAL_A, now: new Date() });
    const xero = await request(w.app).get(`/oauth/xero/connect?state=${state}&redirect_uri=https://evil.example/cb`);
    expect(xero.status).toBe(302);
    const xto = new URL(String(xero.headers.location));
    expect(xto.host).toBe('login.xero.com');
    expect(xto.searchParams.get('redirect_uri')).toBe(`${TEST_BASE_URL}/oauth/xero/callback`);
  });
});
