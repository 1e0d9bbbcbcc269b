import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import type { HandlerContext } from '../../serverless/handler.js';
import { startFinanceConnect } from '../../src/app/finance-connections.js';
import type { AppServices } from '../../src/app/services.js';
import { financeOAuthRouter } from '../../src/server/finance-oauth.js';
import { createLogger } from '../../src/server/logger.js';
import { tokenContext } from '../../src/store/tokens.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, NOW, openHarness, PORTAL, QBO_OAUTH_CLIENT, XERO_CLIENT } from '../support/finance-harness.js';

describe.each(testDatabases())('finance OAuth connect flows on $name', ({ open }) => {
  let h: Harness;
  let app: express.Express;
  beforeAll(async () => {
    h = await openHarness(() => open());
    app = express().use(
      financeOAuthRouter({
        db: h.db,
        box: h.box,
        gateway: h.gateway,
        logger: createLogger('silent'),
        now: () => h.clock.now,
      }),
    );
  }, 60_000);
  afterAll(() => h.close());

  async function ctx(roles = ['finance']): Promise<HandlerContext<AppServices>> {
    return {
      portalId: PORTAL,
      user: { id: '3003', roles, teams: [] },
      now: h.clock.now,
      logger: createLogger('silent'),
      services: await h.runtime.services(PORTAL),
    };
  }

  const connection = async (system: string) =>
    (
      await h.db.query<Record<string, unknown>>(
        'SELECT * FROM finance_connections WHERE portal_id = $1 AND system = $2',
        [PORTAL, system],
      )
    )[0];

  it('connects QuickBooks: a portal-bound one-time state, the consent redirect, the realm from the callback, tokens encrypted', async () => {
    h.clock.now = NOW;
    await expect(
      startFinanceConnect(await ctx(['sales']), { system: 'quickbooks' }, { publicBaseUrl: 'https://rh.test' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const { url } = await startFinanceConnect(
      await ctx(),
      { system: 'quickbooks' },
      { publicBaseUrl: 'https://rh.test' },
    );
    const link = new URL(url);
    expect(link.pathname).toBe('/oauth/quickbooks/connect');
    const state = link.searchParams.get('state') as string;

    const redirect = await request(app).get(`/oauth/quickbooks/connect?state=${state}`);
    expect(redirect.status).toBe(302);
    const consent = new URL(redirect.headers.location as string);
    expect(consent.origin + consent.pathname).toBe('https://appcenter.intuit.com/connect/oauth2');
    expect(consent.searchParams.get('state')).toBe(state);
    expect(consent.searchParams.get('redirect_uri')).toBe(QBO_OAUTH_CLIENT.redirectUri);

    const { code, realmId } = h.qbo.oauth.issueCode();
    const done = await request(app).get(`/oauth/quickbooks/callback?code=${code}&state=${state}&realmId=${realmId}`);
    expect(done.status).toBe(200);
    expect(done.text).toContain('QuickBooks Online connected');
    const row = await connection('quickbooks');
    expect(row).toMatchObject({ tenant_id: realmId, status: 'connected' });
    const owner = { table: 'finance_connections' as const, portalId: PORTAL, system: 'quickbooks' as const };
    expect(String(row?.access_token_enc)).not.toContain('qbo-access');
    expect(h.box.decrypt(String(row?.access_token_enc), tokenContext(owner, 'access'))).toMatch(/^qbo-access-/);

    // The state is spent: a replayed callback changes nothing.
    const replay = await request(app).get(`/oauth/quickbooks/callback?code=${code}&state=${state}&realmId=${realmId}`);
    expect(replay.status).toBe(400);
    expect((await request(app).get(`/oauth/quickbooks/connect?state=${state}`)).status).toBe(400);
  });

  it('refreshes a rotating QuickBooks token single-flight and keeps the newest refresh token', async () => {
    await h.db.query(
      `UPDATE finance_connections SET access_expires_at = $2 WHERE portal_id = $1 AND system = 'quickbooks'`,
      [PORTAL, new Date(NOW.getTime() - 60_000)],
    );
    const before = await connection('quickbooks');
    const { finance } = await h.gateway.forPortal(PORTAL, { system: 'quickbooks' });
    // Two calls at once: one refresh.
    await Promise.all([
      finance.findCustomer({ email: 'nobody@x.example' }),
      finance.findCustomer({ legalName: 'Nobody' }),
    ]);
    expect(h.qbo.calls.filter((c) => c.route === 'POST oauth/token' && c.status === 200)).toHaveLength(2); // code + one refresh
    const after = await connection('quickbooks');
    expect(Number(after?.token_generation)).toBe(Number(before?.token_generation) + 1);
    expect(after?.refresh_token_enc).not.toBe(before?.refresh_token_enc);
    expect(after?.status).toBe('connected');
  });

  it('refuses an expired state, a state for another vendor, and a cancelled consent', async () => {
    const { url: xeroUrl } = await startFinanceConnect(
      await ctx(),
      { system: 'xero' },
      { publicBaseUrl: 'https://rh.test' },
    );
    const xeroState = new URL(xeroUrl).searchParams.get('state') as string;
    // A Xero state is no good for QuickBooks (and is spent trying).
    expect((await request(app).get(`/oauth/quickbooks/callback?code=x&state=${xeroState}&realmId=1`)).status).toBe(400);

    const { url } = await startFinanceConnect(await ctx(), { system: 'xero' }, { publicBaseUrl: 'https://rh.test' });
    const state = new URL(url).searchParams.get('state') as string;
    h.clock.now = new Date(NOW.getTime() + 16 * 60_000);
    expect((await request(app).get(`/oauth/xero/connect?state=${state}`)).status).toBe(400);
    h.clock.now = NOW;

    const { url: third } = await startFinanceConnect(
      await ctx(),
      { system: 'xero' },
      { publicBaseUrl: 'https://rh.test' },
    );
    const cancelled = await request(app).get(
      `/oauth/xero/callback?error=access_denied&state=${new URL(third).searchParams.get('state')}`,
    );
    expect(cancelled.status).toBe(400);
    expect(cancelled.text).toContain('access_denied');
    expect(await connection('xero')).toBeUndefined();
  });

  it('connects Xero with the organisation from its connections endpoint and retires QuickBooks', async () => {
    h.clock.now = NOW;
    const { url } = await startFinanceConnect(
      await ctx(['revops']),
      { system: 'xero' },
      { publicBaseUrl: 'https://rh.test' },
    );
    const state = new URL(url).searchParams.get('state') as string;
    const redirect = await request(app).get(`/oauth/xero/connect?state=${state}`);
    expect(new URL(redirect.headers.location as string).host).toBe('login.xero.com');
    const code = h.xero.authorize({ redirectUri: XERO_CLIENT.redirectUri });
    const done = await request(app).get(`/oauth/xero/callback?code=${code}&state=${state}`);
    expect(done.status).toBe(200);
    expect(await connection('xero')).toMatchObject({ tenant_id: h.xero.tenantId, status: 'connected' });
    expect((await connection('quickbooks'))?.status).toBe('disconnected');
    expect((await (await ctx()).services.store.finance.connection())?.system).toBe('xero');
  });
});
