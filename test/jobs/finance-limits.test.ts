import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAULTS } from '../../src/integrations/finance/quickbooks/fixtures.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, NOW, openHarness, PORTAL } from '../support/finance-harness.js';

/**
 * QuickBooks allows 500 requests a minute and 10 at once per realm. Here the sandbox's minute passes 15× faster
 * than real time and its limits are lowered to 8 a minute and 2 at once, so a few setups run into them within
 * seconds; our shared budget is the same 8 per 60 s / 15 = 4 s, plus a second's margin for the time between taking
 * a slot and the request arriving (a busy test machine stretches it; a real deployment keeps the same margin).
 */
const SPEED = 15;
const TRAVEL_MARGIN_MS = 1_000;
const PER_MINUTE = 8;
const AT_ONCE = 2;

describe.each(testDatabases())('finance calls under 429 storms and 5xx on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
    const t0 = performance.now();
    h.resetVendors({
      qbo: {
        now: () => new Date(NOW.getTime() + (performance.now() - t0) * SPEED),
        limits: { requestsPerMinute: PER_MINUTE, concurrentRequests: AT_ONCE },
        latencyMs: 30,
      },
    });
    h.regateway({
      limits: {
        quickbooks: (realm) => ({
          key: `quickbooks:${realm}`,
          windows: [{ ms: 60_000 / SPEED + TRAVEL_MARGIN_MS, max: PER_MINUTE }],
          maxConcurrent: AT_ONCE,
        }),
      },
    });
    await h.connect('quickbooks');
  }, 60_000);
  afterAll(() => h.close());

  it('finishes three concurrent setups through injected 429s and 503s, never over the limit, recording every retry', async () => {
    h.qbo.injectFault({
      status: 429,
      body: FAULTS.throttled,
      headers: { 'retry-after': '2' },
      times: 3,
      when: (route) => route === 'POST invoice',
    });
    h.qbo.injectFault({ status: 503, body: FAULTS.system, times: 2, when: (route) => route === 'GET query' });
    const setups = await Promise.all(
      ['Storm A', 'Storm B', 'Storm C'].map((name) => h.seedSetup({ system: 'quickbooks', name })),
    );
    const outcomes = await Promise.all(
      setups.map((s) => runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId })),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['live', 'live', 'live']);
    expect(h.qbo.state.invoices.size).toBe(9);
    expect(h.qbo.state.customers.size).toBe(3);

    // Every request that reached QuickBooks, by its own clock: never more than the limit in any minute, never
    // throttled by the sandbox itself (only by the faults we injected), never more than two at once.
    const arrivals = h.qbo.calls.filter((c) => c.route !== 'POST oauth/token').map((c) => Date.parse(c.at));
    for (const at of arrivals) {
      const inWindow = arrivals.filter((x) => x > at - 60_000 && x <= at).length;
      expect(inWindow).toBeLessThanOrEqual(PER_MINUTE);
    }
    expect(h.qbo.calls.filter((c) => c.route === 'throttled')).toEqual([]);
    const injected = h.qbo.calls.filter((c) => c.route === 'injected');
    expect(injected).toHaveLength(5);

    // One recorded retry per injected failure, with the wait the policy chose: ≥ Retry-After for 429s.
    const retries = (await financeStore(h.db, PORTAL).facts.list('finance_retry')).map((f) => f.data);
    expect(retries).toHaveLength(5);
    const throttled = retries.filter((r) => r.kind === 'rate_limited');
    expect(throttled).toHaveLength(3);
    for (const r of throttled) {
      expect(r).toMatchObject({ operation: 'createInvoice', retryAfterMs: 2_000 });
      expect(Number(r.waitMs)).toBeGreaterThanOrEqual(2_000);
    }
    const unavailable = retries.filter((r) => r.kind === 'temporary');
    expect(unavailable).toHaveLength(2);
    for (const r of unavailable) expect(Number(r.waitMs)).toBeGreaterThan(0);
    // Retries are counted per setup (the fact's subject), for the admin page.
    const subjects = new Set((await financeStore(h.db, PORTAL).facts.list('finance_retry')).map((f) => f.subjectId));
    for (const s of subjects) expect(setups.map((x) => x.setupId)).toContain(s);
    const counted = await Promise.all(setups.map((s) => portalStore(h.db, PORTAL).billing.retries(s.setupId)));
    expect(counted.reduce((n, c) => n + c.count, 0)).toBe(5);
    expect(counted.reduce((n, c) => n + c.rateLimited, 0)).toBe(3);
  }, 120_000);

  it('leaves a setup running (for the queue to retry) when QuickBooks stays down, and fails it visibly on the last attempt', async () => {
    h.qbo.injectFault({ status: 503, body: FAULTS.system, times: 100 });
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Down' });
    const job = { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId };
    await expect(runBillingSetup(h.deps, job)).rejects.toMatchObject({ kind: 'temporary' });
    const store = portalStore(h.db, PORTAL);
    const waiting = await store.billing.setup(s.setupId);
    expect(waiting?.status).toBe('running');
    expect(waiting?.lastError?.message).toMatch(/^Retrying: QuickBooks/);

    const last = await runBillingSetup(h.deps, job, { lastAttempt: true });
    expect(last.status).toBe('failed');
    const failed = await store.billing.setup(s.setupId);
    expect(failed).toMatchObject({ status: 'failed', lastError: { kind: 'temporary' } });
    expect((await store.handoffs.get(s.handoffId))?.handoff.state).toBe('billing_failed');
    expect(h.hubspot.get('deals', s.dealId)?.properties.rh_billing_status).toBe('failed');
  }, 120_000);
});
