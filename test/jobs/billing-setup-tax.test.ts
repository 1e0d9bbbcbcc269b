import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkFeasibility } from '../../src/billing/feasibility.js';
import type { BillingPlanInput } from '../../src/billing/plan.js';
import { QUICKBOOKS_CAPABILITIES } from '../../src/billing/vendor-capabilities.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, monthlyPlan, openHarness, PORTAL } from '../support/finance-harness.js';

const gbp = (amount: number) => ({ amount, currency: 'GBP' });

/** A UK plan: platform at standard VAT (the plan's default), an implementation fee at the reduced rate. */
const ukPlan = (tax: Record<string, unknown>): BillingPlanInput =>
  ({
    ...monthlyPlan,
    currency: 'GBP',
    tax,
    components: [
      { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: gbp(1000_00) },
      {
        kind: 'one_time',
        description: 'Printed materials',
        amount: gbp(200_00),
        tax: { code: '5.0% R', ratePercent: 5 },
      },
    ],
  }) as BillingPlanInput;

describe.each(testDatabases())('billing setup with tax on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
    h.resetVendors({ qbo: { country: 'GB', homeCurrency: 'GBP' } });
  }, 60_000);
  afterAll(() => h.close());

  it('a UK QuickBooks company gets the right tax code on each line of every issued invoice', async () => {
    await h.connect('quickbooks');
    const s = await h.seedSetup({
      system: 'quickbooks',
      name: 'Brixton Analytics',
      plan: ukPlan({ code: '2', ratePercent: 20 }),
      data: { currency: 'GBP' },
    });
    const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(outcome).toMatchObject({ status: 'live' });
    const invoices = [...h.qbo.state.invoices.values()];
    expect(invoices.length).toBeGreaterThan(0);
    for (const inv of invoices) {
      for (const l of inv.Line) {
        if (l.DetailType !== 'SalesItemLineDetail') continue;
        expect(l.SalesItemLineDetail.TaxCodeRef?.value).toBe(l.Description?.startsWith('Printed') ? '4' : '2');
      }
    }
    const platform = invoices.find((i) =>
      i.Line.some((l) => l.DetailType === 'SalesItemLineDetail' && l.Description?.startsWith('Platform')),
    );
    expect(platform?.TxnTaxDetail?.TotalTax).toBe(200);
    expect(platform?.TotalAmt).toBe(1200);
    // The books' codes are kept on the connection, so the card's feasibility check knows them before signature.
    const connection = await portalStore(h.db, PORTAL).finance.connection();
    expect(connection?.taxSetup?.codes.map((c) => c.code)).toEqual(['2', '4', '6', '8']);
    const caps = { ...QUICKBOOKS_CAPABILITIES, ...(connection?.taxSetup ? { tax: connection.taxSetup } : {}) };
    const check = checkFeasibility(ukPlan({ code: 'S20', ratePercent: 20 }), caps);
    expect(check.feasible).toBe(false);
    expect(check.problems.find((p) => p.code === 'tax_code_unknown')?.message).toContain('2 (20.0% S, 20%)');
  }, 60_000);

  it('refuses a tax code the books lack before writing anything, naming the code and the nearest valid ones', async () => {
    h.resetVendors({ qbo: { country: 'GB', homeCurrency: 'GBP' } });
    await h.connect('quickbooks');
    const s = await h.seedSetup({
      system: 'quickbooks',
      name: 'Camden Labs',
      plan: ukPlan({ code: 'VAT20', ratePercent: 20 }),
      data: { currency: 'GBP' },
    });
    const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(outcome).toMatchObject({ status: 'failed', error: { step: 'tax' } });
    const message = outcome.status === 'failed' ? outcome.error.message : '';
    expect(message).toContain('billingPlan.tax.code');
    expect(message).toContain('"VAT20"');
    expect(message).toContain('2 (20.0% S, 20%)');
    // Nothing reached the books.
    expect(h.qbo.state.customers.size).toBe(0);
    expect(h.qbo.state.invoices.size).toBe(0);
    expect(h.qbo.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    const setup = await portalStore(h.db, PORTAL).billing.setup(s.setupId);
    expect(setup?.status).toBe('failed');
  }, 60_000);

  it('refuses a line in another currency than the plan’s, naming the field, the value and the currency expected', async () => {
    h.resetVendors({ qbo: { country: 'GB', homeCurrency: 'GBP' } });
    await h.connect('quickbooks');
    const plan = ukPlan({ code: '2', ratePercent: 20 }) as { components: Array<Record<string, unknown>> };
    plan.components[1] = { ...plan.components[1], amount: { amount: 200_00, currency: 'EUR' } };
    await expect(
      h.seedSetup({ system: 'quickbooks', name: 'Euro Mix', plan: plan as BillingPlanInput }),
    ).rejects.toMatchObject({
      path: 'billingPlan.components[1].amount.currency',
      message: expect.stringMatching(/must be GBP, the plan's currency \(got EUR\)/),
    });
    expect(h.qbo.state.customers.size).toBe(0);
    expect(h.qbo.state.invoices.size).toBe(0);
  }, 60_000);
});
