import type { Logger } from 'pino';
import type { CallingUser } from '../../serverless/handler.js';
import { startFinanceConnect } from '../app/finance-connections.js';
import { uninstallPortal } from '../app/install.js';
import type { AppServices } from '../app/services.js';
import { VENDOR_CAPABILITIES } from '../billing/vendor-capabilities.js';
import type { AppConfig } from '../config.js';
import { DomainError } from '../core/errors.js';
import type { FinanceConfig } from '../integrations/finance/factory.js';
import { createHubSpotCrm, type HubSpotCrm, type RateBudget } from '../integrations/hubspot/client.js';
import { refreshTokens } from '../integrations/hubspot/oauth.js';
import type { JobQueue } from '../jobs/queue.js';
import { accessOf } from '../settings/portal-settings.js';
import type { Db } from '../store/db.js';
import { portalStore } from '../store/portal-store.js';
import type { SecretBox } from '../store/secrets.js';
import { accessToken, ReconnectNeeded } from '../store/tokens.js';

export interface RuntimeDeps {
  db: Db;
  box: SecretBox;
  queue: Pick<JobQueue, 'send'> | null;
  logger: Logger;
  config: Pick<AppConfig, 'hubspot'> & Partial<Pick<AppConfig, 'publicBaseUrl'>>;
  /** Which finance systems can be connected (OAuth client credentials) and where their APIs are. */
  financeConfig?: FinanceConfig;
  now?: () => Date;
  /** HubSpot's per-app budget by default; the demo raises it for its local sandbox. */
  hubspotBudget?: Partial<RateBudget>;
}

/**
 * The per-portal wiring shared by the API, the webhooks and the workers: a HubSpot client per portal (tokens
 * decrypted from the installation and refreshed single-flight), the portal's store and settings, the caller's roles.
 * @example const runtime = createRuntime({ db, box, queue, logger, config }); const crm = runtime.crmFor(42);
 */
export function createRuntime(deps: RuntimeDeps) {
  const clients = new Map<number, HubSpotCrm>();
  const { hubspot } = deps.config;

  function crmFor(portalId: number): HubSpotCrm {
    let crm = clients.get(portalId);
    if (!crm) {
      crm = createHubSpotCrm({
        portalId,
        ...(deps.hubspotBudget ? { budget: deps.hubspotBudget } : {}),
        ...(hubspot.apiBaseUrl ? { basePath: hubspot.apiBaseUrl } : {}),
        accessToken: () => tokenFor(portalId),
      });
      clients.set(portalId, crm);
    }
    return crm;
  }

  /**
   * The portal's HubSpot access token. HubSpot refuses a refresh token only once the app was uninstalled from the
   * portal, so a refusal marks the installation uninstalled (tokens dropped, history kept) and later requests get a
   * plain "not installed" answer instead of failing calls.
   */
  async function tokenFor(portalId: number): Promise<string> {
    try {
      return await accessToken(
        deps.db,
        deps.box,
        { table: 'installations', portalId },
        async (refreshToken) => {
          const t = await refreshTokens({
            clientId: hubspot.clientId,
            clientSecret: hubspot.clientSecret,
            refreshToken,
            ...(hubspot.apiBaseUrl ? { basePath: hubspot.apiBaseUrl } : {}),
          });
          return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt };
        },
        deps.now,
      );
    } catch (e) {
      if (e instanceof ReconnectNeeded) {
        await uninstallPortal(deps.db, portalId);
        clients.delete(portalId);
        throw new DomainError('forbidden', `Revenue Handoff was uninstalled from HubSpot account ${portalId}`);
      }
      throw e;
    }
  }

  async function services(portalId: number): Promise<AppServices> {
    const store = portalStore(deps.db, portalId);
    if (!(await store.installation.exists())) {
      throw new DomainError('forbidden', `Revenue Handoff is not installed in HubSpot account ${portalId}`);
    }
    const publicBaseUrl = deps.config.publicBaseUrl ?? 'http://localhost:3000';
    const s: AppServices = {
      store,
      crm: crmFor(portalId),
      settings: await store.installation.settings(),
      queue: deps.queue,
      capabilities: (system) => VENDOR_CAPABILITIES[system],
      logger: deps.logger.child({ portalId }),
      platform: { box: deps.box, publicBaseUrl, stripeApiBaseUrl: deps.financeConfig?.stripe?.apiBaseUrl },
    };
    const finance = deps.financeConfig;
    if (finance) {
      // A one-time link bound to this portal, made only for systems with OAuth credentials configured.
      s.connectUrl = async (system) => {
        if (!finance[system]) return null;
        const admin = { id: 'system', roles: ['revops'], teams: [] };
        const ctx = { portalId, user: admin, now: deps.now?.() ?? new Date(), logger: s.logger, services: s };
        return (await startFinanceConnect(ctx, { system }, { publicBaseUrl })).url;
      };
    }
    return s;
  }

  /** The API's resolver: services for the portal, and the caller's roles from the portal's settings. */
  async function resolve(
    portalId: number,
    userId: string,
    email: string | undefined,
  ): Promise<{ services: AppServices; user: CallingUser }> {
    const s = await services(portalId);
    const access = accessOf(s.settings, userId);
    return { services: s, user: { id: userId, ...(email ? { email } : {}), ...access } };
  }

  return { crmFor, services, resolve, tokenFor, forget: (portalId: number) => clients.delete(portalId) };
}

export type Runtime = ReturnType<typeof createRuntime>;
