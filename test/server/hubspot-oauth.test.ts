import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { SCOPES } from '../../src/integrations/hubspot/oauth.js';
import { createHubSpotSandbox } from '../../src/integrations/hubspot/sandbox/index.js';
import { hubspotOAuthRouter } from '../../src/server/hubspot-oauth.js';
import { createLogger } from '../../src/server/logger.js';
import { createRuntime } from '../../src/server/runtime.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { portalStore } from '../../src/store/portal-store.js';
import { createSecretBox } from '../../src/store/secrets.js';
import { mockVendors } from '../support/msw.js';
import { TEST_BASE_URL } from '../support/signed.js';

const PORTAL = 777;

describe('installing the app in a HubSpot portal (OAuth)', () => {
  const hubspot = createHubSpotSandbox({ portalId: 1 });
  hubspot.addPortal(PORTAL);
  const vendors = mockVendors({ 'https://api.hubapi.com': hubspot.handle });
  let db: Db;
  let app: express.Express;
  const box = createSecretBox(Buffer.alloc(32, 3).toString('base64'));

  beforeAll(async () => {
    vendors.start();
    db = await openPglite();
    await migrate(db);
    const config = {
      hubspot: {
        clientId: hubspot.state.app.clientId,
        clientSecret: hubspot.state.app.clientSecret,
        appId: '1',
        apiBaseUrl: undefined,
      },
    };
    const runtime = createRuntime({ db, box, queue: null, logger: createLogger('silent'), config });
    app = express();
    app.use(
      hubspotOAuthRouter({
        db,
        box,
        runtime,
        clientId: config.hubspot.clientId,
        clientSecret: config.hubspot.clientSecret,
        publicBaseUrl: TEST_BASE_URL,
        logger: createLogger('silent'),
      }),
    );
  });
  afterAll(async () => {
    vendors.stop();
    await db.close();
  });

  async function startInstall(): Promise<{ state: string; scope: string }> {
    const res = await request(app).get('/oauth/hubspot/install');
    expect(res.status).toBe(302);
    const url = new URL(res.headers.location as string);
    expect(url.origin + url.pathname).toBe('https://app.hubspot.com/oauth/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe(`${TEST_BASE_URL}/oauth/hubspot/callback`);
    return { state: url.searchParams.get('state') ?? '', scope: url.searchParams.get('scope') ?? '' };
  }

  it('asks HubSpot for exactly the scopes the app needs', async () => {
    const { scope } = await startInstall();
    expect(scope.split(' ').sort()).toEqual([...SCOPES].sort());
  });

  it('installs: tokens stored encrypted, properties and default templates created, and a second install changes nothing', async () => {
    const { state } = await startInstall();
    const code = hubspot.issueAuthCode({
      redirectUri: `${TEST_BASE_URL}/oauth/hubspot/callback`,
      scopes: SCOPES,
      portalId: PORTAL,
    });
    const res = await request(app).get('/oauth/hubspot/callback').query({ code, state });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Revenue Handoff is installed');

    const [row] = await db.query<{ access_token_enc: string; refresh_token_enc: string }>(
      'SELECT access_token_enc, refresh_token_enc FROM installations WHERE portal_id = $1',
      [PORTAL],
    );
    expect(row?.access_token_enc.startsWith('v1.')).toBe(true);
    const props = hubspot.state.portals.get(PORTAL)?.properties;
    expect(JSON.stringify([...(props?.deals?.keys?.() ?? [])])).toContain('rh_handoff_status');
    expect((await portalStore(db, PORTAL).templates.latest()).map((t) => t.id).sort()).toEqual([
      'default-cs-to-finance',
      'default-cs-to-sales-renewal',
      'default-sales-to-cs',
    ]);

    const writesBefore = hubspot.calls.filter((c) => c.method === 'POST' && c.path.includes('/properties')).length;
    const again = await startInstall();
    const code2 = hubspot.issueAuthCode({
      redirectUri: `${TEST_BASE_URL}/oauth/hubspot/callback`,
      scopes: SCOPES,
      portalId: PORTAL,
    });
    expect((await request(app).get('/oauth/hubspot/callback').query({ code: code2, state: again.state })).status).toBe(
      200,
    );
    const writesAfter = hubspot.calls.filter((c) => c.method === 'POST' && c.path.includes('/properties')).length;
    expect(writesAfter).toBe(writesBefore);
  });

  it('refuses a callback whose state is unknown or already used', async () => {
    const { state } = await startInstall();
    const code = hubspot.issueAuthCode({
      redirectUri: `${TEST_BASE_URL}/oauth/hubspot/callback`,
      scopes: SCOPES,
      portalId: PORTAL,
    });
    expect((await request(app).get('/oauth/hubspot/callback').query({ code, state: 'forged' })).status).toBe(400);
    expect((await request(app).get('/oauth/hubspot/callback').query({ code, state })).status).toBe(200);
    const replay = await request(app).get('/oauth/hubspot/callback').query({ code, state });
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('already used');
  });

  it('explains which permissions are missing when the admin deselected some', async () => {
    const { state } = await startInstall();
    const code = hubspot.issueAuthCode({
      redirectUri: `${TEST_BASE_URL}/oauth/hubspot/callback`,
      scopes: ['oauth'],
      portalId: PORTAL,
    });
    const res = await request(app).get('/oauth/hubspot/callback').query({ code, state });
    expect(res.status).toBe(400);
    expect(res.text).toContain('crm.objects.deals.write');
  });
});
