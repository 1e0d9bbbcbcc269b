/**
 * The preview router without a browser: mounted only in demo mode, without esbuild only the landing page (saying how
 * to enable the rest), and the signing proxy's requests signed exactly as HubSpot signs `hubspot.fetch`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { DEMO_PORTAL_ID } from '../../src/demo/data.js';
import { createHubSpotSandbox } from '../../src/integrations/hubspot/sandbox/index.js';
import { verifyHubSpotSignatureV3 } from '../../src/integrations/hubspot/signature.js';
import { PREVIEW_USER_HEADER } from '../../src/preview/bootstrap.js';
import type { BundleState } from '../../src/preview/bundle.js';
import { type PreviewRouterOptions, previewRouter } from '../../src/preview/router.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';

const logger = createLogger('silent');
const demoConfig = loadConfig({ PORT: '0' });
const built: BundleState = {
  ok: true,
  ms: 0,
  assets: new Map([['main.js', { contents: new TextEncoder().encode('export {};'), contentType: 'text/javascript' }]]),
};

describe('preview router', () => {
  let db: Db;
  let base: Omit<PreviewRouterOptions, 'bundle'>;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    base = { config: demoConfig, db, logger, hubspot: createHubSpotSandbox({ portalId: DEMO_PORTAL_ID }) };
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });

  const appWith = (bundle: PreviewRouterOptions['bundle']) =>
    createApp({ db, logger, routers: [previewRouter({ ...base, bundle })] });

  it('refuses to mount outside demo mode', () => {
    const real = loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'real-secret' });
    expect(real.demo).toBe(false);
    expect(() => previewRouter({ ...base, config: real, bundle: Promise.resolve(built) })).toThrow(/only in demo mode/);
  });

  it('without esbuild serves only the landing page, which says how to enable the preview', async () => {
    const app = appWith(null);
    const landing = await request(app).get('/');
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('The card preview is not available.');
    expect(landing.text).toContain('npm install');
    expect((await request(app).get('/preview/settings')).status).toBe(404);
    expect((await request(app).get('/preview/assets/main.js')).status).toBe(404);
    expect((await request(app).post('/preview/api/getSettings').set(PREVIEW_USER_HEADER, '4004')).status).toBe(404);
  });

  it('answers 503 with the reason when the bundle could not be built', async () => {
    const reason = 'The preview is pinned to @hubspot/ui-extensions 0.17.0, but 0.18.0 is installed.';
    const app = appWith(Promise.resolve({ ok: false, reason }));
    const page = await request(app).get('/preview/settings');
    expect(page.status).toBe(503);
    expect(page.text).toContain('0.18.0 is installed');
    expect((await request(app).get('/')).text).toContain('0.18.0 is installed');
  });

  it('serves a page shell with the bootstrap and the built assets', async () => {
    const app = appWith(Promise.resolve(built));
    const page = await request(app).get('/preview/settings?as=csm');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<script type="module" src="/preview/assets/main.js">');
    expect(page.text).toContain('"as":"csm"');
    const asset = await request(app).get('/preview/assets/main.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect((await request(app).get('/preview/deal/999999')).status).toBe(404);
  });

  it('signs a card request as HubSpot does and forwards it to /api/<name> on the same server', async () => {
    const seen: Array<{ check: unknown; query: unknown; body: string }> = [];
    const api = express.Router();
    api.post('/api/:name', express.raw({ type: () => true }), (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      seen.push({
        check: verifyHubSpotSignatureV3({
          method: req.method,
          uri: `${demoConfig.publicBaseUrl}${req.originalUrl}`,
          body,
          signature: req.header('x-hubspot-signature-v3'),
          timestamp: req.header('x-hubspot-request-timestamp'),
          clientSecret: demoConfig.hubspot.clientSecret,
          now: new Date(),
        }),
        query: req.query,
        body,
      });
      res.json({ name: req.params.name });
    });
    const app = createApp({ db, logger, routers: [api, previewRouter({ ...base, bundle: Promise.resolve(built) })] });

    const res = await request(app)
      .post('/preview/api/getHandoffView')
      .set(PREVIEW_USER_HEADER, '2002')
      .set('content-type', 'application/json')
      .send('{"dealId":"42"}');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'getHandoffView' });
    expect(seen).toEqual([
      {
        check: { ok: true },
        query: {
          portalId: String(DEMO_PORTAL_ID),
          userId: '2002',
          userEmail: 'casey@revenue-handoff-demo.test',
          appId: demoConfig.hubspot.appId,
        },
        body: '{"dealId":"42"}',
      },
    ]);
  });

  it('refuses a request that names no demo person', async () => {
    const app = appWith(Promise.resolve(built));
    const res = await request(app).post('/preview/api/getSettings').send('{}');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(PREVIEW_USER_HEADER);
    const stranger = await request(app).post('/preview/api/getSettings').set(PREVIEW_USER_HEADER, '9999').send('{}');
    expect(stranger.status).toBe(400);
  });
});
