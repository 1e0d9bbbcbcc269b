import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HandoffView } from '../../src/api/contracts.js';
import { getHandoffView } from '../../src/app/handoff-service.js';
import { cancelScheduledInvoice, markMilestoneAccepted } from '../../src/app/milestones.js';
import { generateSchedule } from '../../src/billing/schedule.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { milestoneTrigger, runScheduledInvoices } from '../../src/jobs/scheduled-invoices.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, milestonePlan, NOW, openHarness, PORTAL } from '../support/finance-harness.js';

describe('the milestone trigger', () => {
  it('issues the milestone’s invoice on the day it was accepted, due by the plan’s terms', () => {
    const schedule = generateSchedule(milestonePlan);
    expect(milestoneTrigger(schedule, 'net_30', 'm2', '2026-07-20')).toEqual({
      key: 'c0-m:m2',
      issueDate: '2026-07-20',
      dueDate: '2026-08-19',
    });
  });

  it('names the milestones it knows when asked for another', () => {
    expect(() => milestoneTrigger(generateSchedule(milestonePlan), 'net_30', 'm9', '2026-07-20')).toThrow(
      'no milestone "m9" (its milestones: m1, m2)',
    );
  });
});

describe.each(testDatabases())('scheduled invoices in QuickBooks on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
    await h.connect('quickbooks');
  }, 60_000);
  afterAll(() => h.close());

  const qboInvoicesOf = (setupId: string) =>
    [...h.qbo.state.invoices.values()].filter((i) => (i.PrivateNote ?? '').includes(setupId));

  const ctxAs = (roles: string[]) => h.contextAs(roles);

  it('creates no invoice before its issue date, and the sweep issues it on the day', async () => {
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Monthly' });
    await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(qboInvoicesOf(s.setupId).map((i) => i.TxnDate)).toEqual(['2026-03-01', '2026-04-01', '2026-05-01']);

    // 31 May: June's invoice is still held.
    h.clock.now = new Date('2026-05-31T23:00:00Z');
    h.sent.length = 0;
    expect(await runScheduledInvoices(h.deps, {})).toEqual({ queued: [] });
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toEqual({ issued: [], failed: [] });
    expect(qboInvoicesOf(s.setupId)).toHaveLength(3);

    // 1 June: the hourly sweep finds the portal, its run issues June's invoice, once.
    h.clock.now = new Date('2026-06-01T08:00:00Z');
    expect(await runScheduledInvoices(h.deps, {})).toEqual({ queued: [PORTAL] });
    expect(h.sent.at(-1)).toMatchObject({ queue: 'scheduled-invoices', data: { portalId: PORTAL } });
    const report = await runScheduledInvoices(h.deps, { portalId: PORTAL });
    expect(report).toMatchObject({ issued: [{ setupId: s.setupId, key: 'c0-p4' }], failed: [] });
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toEqual({ issued: [], failed: [] });
    const june = qboInvoicesOf(s.setupId).filter((i) => i.TxnDate === '2026-06-01');
    expect(june).toHaveLength(1);
    expect(june[0]?.DueDate).toBe('2026-07-01');
    const row = await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-p4');
    expect(row).toMatchObject({ status: 'issued', financeInvoiceId: june[0]?.Id });
    // A receivables refresh follows, so the card sees the new invoice.
    expect(h.sent.some((j) => j.queue === 'receivables-refresh')).toBe(true);
    const [timing] = await financeStore(h.db, PORTAL).facts.list('invoice_timing', `${s.setupId}:c0-p4`);
    expect(timing?.data).toMatchObject({ trigger: 'issue_date', triggerAt: '2026-06-01T00:00:00.000Z', delayHours: 8 });
  });

  it('judges "today" in the portal’s time zone', async () => {
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Kiwi' });
    await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    const store = portalStore(h.db, PORTAL);
    const settings = await store.installation.settings();
    // Everything due in UTC until the end of June; now only Kiwi's July invoice is left to judge.
    h.clock.now = new Date('2026-06-30T11:00:00Z');
    await runScheduledInvoices(h.deps, { portalId: PORTAL });
    h.clock.now = new Date('2026-06-30T13:00:00Z'); // 1 July, 01:00 in Auckland; still 30 June in UTC
    expect(await runScheduledInvoices(h.deps, { portalId: PORTAL })).toEqual({ issued: [], failed: [] });
    await store.installation.saveSettings({ ...settings, timeZone: 'Pacific/Auckland' });
    try {
      expect(await runScheduledInvoices(h.deps, {})).toEqual({ queued: [PORTAL] });
      const report = await runScheduledInvoices(h.deps, { portalId: PORTAL });
      expect(report).toMatchObject({
        issued: expect.arrayContaining([{ setupId: s.setupId, key: 'c0-p5', financeInvoiceId: expect.any(String) }]),
      });
      expect(qboInvoicesOf(s.setupId).some((i) => i.TxnDate === '2026-07-01')).toBe(true);
    } finally {
      await store.installation.saveSettings(settings);
    }
  });

  it('issues a milestone’s invoice when it is marked accepted and records the time from trigger to invoice', async () => {
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Project', plan: milestonePlan });
    const setup = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(setup).toMatchObject({ status: 'live', invoicesCreated: 0 });
    expect(qboInvoicesOf(s.setupId)).toEqual([]);

    // The rep may not record it; customer success may.
    const input = { dealId: s.dealId, handoffId: s.handoffId, milestoneId: 'm1', acceptedOn: '2026-05-15' };
    await expect(markMilestoneAccepted(await ctxAs(['sales']), input)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      markMilestoneAccepted(await ctxAs(['customer_success']), { ...input, acceptedOn: '2026-05-16' }),
    ).rejects.toMatchObject({ code: 'invalid_input', path: 'acceptedOn' });
    // The card offers the button to those the server lets act, and only until the acceptance is recorded.
    const rowOf = (v: HandoffView, key: string) => v.billing.invoices.find((i) => i.key === key);
    const asSales = await getHandoffView(await ctxAs(['sales']), { dealId: s.dealId });
    expect(asSales.billing.handoffId).toBe(s.handoffId);
    expect(rowOf(asSales, 'c0-m:m1')).toMatchObject({
      status: 'scheduled',
      milestoneId: 'm1',
      canMarkAccepted: false,
      canCancel: false,
    });
    const asFinance = await getHandoffView(await ctxAs(['finance']), { dealId: s.dealId });
    expect(rowOf(asFinance, 'c0-m:m1')).toMatchObject({ canMarkAccepted: true, canCancel: true });
    h.sent.length = 0;
    const view = await markMilestoneAccepted(await ctxAs(['customer_success']), input);
    expect(view.deal.id).toBe(s.dealId);
    expect(rowOf(view, 'c0-m:m1')).toMatchObject({ issueDate: '2026-05-15', canMarkAccepted: false, canCancel: false });
    const queued = h.sent.filter((j) => j.queue === 'scheduled-invoices');
    expect(queued).toEqual([
      {
        queue: 'scheduled-invoices',
        data: { portalId: PORTAL, setupId: s.setupId },
        singletonKey: `issue:${PORTAL}:${s.setupId}`,
      },
    ]);
    const held = await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-m:m1');
    expect(held).toMatchObject({ status: 'scheduled', issueDate: '2026-05-15', dueDate: '2026-06-14' });
    expect(held?.triggeredAt?.toISOString()).toBe(NOW.toISOString());

    // Saying it again changes nothing and queues nothing.
    h.sent.length = 0;
    await markMilestoneAccepted(await ctxAs(['customer_success']), input);
    expect(h.sent.filter((j) => j.queue === 'scheduled-invoices')).toEqual([]);

    // The queued run, three hours later, creates exactly that invoice.
    h.clock.now = new Date(NOW.getTime() + 3 * 3_600_000);
    const report = await runScheduledInvoices(h.deps, queued[0]?.data as { portalId: number; setupId: string });
    expect(report).toMatchObject({ issued: [{ key: 'c0-m:m1' }], failed: [] });
    const created = qboInvoicesOf(s.setupId);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ TxnDate: '2026-05-15', DueDate: '2026-06-14', TotalAmt: 4000 });
    const [timing] = await financeStore(h.db, PORTAL).facts.list('invoice_timing', `${s.setupId}:c0-m:m1`);
    expect(timing?.data).toMatchObject({
      trigger: 'milestone_accepted',
      triggerAt: NOW.toISOString(),
      delayHours: 3,
      financeInvoiceId: created[0]?.Id,
    });
    const events = await portalStore(h.db, PORTAL).events.list(s.handoffId);
    expect(events.map((e) => e.type)).toContain('milestone_accepted');
    expect((await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-m:m2'))?.status).toBe('scheduled');
  });

  it('cancels a held invoice before it is issued, and refuses to cancel or trigger what is gone', async () => {
    h.clock.now = NOW;
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Dropped', plan: milestonePlan });
    await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    const finance = await ctxAs(['finance']);
    const base = { dealId: s.dealId, handoffId: s.handoffId };
    await expect(
      cancelScheduledInvoice(await ctxAs(['customer_success']), { ...base, invoiceKey: 'c0-m:m2', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await cancelScheduledInvoice(finance, { ...base, invoiceKey: 'c0-m:m2', reason: 'Build phase dropped' });
    expect(await financeStore(h.db, PORTAL).held.get(s.setupId, 'c0-m:m2')).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Build phase dropped',
    });
    await expect(
      markMilestoneAccepted(finance, { ...base, milestoneId: 'm2', acceptedOn: '2026-05-15' }),
    ).rejects.toMatchObject({ code: 'conflict' });

    await markMilestoneAccepted(finance, { ...base, milestoneId: 'm1', acceptedOn: '2026-05-15' });
    await runScheduledInvoices(h.deps, { portalId: PORTAL, setupId: s.setupId });
    await expect(
      cancelScheduledInvoice(finance, { ...base, invoiceKey: 'c0-m:m1', reason: 'too late' }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('void or delete it there') });
    expect(qboInvoicesOf(s.setupId)).toHaveLength(1);
  });
});
