import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import type { FinanceConfig } from '../integrations/finance/factory.js';
import {
  createQuickBooksSandbox,
  type QuickBooksSandbox,
  SANDBOX_VERIFIER_TOKEN,
} from '../integrations/finance/quickbooks/sandbox/index.js';
import { createHubSpotSandbox, type HubSpotSandbox } from '../integrations/hubspot/sandbox/index.js';
import { serveSandbox } from '../integrations/sandbox/transport.js';
import { DEMO_PORTAL_ID } from './data.js';
import { DEMO_ACCESS_TOKEN, DEMO_TIME_ZONE } from './seed.js';

export interface DemoSandboxes {
  hubspot: HubSpotSandbox;
  hubspotUrl: string;
  quickbooks: QuickBooksSandbox;
  quickbooksUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the vendor sandboxes the demo talks to over real HTTP on 127.0.0.1 (the same fakes the tests use): HubSpot
 * and QuickBooks Online, and returns the configuration that points the app at them. The demo's database is in
 * memory because the sandboxes are: both start fresh on every run, and always agree.
 * @example const { config, financeConfig, sandboxes } = await startDemoSandboxes(loadConfig(), logger)
 */
export async function startDemoSandboxes(
  config: AppConfig,
  logger: Logger,
): Promise<{ config: AppConfig; financeConfig: FinanceConfig; sandboxes: DemoSandboxes }> {
  const hubspot = createHubSpotSandbox({ portalId: DEMO_PORTAL_ID, accessToken: DEMO_ACCESS_TOKEN });
  const hubspotServed = await serveSandbox(hubspot.handle);
  const oauth = {
    clientId: 'demo-qbo-client',
    clientSecret: 'demo-qbo-secret',
    redirectUri: `${config.publicBaseUrl}/oauth/quickbooks/callback`,
  };
  // DEMO_QUICKBOOKS_COUNTRY=GB: the demo's books are a UK company (VAT codes on every line, GBP).
  const country = (process.env.DEMO_QUICKBOOKS_COUNTRY ?? 'US').trim().toUpperCase() || 'US';
  const quickbooks = createQuickBooksSandbox({
    oauth,
    // The demo's books are in the demo portal's zone, so a payment made at 9 pm in New York is dated that day.
    timeZone: DEMO_TIME_ZONE,
    ...(country === 'US'
      ? {}
      : { country, homeCurrency: country === 'GB' ? 'GBP' : 'EUR', companyName: `Revenue Handoff Demo (${country})` }),
  });
  const qboServed = await serveSandbox(quickbooks.handle);
  logger.info({ hubspot: hubspotServed.url, quickbooks: qboServed.url }, 'demo: vendor sandboxes listening');
  return {
    config: { ...config, pgliteDataDir: 'memory://', hubspot: { ...config.hubspot, apiBaseUrl: hubspotServed.url } },
    financeConfig: {
      quickbooks: {
        ...oauth,
        apiBaseUrl: qboServed.url,
        tokenUrl: `${qboServed.url}/oauth2/v1/tokens/bearer`,
        webhookVerifierToken: SANDBOX_VERIFIER_TOKEN,
      },
      stripe: {},
    },
    sandboxes: {
      hubspot,
      hubspotUrl: hubspotServed.url,
      quickbooks,
      quickbooksUrl: qboServed.url,
      close: async () => {
        await hubspotServed.close();
        await qboServed.close();
      },
    },
  };
}
