import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { installPortal } from '../app/install.js';
import { isHubSpotError } from '../integrations/hubspot/errors.js';
import { accessTokenInfo, exchangeCode, installUrl, missingScopes } from '../integrations/hubspot/oauth.js';
import type { Db } from '../store/db.js';
import { consumeOAuthState, createOAuthState } from '../store/oauth-states.js';
import type { SecretBox } from '../store/secrets.js';
import type { Runtime } from './runtime.js';

const STATE_TTL_MS = 10 * 60_000;

function page(title: string, body: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;color:#33475b}h1{font-size:1.4rem}</style>
</head><body><h1>${esc(title)}</h1><p>${esc(body)}</p></body></html>`;
}

/**
 * GET /oauth/hubspot/install sends the admin to HubSpot with the app's scopes and a one-time state;
 * GET /oauth/hubspot/callback checks the state, exchanges the code, learns the portal from the token, stores the
 * tokens encrypted, and creates the properties and default templates (idempotent, so a repeated install is safe).
 * @example app.use(hubspotOAuthRouter({ db, box, runtime, clientId, clientSecret, publicBaseUrl, logger }))
 */
export function hubspotOAuthRouter(deps: {
  db: Db;
  box: SecretBox;
  runtime: Pick<Runtime, 'crmFor' | 'forget'>;
  clientId: string;
  clientSecret: string;
  publicBaseUrl: string;
  apiBaseUrl?: string | undefined;
  logger: Logger;
}): Router {
  const router = express.Router();
  const redirectUri = `${deps.publicBaseUrl}/oauth/hubspot/callback`;
  const basePath = deps.apiBaseUrl ? { basePath: deps.apiBaseUrl } : {};

  router.get('/oauth/hubspot/install', async (_req, res) => {
    const state = await createOAuthState(deps.db, { purpose: 'hubspot_install', ttlMs: STATE_TTL_MS });
    res.redirect(302, installUrl({ clientId: deps.clientId, redirectUri, state }));
  });

  router.get('/oauth/hubspot/callback', async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    if (typeof req.query.error === 'string') {
      res
        .status(400)
        .send(page('Installation cancelled', `HubSpot said: ${req.query.error_description ?? req.query.error}`));
      return;
    }
    if (!code || !state || !(await consumeOAuthState(deps.db, state, 'hubspot_install'))) {
      res
        .status(400)
        .send(
          page(
            'Installation link expired',
            'This install link is invalid or was already used. Start the installation again from the app listing.',
          ),
        );
      return;
    }
    try {
      let tokens: Awaited<ReturnType<typeof exchangeCode>>;
      try {
        tokens = await exchangeCode({
          clientId: deps.clientId,
          clientSecret: deps.clientSecret,
          code,
          redirectUri,
          ...basePath,
        });
      } catch (e) {
        // HubSpot refusing the code (used, expired, forged) is a bad request, not a failure on our side or HubSpot's.
        if (!isHubSpotError(e) || (e.kind !== 'validation' && e.kind !== 'auth')) throw e;
        deps.logger.warn({ status: e.status, category: e.category }, 'HubSpot refused the authorization code');
        res
          .status(400)
          .send(
            page(
              'Installation link expired',
              'HubSpot did not accept this authorisation: it was already used or has expired. Start the installation again from the app listing.',
            ),
          );
        return;
      }
      const info = await accessTokenInfo(tokens.accessToken, basePath);
      const missing = missingScopes(info.scopes);
      if (missing.length > 0) {
        res
          .status(400)
          .send(
            page(
              'Permissions missing',
              `The app needs these HubSpot permissions to work: ${missing.join(', ')}. Install again and keep them selected.`,
            ),
          );
        return;
      }
      deps.runtime.forget(info.portalId);
      await installPortal(deps.db, deps.box, deps.runtime.crmFor(info.portalId), {
        portalId: info.portalId,
        hubDomain: info.hubDomain,
        scopes: info.scopes,
        tokens,
      });
      deps.logger.info({ portalId: info.portalId }, 'installed');
      res
        .status(200)
        .send(
          page(
            'Revenue Handoff is installed',
            `It is ready in ${info.hubDomain ?? `HubSpot account ${info.portalId}`}. Open a deal to see the handoff checklist, and the app settings to connect your finance system.`,
          ),
        );
    } catch (e) {
      deps.logger.error({ err: e }, 'install failed');
      res
        .status(502)
        .send(
          page(
            'Installation failed',
            'The installation did not complete. Please try again: installing twice is safe and changes nothing that is already set up.',
          ),
        );
    }
  });
  return router;
}
