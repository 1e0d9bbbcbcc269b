import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { FinanceGateway } from '../integrations/finance/factory.js';
import { FinanceError } from '../integrations/finance/port.js';
import type { Db } from '../store/db.js';
import { financeStore } from '../store/finance-store.js';
import { consumeOAuthState, peekOAuthState } from '../store/oauth-states.js';
import type { SecretBox } from '../store/secrets.js';

/**
 * OAuth connect flows for QuickBooks and Xero: GET /oauth/<vendor>/connect?state=… and /oauth/<vendor>/callback.
 *
 * The state is created by `startFinanceConnect` (a signed card API call, so we know the portal and that the caller
 * may administer it), stored in oauth_states bound to the portal and purpose with an expiry, and spent on the
 * callback whatever happens — a replayed or forged callback finds nothing. /connect only looks at the state and
 * sends the browser to the vendor's consent screen. The callback exchanges the code (QuickBooks names the company
 * in `realmId`; Xero's organisation comes from its connections endpoint), stores the tokens encrypted in
 * finance_connections, and retires any other finance system of the portal.
 */

export interface FinanceOAuthDeps {
  db: Db;
  box: SecretBox;
  gateway: FinanceGateway;
  logger: Logger;
  now?: () => Date;
}

const VENDORS = { quickbooks: 'QuickBooks Online', xero: 'Xero' } as const;
type OAuthVendor = keyof typeof VENDORS;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto"><h1>${escapeHtml(title)}</h1>` +
        `<p>${escapeHtml(message)}</p></body></html>`,
    );
}

function query(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * The express router of the finance OAuth routes: `app.use(financeOAuthRouter(deps))`.
 * @example app.use(financeOAuthRouter({ db, box, gateway, logger }))
 */
export function financeOAuthRouter(deps: FinanceOAuthDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  for (const vendor of Object.keys(VENDORS) as OAuthVendor[]) {
    const name = VENDORS[vendor];
    const purpose = `connect:${vendor}`;

    router.get(`/oauth/${vendor}/connect`, async (req, res) => {
      try {
        const state = query(req, 'state');
        const bound = state ? await peekOAuthState(deps.db, state, purpose, now()) : null;
        if (!state || !bound) {
          page(
            res,
            400,
            `Connect ${name}`,
            'This connect link has expired or was already used. Start again from the app settings in HubSpot.',
          );
          return;
        }
        res.redirect(302, deps.gateway.oauth(vendor).authorizeUrl(state));
      } catch (e) {
        deps.logger.error({ err: e, vendor }, 'finance connect failed');
        page(res, 500, `Connect ${name}`, e instanceof Error ? e.message : 'Something went wrong');
      }
    });

    router.get(`/oauth/${vendor}/callback`, async (req, res) => {
      const state = query(req, 'state');
      try {
        const bound = state ? await consumeOAuthState(deps.db, state, purpose, now()) : null;
        if (!state || bound?.portalId == null) {
          page(
            res,
            400,
            `Connect ${name}`,
            'This sign-in has expired or was already used. Start again from the app settings in HubSpot.',
          );
          return;
        }
        const error = query(req, 'error');
        if (error) {
          page(
            res,
            400,
            `${name} not connected`,
            `${name} said: ${query(req, 'error_description') ?? error}. Nothing was changed.`,
          );
          return;
        }
        const code = query(req, 'code');
        if (!code) {
          page(
            res,
            400,
            `${name} not connected`,
            `${name} sent no authorisation code. Start again from the app settings.`,
          );
          return;
        }
        const realmId = query(req, 'realmId');
        const tokens = await deps.gateway.oauth(vendor).exchangeCode(code, realmId ? { realmId } : {});
        if (!tokens.tenantId) throw new FinanceError(vendor, 'auth', `${name} did not say which company was connected`);
        const connection = await financeStore(deps.db, bound.portalId).connections.connect({
          system: vendor,
          tenantId: tokens.tenantId,
          box: deps.box,
          tokens: {
            accessToken: tokens.accessToken,
            ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
            expiresAt: tokens.expiresAt,
            ...(tokens.refreshExpiresAt ? { refreshExpiresAt: tokens.refreshExpiresAt } : {}),
          },
        });
        deps.logger.info(
          { portalId: bound.portalId, system: vendor, tenantId: connection.tenantId },
          'finance system connected',
        );
        page(
          res,
          200,
          `${name} connected`,
          `${name} is connected to Revenue Handoff. You can close this tab and return to HubSpot.`,
        );
      } catch (e) {
        if (!(e instanceof FinanceError)) {
          deps.logger.error({ err: e, vendor }, 'finance OAuth callback failed');
          page(
            res,
            500,
            `${name} not connected`,
            'Something went wrong on our side. Start again from the app settings.',
          );
          return;
        }
        deps.logger.warn({ err: e, vendor }, 'finance OAuth callback refused');
        // A refused code (used, expired, forged) is the request's fault: 400. Only a vendor outage is a 502.
        page(
          res,
          e.retryable ? 502 : 400,
          `${name} not connected`,
          e.retryable
            ? `${name} is not answering right now (${e.vendorMessage}). Try again in a few minutes from the app settings.`
            : `${name} refused the connection: ${e.vendorMessage}. Start again from the app settings.`,
        );
      }
    });
  }
  return router;
}
