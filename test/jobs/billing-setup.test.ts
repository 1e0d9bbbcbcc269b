import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, openHarness, PORTAL, vendorState } from '../support/finance-harness.js';

class SimulatedCrash extends Error {}

const ROOMY = { xero: { limits: { perMinute: 100_000, perDay: 1_000_000 } }, stripe: { perSecond: 100_000 } };
const ROOMY_BUDGETS = {
  xero: (t: string) => ({ key: `xero:${t}`, windows: [{ ms: 60_000, max: 100_000 }], maxConcurrent: 5 }),
  stripe: (t: string) => ({ key: `stripe:${t}`, windows: [{ ms: 1_000, max: 100_000 }] }),
};

/** Invoices setup creates now: QuickBooks the three dated March–May (today is 15 May); Xero and Stripe all twelve as drafts. */
const EXPECTED_INVOICES = { quickbooks: 3, xero: 12, stripe: 12 } as const;

describe.each(testDatabases())('billing setup job on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
    // Limits are another suite's subject; here thirty setups in a row must not wait for Xero's 60 a minute.
    h.resetVendors(ROOMY);
    h.regateway({ limits: ROOMY_BUDGETS });
  }, 60_000);
  afterAll(() => h.close());

  describe.each(['quickbooks', 'xero', 'stripe'] as const)('in %s', (system) => {
    let checkpoints: string[] = [];

    it('sets up customer, terms and schedule once, writes the finance link back and goes live', async () => {
      await h.connect(system);
      const s = await h.seedSetup({ system, name: `Clean ${system}` });
      const seen: string[] = [];
      const outcome = await runBillingSetup(
        h.deps,
        { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId },
        {
          checkpoint: (name) => {
            seen.push(name);
          },
        },
      );
      checkpoints = seen;
      expect(outcome).toMatchObject({ status: 'live', invoicesCreated: EXPECTED_INVOICES[system] });
      const vendor = vendorState(h, system, s.companyId as string, s.setupId);
      expect(vendor).toMatchObject({ customers: 1, invoices: EXPECTED_INVOICES[system] });

      const store = portalStore(h.db, PORTAL);
      expect((await store.billing.setup(s.setupId))?.status).toBe('live');
      expect((await store.handoffs.get(s.handoffId))?.handoff.state).toBe('billing_live');
      const link = await store.finance.link(system, s.companyId as string);
      expect(link?.customerId).toBe(vendor.customerId);
      const deal = h.hubspot.get('deals', s.dealId)?.properties;
      expect(deal).toMatchObject({ rh_billing_status: 'live', rh_finance_customer_id: vendor.customerId });
      expect(deal?.rh_finance_customer_url).toMatch(/^https:\/\//);
      expect(h.hubspot.get('companies', s.companyId as string)?.properties.rh_finance_customer_id).toBe(
        vendor.customerId,
      );
      const events = await store.events.list(s.handoffId);
      expect(events.at(-1)).toMatchObject({ type: 'billing_live', payload: { customerId: vendor.customerId } });
      const held = await financeStore(h.db, PORTAL).held.list(s.setupId);
      expect(held.filter((r) => r.status === 'scheduled')).toHaveLength(12 - EXPECTED_INVOICES[system]);
      // One checkpoint per step boundary and two per invoice (after the vendor's answer, after our record).
      expect(checkpoints.filter((c) => c.startsWith('invoice:'))).toHaveLength(2 * EXPECTED_INVOICES[system]);
    }, 60_000);

    it('resumes after a crash between any two steps with exactly one customer, one set of invoices and one link', async () => {
      expect(checkpoints.length).toBeGreaterThan(8);
      for (const [i, point] of checkpoints.entries()) {
        // One sandbox for every scenario (ids stay unique, as in a real company); counts are per company and setup.
        await h.connect(system);
        const s = await h.seedSetup({ system, name: `Crash ${system} ${i}` });
        const job = { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId };
        await expect(
          runBillingSetup(h.deps, job, {
            checkpoint: (name) => {
              if (name === point) throw new SimulatedCrash(`killed at ${name}`);
            },
          }),
        ).rejects.toBeInstanceOf(SimulatedCrash);
        const again = await runBillingSetup(h.deps, job);
        // Killed after the setup went live, the rerun finds nothing to do.
        const expected = point === 'writeback:done' ? 'skipped' : 'live';
        expect({ point, status: again.status }).toEqual({ point, status: expected });
        const vendor = vendorState(h, system, s.companyId as string, s.setupId);
        expect({ point, ...vendor }).toMatchObject({ point, customers: 1, invoices: EXPECTED_INVOICES[system] });
        const links = await h.db.query('SELECT * FROM finance_links WHERE portal_id = $1 AND company_id = $2', [
          PORTAL,
          s.companyId,
        ]);
        expect({ point, links: links.length }).toEqual({ point, links: 1 });
        const store = portalStore(h.db, PORTAL);
        expect({ point, status: (await store.billing.setup(s.setupId))?.status }).toEqual({ point, status: 'live' });
        expect((await store.handoffs.get(s.handoffId))?.handoff.state).toBe('billing_live');
        const steps = await financeStore(h.db, PORTAL).steps.all(s.setupId);
        expect([...steps.values()].filter((x) => x.status !== 'done')).toEqual([]);
      }
    }, 240_000);
  });
});
