import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import type { HubSpotSandbox } from '../integrations/hubspot/sandbox/index.js';
import type { Db } from '../store/db.js';
import { BOOTSTRAP_ELEMENT_ID, type PreviewBootstrap, type PreviewPage, type PreviewPerson } from './bootstrap.js';
import { type BundleState, buildPreviewBundle, missingPreviewTools } from './bundle.js';
import { demoDirectory, demoPeople } from './directory.js';
import { esc, PREVIEW_CSP, scriptJson } from './html.js';
import { landingPage } from './landing.js';
import { assertDemo, signingProxy } from './sign-proxy.js';

export interface PreviewRouterOptions {
  config: AppConfig;
  db: Db;
  logger: Logger;
  /** The demo's local HubSpot sandbox: the records the pages show. */
  hubspot: HubSpotSandbox;
  /**
   * Test seam: the bundle to serve, or null to act as if the development dependencies were not installed. Default:
   * built once with esbuild when the router is created, if they are installed.
   */
  bundle?: Promise<BundleState> | null;
}

const howToEnable = (missing: ReadonlyArray<string>) =>
  `It is built from development dependencies that are not installed (${missing.join(', ')}): run \`npm install\` ` +
  '(or `npm ci` without `--omit=dev`) and start again.';

/**
 * The demo's pages (ARCHITECTURE §6, `GET /` and `/preview/...`): the landing page; a record page for each deal and
 * company, the settings page and the app home, each rendering the REAL card components through the fake worker
 * host (client/extension-host.tsx); the browser bundle; and the demo-only signing proxy their `hubspot.fetch`
 * calls go through. Throws unless config.demo. Without the development dependencies (esbuild, react-dom,
 * remote-ui) only the landing page is mounted, saying how to enable the rest.
 * @example compose(config, logger, { extraRouters: (c) => [previewRouter({ ...c, logger, hubspot })] })
 */
export function previewRouter(options: PreviewRouterOptions): Router {
  assertDemo(options.config);
  const { logger } = options;
  const router = express.Router();
  const people = demoPeople();
  const directory = demoDirectory(options);
  const missing = options.bundle === undefined ? missingPreviewTools() : options.bundle === null ? ['esbuild'] : [];
  const source =
    options.bundle === undefined ? (missing.length === 0 ? buildPreviewBundle(logger) : null) : options.bundle;
  let bundleState: BundleState | null = null;
  const bundle =
    source?.then((s) => {
      bundleState = s;
      return s;
    }) ?? null;
  if (!bundle)
    logger.warn({ missing }, 'preview: development dependencies are missing, so the card preview is not mounted');

  const personOf = (req: Request, fallback: string): PreviewPerson => {
    const key = typeof req.query.as === 'string' ? req.query.as : fallback;
    return people.find((p) => p.key === key) ?? people.find((p) => p.key === fallback) ?? (people[0] as PreviewPerson);
  };
  const html = (res: Response, status: number, body: string) => {
    res.status(status).setHeader('Content-Security-Policy', PREVIEW_CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(body);
  };

  router.get('/', async (req, res, next) => {
    try {
      const unavailable = !bundle ? howToEnable(missing) : bundleState && !bundleState.ok ? bundleState.reason : null;
      html(
        res,
        200,
        landingPage({
          people,
          as: personOf(req, 'rep'),
          deals: await directory.deals(),
          companies: await directory.companies(),
          portalId: directory.portalId,
          previewUnavailable: unavailable,
        }),
      );
    } catch (e) {
      next(e);
    }
  });

  if (!bundle) return router;

  router.use(signingProxy({ config: options.config, people, portalId: directory.portalId, logger }));

  router.get('/preview/assets/:file', async (req, res) => {
    const state = await bundle;
    const asset = state.ok ? state.assets.get(String(req.params.file)) : undefined;
    if (!asset) {
      res
        .status(404)
        .type('text')
        .send(state.ok ? 'No such preview asset' : state.reason);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type(asset.contentType).send(Buffer.from(asset.contents));
  });

  const page = async (req: Request, res: Response, title: string, previewPage: PreviewPage | null, as: string) => {
    const state = await bundle;
    if (!state.ok) {
      html(res, 503, messagePage('The card preview is not available', state.reason));
      return;
    }
    if (!previewPage) {
      html(res, 404, messagePage('Not found', `${title} is not a record of the demo portal.`));
      return;
    }
    const boot: PreviewBootstrap = {
      page: previewPage,
      portal: { id: directory.portalId, timeZone: directory.timeZone },
      appId: options.config.hubspot.appId,
      appName: 'Revenue Handoff',
      people: people.map(({ key, id, name, email, roleLabel }) => ({ key, id, name, email, roleLabel })),
      as: personOf(req, as).key,
    };
    html(res, 200, previewShell(title, boot));
  };

  router.get('/preview/deal/:id', (req, res) => {
    const record = directory.dealRecord(String(req.params.id));
    return page(req, res, record?.name ?? `Deal ${req.params.id}`, record ? { kind: 'deal', record } : null, 'rep');
  });
  router.get('/preview/company/:id', (req, res) => {
    const record = directory.companyRecord(String(req.params.id));
    return page(
      req,
      res,
      record?.name ?? `Company ${req.params.id}`,
      record ? { kind: 'company', record } : null,
      'rep',
    );
  });
  router.get('/preview/settings', (req, res) => page(req, res, 'Settings', { kind: 'settings' }, 'revops'));
  router.get('/preview/home', (req, res) => page(req, res, 'Home', { kind: 'home' }, 'revops'));
  return router;
}

/** The preview page: the bundle's CSS and module, and the bootstrap as JSON (read by client/main.tsx). */
function previewShell(title: string, boot: PreviewBootstrap): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Revenue Handoff preview</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/preview/assets/main.css">
<script type="module" src="/preview/assets/main.js"></script>
</head>
<body>
<div id="root"><noscript>The card preview needs JavaScript.</noscript></div>
<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">${scriptJson(boot)}</script>
</body>
</html>`;
}

function messagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body style="font:14px/1.6 Helvetica,Arial,sans-serif;color:#33475b;max-width:720px;margin:48px auto">
<h1 style="font-size:22px">${esc(title)}</h1><p>${esc(message)}</p><p><a href="/" style="color:#0091ae">Back to the demo</a></p>
</body></html>`;
}
