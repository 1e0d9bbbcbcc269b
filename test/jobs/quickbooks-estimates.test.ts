import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getHandoffView } from '../../src/app/handoff-service.js';
import { cancelScheduledInvoice, markMilestoneAccepted } from '../../src/app/milestones.js';
import { checkScheduledInvoicesAs } from '../../src/billing/feasibility.js';
import type { BillingPlanInput } from '../../src/billing/plan.js';
import {
  QUICKBOOKS_CAPABILITIES,
  STRIPE_CAPABILITIES,
  XERO_CAPABILITIES,
} from '../../src/billing/vendor-capabilities.js';
import { HandoffTemplateSchema } from '../../src/handoff/template.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { issueContextFor, issueHeldInvoice, runScheduledInvoices } from '../../src/jobs/scheduled-invoices.js';
import { financeStore } from '../../src/store/finance-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, milestonePlan, NOW, openHarness, PORTAL, usd, vendorState } from '../support/finance-harness.js';

/** May, June and July 2026, $1,000 each on the 1st: at NOW (15 May) May is due, June and July are not. */
const quarterPlan: BillingPlanInput = {
  currency: 'USD',
  startDate: '2026-05-01',
  endDate: '2026-07-31',
  paymentTerms: 'net_30',
  components: [
    { kind: 'recurring', description: 'Platform', interval: 'monthly', timing: 'advance', price: usd(1_000_00) },
  ],
};

describe('the template setting quickbooksScheduledAs', () => {
  it('defaults to held and accepts held or estimate, naming what it accepts otherwise', () => {
    expect(HandoffTemplateSchema.parse(DEFAULT_CS_TO_FINANCE).quickbooksScheduledAs).toBeUndefined();
    expect(
      HandoffTemplateSchema.parse({ ...DEFAULT_CS_TO_FINANCE, quickbooksScheduledAs: 'estimate' })
        .quickbooksScheduledAs,
    ).toBe('estimate');
    const bad = HandoffTemplateSchema.safeParse({ ...DEFAULT_CS_TO_FINANCE, quickbooksScheduledAs: 'draft' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['quickbooksScheduledAs'],
      message: expect.stringContaining("'held'"),
    });
  });

  it('is refused for Xero and Stripe with the field, the value and what would be accepted', () => {
    expect(checkScheduledInvoicesAs('estimate', QUICKBOOKS_CAPABILITIES)).toBeNull();
    expect(checkScheduledInvoicesAs('held', XERO_CAPABILITIES)).toBeNull();
    expect(checkScheduledInvoicesAs(undefined, STRIPE_CAPABILITIES)).toBeNull();
    for (const caps of [XERO_CAPABILITIES, STRIPE_CAPABILITIES]) {
      const problem = checkScheduledInvoicesAs('estimate', caps);
      expect(problem).toMatchObject({ code: 'estimates_unsupported', blocking: true });
      expect(problem?.message).toContain("quickbooksScheduledAs to 'estimate'");
      expect(problem?.message).toContain(caps.displayName);
      expect(problem?.message).toContain("Set quickbooksScheduledAs to 'held'");
    }
  });
});

