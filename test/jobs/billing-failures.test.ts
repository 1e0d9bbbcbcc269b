import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAULTS } from '../../src/integrations/finance/quickbooks/fixtures.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, NOW, openHarness, PORTAL } from '../support/finance-harness.js';

describe.each(testDatabases())('billing setup failures on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
  }, 60_000);
  afterAll(() => h.close());

  async function run(s: { setupId: string; handoffId: string }) {
    return runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
  }

  it('fails visibly with a reconnect message when the refresh token is refused, and marks the connection reconnect_needed', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    await h.db.query(
      `UPDATE finance_connections SET access_expires_at = $2 WHERE portal_id = $1 AND system = 'quickbooks'`,
      [PORTAL, new Date(NOW.getTime() - 3_600_000)],
    );
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Revoked' });
    const outcome = await run(s);
    expect(outcome).toMatchObject({ status: 'failed', error: { reconnect: true, kind: 'reconnect_needed' } });

    const [connection] = await h.db.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM finance_connections WHERE portal_id = $1 AND system = 'quickbooks'`,
      [PORTAL],
    );
    expect(connection?.status).toBe('reconnect_needed');
    expect(connection?.last_error).toContain('invalid_grant');
    const store = portalStore(h.db, PORTAL);
    const setup = await store.billing.setup(s.setupId);
    expect(setup?.status).toBe('failed');
    expect(setup?.lastError?.message).toMatch(/Reconnect QuickBooks in the app settings/);
    const handoff = await store.handoffs.get(s.handoffId);
    expect(handoff?.handoff).toMatchObject({ state: 'billing_failed' });
    expect(handoff?.handoff.billingError).toMatch(/reconnect/i);
    const events = await store.events.list(s.handoffId);
    expect(events.at(-1)).toMatchObject({ type: 'billing_failed', payload: { reconnect: true, step: 'customer' } });
    expect(h.hubspot.get('deals', s.dealId)?.properties).toMatchObject({
      rh_billing_status: 'failed',
      rh_handoff_status: 'billing_failed',
    });
    expect((await store.finance.connection())?.status).toBe('reconnect_needed');
    // Nothing reached QuickBooks' API; only the refused refresh reached its token endpoint.
    expect(h.qbo.calls.map((c) => c.route)).toEqual(['POST oauth/token']);

    // A second setup fails at once with the same advice, without calling QuickBooks at all.
    const again = await h.seedSetup({ system: 'quickbooks', name: 'Revoked too' });
    expect(await run(again)).toMatchObject({ status: 'failed', error: { reconnect: true } });
    expect(h.qbo.calls).toHaveLength(1);
  });

  it('fails a setup whose deal has no company before calling the vendor, saying what to do', async () => {
    h.resetVendors();
    await h.connect('xero');
    const s = await h.seedSetup({ system: 'xero', name: 'Orphan', withCompany: false });
    const outcome = await run(s);
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'validation', step: 'customer' } });
    const setup = await portalStore(h.db, PORTAL).billing.setup(s.setupId);
    expect(setup?.lastError?.message).toMatch(/associate the customer's company with the deal/);
    expect(h.xero.calls).toEqual([]);
  });

  it('fails when the customer requires a PO and none is given, and goes live on retry once it is added', async () => {
    h.resetVendors();
    await h.connect('stripe');
    const s = await h.seedSetup({
      system: 'stripe',
      name: 'Bad PO',
      data: { poRequired: true },
    });
    const failed = await run(s);
    expect(failed).toMatchObject({ status: 'failed', error: { step: 'po' } });
    expect((await portalStore(h.db, PORTAL).billing.setup(s.setupId))?.lastError?.message).toMatch(/No PO, no go/);

    // Finance adds the PO and retries (what syncBillingSetup does: pending again, handoff back to billing_pending).
    const store = portalStore(h.db, PORTAL);
    const stored = await store.handoffs.get(s.handoffId);
    if (!stored) throw new Error('lost the handoff');
    await store.handoffs.update({
      ...stored,
      data: { ...stored.data, poNumber: 'PO-77' } as never,
      handoff: { ...stored.handoff, state: 'billing_pending', billingError: null },
    });
    await store.billing.markStatus(s.setupId, 'pending');
    expect(await run(s)).toMatchObject({ status: 'live' });
    const steps = await financeStore(h.db, PORTAL).steps.all(s.setupId);
    // The refused step gets a fresh key; the customer step, already done, keeps its own.
    expect(steps.get('po')?.key).toBe(`${s.setupId}:po:retry2`);
    expect(steps.get('customer')?.key).toBe(`${s.setupId}:customer`);
    const invoices = [...h.stripe.state.invoices.values()];
    expect(invoices).toHaveLength(12);
    expect(invoices.every((i) => JSON.stringify(i.custom_fields).includes('PO-77'))).toBe(true);
  });

  it('matches a customer someone created by hand by billing email, and refuses to link it to a second company', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    const handMade = h.qbo.addCustomer({
      DisplayName: 'Shared Services Inc',
      PrimaryEmailAddr: { Address: 'ap@shared.example' },
    });
    const shared = { billingContact: { name: 'AP', email: 'ap@shared.example' } };
    const first = await h.seedSetup({ system: 'quickbooks', name: 'Shared A', data: shared });
    expect(await run(first)).toMatchObject({ status: 'live' });
    const link = await h.db.query<{ customer_id: string; matched_by: string }>(
      'SELECT customer_id, matched_by FROM finance_links WHERE portal_id = $1 AND company_id = $2',
      [PORTAL, first.companyId],
    );
    expect(link).toEqual([{ customer_id: handMade.Id, matched_by: 'email' }]);

    const second = await h.seedSetup({ system: 'quickbooks', name: 'Shared B', data: shared });
    const outcome = await run(second);
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'conflict', step: 'customer' } });
    const setup = await portalStore(h.db, PORTAL).billing.setup(second.setupId);
    expect(setup?.lastError?.message).toMatch(/already linked to HubSpot company/);
    expect(h.qbo.state.customers.size).toBe(1);
  });

  it('fails with the vendor’s own words when the vendor refuses a write', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    h.qbo.injectFault({ status: 400, body: FAULTS.requiredParamMissing, when: (route) => route === 'POST customer' });
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Refused' });
    const outcome = await run(s);
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'validation', step: 'customer' } });
    const setup = await portalStore(h.db, PORTAL).billing.setup(s.setupId);
    expect(setup?.lastError?.message).toMatch(/^QuickBooks: .*Line\.Amount/);
    const events = await portalStore(h.db, PORTAL).events.list(s.handoffId);
    expect(String(events.at(-1)?.payload.vendorMessage)).toMatch(/Required param missing/);
  });

  it('waits for the acceptance to record billing_pending, and records it itself when nobody does', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    const store = portalStore(h.db, PORTAL);
    const accepted = async (name: string) => {
      const s = await h.seedSetup({ system: 'quickbooks', name });
      const stored = await store.handoffs.get(s.handoffId);
      if (!stored) throw new Error('lost the handoff');
      await store.handoffs.update({ ...stored, handoff: { ...stored.handoff, state: 'accepted' } });
      return s;
    };
    // The request that queued the job writes billing_pending a moment later.
    const racing = await accepted('Racing');
    const job = runBillingSetup(h.deps, { portalId: PORTAL, setupId: racing.setupId, handoffId: racing.handoffId });
    await new Promise((r) => setTimeout(r, 300));
    const stored = await store.handoffs.get(racing.handoffId);
    if (!stored) throw new Error('lost the handoff');
    await store.handoffs.update({ ...stored, handoff: { ...stored.handoff, state: 'billing_pending' } });
    expect(await job).toMatchObject({ status: 'live' });
    expect((await store.handoffs.get(racing.handoffId))?.handoff.state).toBe('billing_live');

    // Nobody does (the request died after queueing): the job records billing_started, then goes live.
    const orphan = await accepted('Orphaned');
    const outcome = await runBillingSetup(
      h.deps,
      { portalId: PORTAL, setupId: orphan.setupId, handoffId: orphan.handoffId },
      { pendingGraceMs: 200 },
    );
    expect(outcome).toMatchObject({ status: 'live' });
    const events = (await store.events.list(orphan.handoffId)).map((e) => e.type);
    expect(events).toEqual(['billing_started', 'billing_live']);
  });
});
