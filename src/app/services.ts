import type { Logger } from 'pino';
import type { FinanceCapabilities } from '../billing/capabilities.js';
import type { HubSpotCrm } from '../integrations/hubspot/client.js';
import type { JobQueue } from '../jobs/queue.js';
import type { PortalSettings } from '../settings/portal-settings.js';
import type { PortalStore } from '../store/portal-store.js';
import type { SecretBox } from '../store/secrets.js';

/** What the server hands every handler for one portal (HandlerContext.services). */
export interface AppServices {
  store: PortalStore;
  crm: HubSpotCrm;
  settings: PortalSettings;
  /** Null where jobs cannot be sent (never in the server; only in narrow tests). */
  queue: Pick<JobQueue, 'send'> | null;
  /** What the connected finance system can express, for feasibility checks; null when none is connected. */
  capabilities: (system: 'quickbooks' | 'xero' | 'stripe') => FinanceCapabilities;
  logger: Logger;
  /** A one-time link that starts connecting a finance system for this portal; null where that system has no
   * OAuth configured (Stripe uses an API key; a system without client credentials cannot be connected). */
  connectUrl?: (system: 'quickbooks' | 'xero') => Promise<string | null>;
  /** Process-wide pieces some functions need: the secret box (Stripe keys), the public URL, the Stripe API base. */
  platform?: { box: SecretBox; publicBaseUrl: string; stripeApiBaseUrl?: string | undefined };
}
