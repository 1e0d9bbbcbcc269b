import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUTH_FAULT } from '../../src/integrations/finance/quickbooks/fixtures.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { financeStore } from '../../src/store/finance-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, openHarness, PORTAL, vendorState } from '../support/finance-harness.js';

/**
 * An access token the vault still holds as valid but the vendor refuses (revoked, or expired early at the vendor):
 * the gateway marks it expired, refreshes once (single-flight) and retries the call, so the setup goes live; only a
 * refusal that survives the refresh fails the setup, and then with "reconnect".
 */
describe.each(testDatabases())('an access token refused by the vendor on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
  }, 60_000);
  afterAll(() => h.close());

  const revoke = (system: 'quickbooks' | 'xero') =>
    system === 'quickbooks' ? h.qbo.expireAccessTokens() : h.xero.revokeAccessTokens();
  const calls = (system: 'quickbooks' | 'xero') =>
    system === 'quickbooks'
      ? h.qbo.calls.map((c) => `${c.route} ${c.status}`)
      : h.xero.calls.map((c) => `${c.operation} ${c.status}`);

  it.each(['quickbooks', 'xero'] as const)(
    '%s: refreshes once, retries, and the setup goes live with one customer',
    async (system) => {
      h.resetVendors();
      await h.connectByOAuth(system);
      const s = await h.seedSetup({ system, name: `Revoked ${system}` });
      revoke(system);
      const out = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
      expect(out).toMatchObject({ status: 'live' });
      expect(vendorState(h, system, s.companyId as string, s.setupId).customers).toBe(1);
      // Exactly one 401 reached the API: the retry used the refreshed token.
      expect(calls(system).filter((c) => c.endsWith(' 401'))).toHaveLength(1);
      const connection = await financeStore(h.db, PORTAL).connections.active(system);
      expect(connection?.status).toBe('connected');
      const retries = (await financeStore(h.db, PORTAL).facts.list('finance_retry')).map((f) => f.data);
      expect(retries).toContainEqual(expect.objectContaining({ system, kind: 'auth', waitMs: 0 }));
    },
  );

  it('fails with "reconnect" when the vendor still refuses the freshly refreshed token, after one refresh only', async () => {
    h.resetVendors();
    await h.connectByOAuth('quickbooks');
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Still refused' });
    h.qbo.injectFault({ status: 401, body: AUTH_FAULT, times: 100 });
    const out = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(out).toMatchObject({ status: 'failed', error: { kind: 'auth' } });
    const refreshes = h.qbo.calls.filter(
      (c) => (c.body as { grant_type?: string } | undefined)?.grant_type === 'refresh_token',
    );
    expect(refreshes).toHaveLength(1);
    expect(out).toMatchObject({
      error: { message: expect.stringMatching(/Reconnect QuickBooks in the app settings/) },
    });
    expect(h.qbo.calls.filter((c) => c.status === 401)).toHaveLength(2);
    expect(vendorState(h, 'quickbooks', s.companyId as string, s.setupId).customers).toBe(0);
  });
});
