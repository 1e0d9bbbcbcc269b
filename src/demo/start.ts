import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { createHubSpotSandbox, type HubSpotSandbox } from '../integrations/hubspot/sandbox/index.js';
import { serveSandbox } from '../integrations/sandbox/transport.js';
import { DEMO_PORTAL_ID } from './data.js';
import { DEMO_ACCESS_TOKEN } from './seed.js';

export interface DemoSandboxes {
  hubspot: HubSpotSandbox;
  hubspotUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the vendor sandboxes the demo talks to over real HTTP on 127.0.0.1 (the same fakes the tests use), and
 * returns the configuration that points the app at them. The demo's database is in memory because the sandboxes
 * are: both start fresh on every run, and always agree.
 * @example const { config, sandboxes } = await startDemoSandboxes(loadConfig(), logger)
 */
export async function startDemoSandboxes(
  config: AppConfig,
  logger: Logger,
): Promise<{ config: AppConfig; sandboxes: DemoSandboxes }> {
  const hubspot = createHubSpotSandbox({ portalId: DEMO_PORTAL_ID, accessToken: DEMO_ACCESS_TOKEN });
  const served = await serveSandbox(hubspot.handle);
  logger.info({ url: served.url }, 'demo: HubSpot sandbox listening');
  return {
    config: { ...config, pgliteDataDir: 'memory://', hubspot: { ...config.hubspot, apiBaseUrl: served.url } },
    sandboxes: { hubspot, hubspotUrl: served.url, close: served.close },
  };
}