describe.each(testDatabases())('QuickBooks estimates for held invoices on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
  }, 60_000);
  afterAll(() => h.close());

  const ofSetup = <T extends { PrivateNote?: string }>(rows: Iterable<T>, setupId: string) =>
    [...rows].filter((r) => (r.PrivateNote ?? '').includes(setupId));
  const invoicesOf = (setupId: string) => ofSetup(h.qbo.state.invoices.values(), setupId);
  const estimatesOf = (setupId: string) => ofSetup(h.qbo.state.estimates.values(), setupId);

  const ctxAs = (roles: string[]) => h.contextAs(roles);

  it('creates an Estimate for each invoice not yet due, no Invoice until the date; on the date one linked Invoice closes it', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Ahead', plan: quarterPlan, scheduledAs: 'estimate' });
    const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(outcome).toMatchObject({ status: 'live', invoicesCreated: 1 });

    // May was due and is an invoice; June and July are estimates only: non-posting, so the customer owes $1,000.
    expect(invoicesOf(s.setupId).map((i) => i.TxnDate)).toEqual(['2026-05-01']);
    const estimates = estimatesOf(s.setupId);
    expect(estimates.map((e) => [e.TxnDate, e.ExpirationDate, e.TxnStatus, e.TotalAmt])).toEqual([
      ['2026-05-15', '2026-06-01', 'Pending', 1000],
      ['2026-05-15', '2026-07-01', 'Pending', 1000],
    ]);
    const customer = h.qbo.state.customers.get(estimates[0]?.CustomerRef.value ?? '');
    expect(customer?.Balance).toBe(1000);

    // The card shows each scheduled invoice's estimate with its link.
    const view = await getHandoffView(await ctxAs(['finance']), { dealId: s.dealId });
    const june = view.billing.invoices.find((i) => i.key === 'c0-p2');
    expect(june).toMatchObject({
      status: 'scheduled',
      estimate: {
        number: estimates[0]?.DocNumber,
        url: `https://app.sandbox.qbo.intuit.com/app/estimate?txnId=${estimates[0]?.Id}`,
        status: 'open',
      },
    });
    expect(view.billing.invoices.find((i) => i.key === 'c0-p1')?.estimate).toBeUndefined();

    // 31 May: nothing is due; 1 June: June's invoice is created from its estimate, once.
    h.clock.now = new Date('2026-05-31T12:00:00Z');
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toEqual({ issued: [], failed: [] });
    h.clock.now = new Date('2026-06-01T08:00:00Z');
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toMatchObject({ issued: [{ key: 'c0-p2' }] });
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toEqual({ issued: [], failed: [] });
    const juneInvoices = invoicesOf(s.setupId).filter((i) => i.TxnDate === '2026-06-01');
    expect(juneInvoices).toHaveLength(1);
    expect(juneInvoices[0]?.LinkedTxn).toEqual([{ TxnId: estimates[0]?.Id, TxnType: 'Estimate' }]);
    const juneEstimate = h.qbo.state.estimates.get(estimates[0]?.Id ?? '');
    expect(juneEstimate?.TxnStatus).toBe('Closed');
    expect(juneEstimate?.LinkedTxn).toEqual([{ TxnId: juneInvoices[0]?.Id, TxnType: 'Invoice' }]);
    expect(h.qbo.state.estimates.get(estimates[1]?.Id ?? '')?.TxnStatus).toBe('Pending');
    expect(await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-p2')).toMatchObject({
      status: 'issued',
      financeInvoiceId: juneInvoices[0]?.Id,
      estimate: { id: estimates[0]?.Id, status: 'closed' },
    });
  });

  it('a crash between QuickBooks’ answer and our record, then a retry, leaves one estimate and one invoice', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Crashy', plan: quarterPlan, scheduledAs: 'estimate' });
    const job = { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId };
    await expect(
      runBillingSetup(h.deps, job, {
        checkpoint: (name) => {
          if (name === 'estimate:c0-p2:vendor') throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    expect(estimatesOf(s.setupId)).toHaveLength(1);
    expect((await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-p2'))?.estimate).toBeNull();

    // Intuit forgot the requestid meanwhile: only the lookup by our reference can prevent a second estimate.
    h.qbo.forgetRequestIds();
    expect(await runBillingSetup(h.deps, job)).toMatchObject({ status: 'live' });
    expect(estimatesOf(s.setupId)).toHaveLength(2);
    const steps = await financeStore(h.db, PORTAL).steps.all(s.setupId);
    expect(steps.get('estimate:c0-p2')?.outcome).toMatchObject({ recovered: true });

    // On 1 June the invoice is created, and the worker dies before recording it; the next run finds it.
    h.clock.now = new Date('2026-06-01T08:00:00Z');
    const setup = await (await h.runtime.services(PORTAL)).store.billing.setup(s.setupId);
    if (!setup) throw new Error('no setup');
    const { finance } = await h.gateway.forPortal(PORTAL, { system: 'quickbooks', subject: s.setupId });
    const ctx = await issueContextFor(h.deps, PORTAL, setup, finance, async (name) => {
      if (name === 'invoice:c0-p2:vendor') throw new Error('worker killed');
    });
    const row = await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-p2');
    if (!row) throw new Error('no held invoice');
    await expect(issueHeldInvoice(h.db, ctx, row)).rejects.toThrow('worker killed');
    h.qbo.forgetRequestIds();
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toMatchObject({ issued: [{ key: 'c0-p2' }] });
    const june = invoicesOf(s.setupId).filter((i) => i.TxnDate === '2026-06-01');
    expect(june).toHaveLength(1);
    const estimateId = (await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-p2'))?.estimate?.id ?? '';
    expect(june[0]?.LinkedTxn).toEqual([{ TxnId: estimateId, TxnType: 'Estimate' }]);
    expect(h.qbo.state.estimates.get(estimateId)?.TxnStatus).toBe('Closed');
  });

  it('estimates triggered invoices too; cancelling one deletes its estimate and never creates its invoice', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Phases', plan: milestonePlan, scheduledAs: 'estimate' });
    await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    const estimates = estimatesOf(s.setupId);
    // Milestones have no date until accepted: the estimates do not expire.
    expect(estimates.map((e) => [e.TotalAmt, e.ExpirationDate, e.TxnStatus])).toEqual([
      [4000, undefined, 'Pending'],
      [6000, undefined, 'Pending'],
    ]);
    expect(invoicesOf(s.setupId)).toEqual([]);

    const finance = await ctxAs(['finance']);
    const base = { dealId: s.dealId, handoffId: s.handoffId };
    h.sent.length = 0;
    const view = await cancelScheduledInvoice(finance, { ...base, invoiceKey: 'c0-m:m2', reason: 'Build dropped' });
    expect(view.billing.invoices.find((i) => i.key === 'c0-m:m2')?.status).toBe('cancelled');
    const queued = h.sent.filter((j) => j.queue === 'scheduled-invoices');
    expect(queued).toEqual([
      {
        queue: 'scheduled-invoices',
        data: { portalId: PORTAL, setupId: s.setupId },
        singletonKey: `issue:${PORTAL}:${s.setupId}`,
      },
    ]);
    // The hourly sweep would find it too, should the queued job be lost.
    expect(await runScheduledInvoices(h.deps, {})).toMatchObject({ queued: [PORTAL] });
    const report = await runScheduledInvoices(h.deps, queued[0]?.data as { portalId: number; setupId: string });
    expect(report).toEqual({
      issued: [],
      failed: [],
      estimatesDeleted: [{ setupId: s.setupId, key: 'c0-m:m2', estimateId: estimates[1]?.Id }],
    });
    expect(h.qbo.state.estimates.has(estimates[1]?.Id ?? '')).toBe(false);
    expect((await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-m:m2'))?.estimate?.status).toBe('deleted');
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toEqual({ issued: [], failed: [] });

    // m1 accepted: its invoice converts its estimate; m2's invoice never appears.
    await markMilestoneAccepted(finance, { ...base, milestoneId: 'm1', acceptedOn: '2026-05-15' });
    await runScheduledInvoices(h.deps, { portalId: PORTAL, setupId: s.setupId });
    const invoices = invoicesOf(s.setupId);
    expect(invoices.map((i) => [i.TotalAmt, i.LinkedTxn])).toEqual([
      [4000, [{ TxnId: estimates[0]?.Id, TxnType: 'Estimate' }]],
    ]);
    expect(h.qbo.state.estimates.get(estimates[0]?.Id ?? '')?.TxnStatus).toBe('Closed');
  });

  it('adopts the invoice a person made from the estimate in QuickBooks, and bills on its own when they deleted it', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'ByHand', plan: quarterPlan, scheduledAs: 'estimate' });
    await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    const [june, july] = estimatesOf(s.setupId);
    // Finance converts June's estimate by hand on 20 May and deletes July's.
    const theirs = h.qbo.convertEstimate(june?.Id ?? '', { on: '2026-05-20' });
    h.qbo.state.estimates.delete(july?.Id ?? '');

    h.clock.now = new Date('2026-06-01T08:00:00Z');
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL, setupId: s.setupId })).toMatchObject({
      issued: [{ key: 'c0-p2', financeInvoiceId: theirs.Id }],
      failed: [],
    });
    const ofCustomer = () =>
      [...h.qbo.state.invoices.values()].filter((i) => i.CustomerRef.value === june?.CustomerRef.value);
    expect(ofCustomer().map((i) => i.TxnDate)).toEqual(['2026-05-01', '2026-05-20']);
    const fstore = financeStore(h.db, PORTAL);
    expect(await fstore.held.get(s.setupId, 'c0-p2')).toMatchObject({
      status: 'issued',
      financeInvoiceId: theirs.Id,
      estimate: { status: 'closed' },
    });

    h.clock.now = new Date('2026-07-01T08:00:00Z');
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL, setupId: s.setupId })).toMatchObject({
      issued: [{ key: 'c0-p3' }],
    });
    const julyInvoice = ofCustomer().find((i) => i.TxnDate === '2026-07-01');
    expect(julyInvoice?.LinkedTxn).toBeUndefined();
    expect(await fstore.held.get(s.setupId, 'c0-p3')).toMatchObject({
      status: 'issued',
      estimate: { status: 'deleted' },
    });
  });

  it('keeps the default (held) as it was: no estimates, invoices on their date', async () => {
    h.resetVendors();
    await h.connect('quickbooks');
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Plain', plan: quarterPlan });
    expect(
      await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId }),
    ).toMatchObject({ status: 'live', invoicesCreated: 1 });
    expect(h.qbo.state.estimates.size).toBe(0);
    expect(h.qbo.calls.some((c) => c.route.includes('estimate'))).toBe(false);
    const rows = await financeStore(h.db, PORTAL).held.list(s.setupId);
    expect(rows.map((r) => [r.key, r.status, r.estimate])).toEqual([
      ['c0-p1', 'issued', null],
      ['c0-p2', 'scheduled', null],
      ['c0-p3', 'scheduled', null],
    ]);
    h.clock.now = new Date('2026-06-01T08:00:00Z');
    await runScheduledInvoices(h.deps, { portalId: PORTAL });
    expect(invoicesOf(s.setupId).find((i) => i.TxnDate === '2026-06-01')?.LinkedTxn).toBeUndefined();
  });

  it.each(['xero', 'stripe'] as const)(
    'stops a %s setup whose template asks for estimates, before anything is written, naming the field',
    async (system) => {
      h.resetVendors();
      await h.connect(system);
      h.clock.now = NOW;
      const s = await h.seedSetup({ system, name: `Est ${system}`, plan: quarterPlan, scheduledAs: 'estimate' });
      const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
      expect(outcome).toMatchObject({ status: 'failed', error: { step: 'estimates', kind: 'validation' } });
      const message = outcome.status === 'failed' ? outcome.error.message : '';
      expect(message).toContain("quickbooksScheduledAs to 'estimate'");
      expect(message).toContain("Set quickbooksScheduledAs to 'held'");
      expect(vendorState(h, system, s.companyId ?? '', s.setupId)).toMatchObject({ customers: 0, invoices: 0 });
    },
  );
});
