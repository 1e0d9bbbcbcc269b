import { afterAll, beforeAll } from '@jest/globals';
import {
  createHubSpotCrm,
  DEFAULT_BASE_PATH,
  type HubSpotCrmOptions,
} from '../../../src/integrations/hubspot/client.js';
import {
  createHubSpotSandbox,
  type HubSpotSandbox,
  type HubSpotSandboxSeed,
} from '../../../src/integrations/hubspot/sandbox/index.js';
import { mockVendors } from '../../support/msw.js';

/** A budget that never throttles and retries that back off in milliseconds: tests about other things stay fast. */
export const UNTHROTTLED = { requests: 100_000, perMs: 1_000, maxConcurrent: 10 };
export const FAST_RETRY = { minBackoffMs: 5, maxBackoffMs: 20, defaultRetryAfterMs: 50 };

/**
 * msw routes https://api.hubapi.com into the current sandbox (a fresh one per test via `fresh`); any other host fails
 * the test, so nothing reaches the real HubSpot.
 */
export function hubspotTestbed() {
  let current: HubSpotSandbox = createHubSpotSandbox();
  const vendors = mockVendors({ [DEFAULT_BASE_PATH]: (request) => current.handle(request) });
  beforeAll(() => vendors.start());
  afterAll(() => vendors.stop());
  return {
    fresh(seed?: HubSpotSandboxSeed): HubSpotSandbox {
      current = createHubSpotSandbox(seed);
      return current;
    },
    crm(sandbox: HubSpotSandbox, overrides: Partial<HubSpotCrmOptions> = {}) {
      return createHubSpotCrm({
        portalId: sandbox.portalId,
        accessToken: async () => 'sandbox-token',
        budget: UNTHROTTLED,
        retry: FAST_RETRY,
        ...overrides,
      });
    },
  };
}
