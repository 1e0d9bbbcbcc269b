import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { HandoffEvaluation } from '../../src/handoff/evaluation.js';
import { createQuickBooksWebhookVerifier } from '../../src/integrations/finance/quickbooks/webhooks.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { sweepBadDebtPostMortems } from '../../src/jobs/post-mortems.js';
import { refreshReceivables } from '../../src/jobs/receivables.js';
import { jobForEvent } from '../../src/jobs/webhook-dispatch.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { postMortemStore } from '../../src/store/post-mortem-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, NOW, openHarness, PORTAL, vendorState } from '../support/finance-harness.js';

const ROOMY = { stripe: { perSecond: 100_000 } };
const ROOMY_BUDGETS = { stripe: (t: string) => ({ key: `stripe:${t}`, windows: [{ ms: 1_000, max: 100_000 }] }) };

/** What the CS → finance handoff showed when it was accepted: a credit warning on the payment terms. */
const EVALUATION: HandoffEvaluation = {
  templateId: 'cs_to_finance',
  templateVersion: 1,
  evaluatedAt: '2026-05-14T09:00:00.000Z',
  fields: [
    {
      key: 'paymentTerms',
      label: 'Payment terms',
      section: 'billing',
      status: 'needs_approval',
      severity: 'warning',
      reason: 'This customer paid late before: offer Net 15 at most',
      required: true,
      problems: [
        {
          status: 'needs_approval',
          reason: 'This customer paid late before: offer Net 15 at most',
          source: 'credit_suggestion',
        },
      ],
    },
  ],
  percentComplete: 100,
  complete: true,
  blockingCount: 0,
  warningCount: 1,
  suggestions: [],
};

describe.each(testDatabases())('bad-debt post-mortems on $name', ({ open }) => {
  let h: Harness;
  let customerId: string;
  let companyId: string;
  let unpaid: string[];
  const refresh = () => refreshReceivables(h.deps, { portalId: PORTAL, system: 'stripe', customerId });
  const recorded = () => postMortemStore(h.db, PORTAL).list();

  beforeAll(async () => {
    h = await openHarness(() => open());
    h.resetVendors(ROOMY);
    h.regateway({ limits: ROOMY_BUDGETS });
    await h.connect('stripe');
    const s = await h.seedSetup({ system: 'stripe', name: 'Globex' });
    companyId = s.companyId as string;
    await financeStore(h.db, PORTAL).facts.append('deal_closed', s.dealId, new Date('2026-05-12T15:00:00Z'), {});
    const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(outcome).toMatchObject({ status: 'live' });
    const store = portalStore(h.db, PORTAL);
    const [stored] = await store.handoffs.byDeal(s.dealId);
    if (!stored) throw new Error('no handoff');
    // The customer requires POs; the PO was waived by an approved exception (billing setup runs without one).
    await store.handoffs.update({ ...stored, data: { ...stored.data, poRequired: true }, evaluation: EVALUATION });
    await store.exceptions.save({
      id: randomUUID(),
      handoffId: s.handoffId,
      reason: 'The PO arrives a week after signature',
      waives: ['poNumber'],
      requestedBy: '101',
      requestedAt: '2026-05-13T09:00:00.000Z',
      approverRole: 'revops',
      status: 'approved',
      expiresAt: '2026-06-13T09:00:00.000Z',
      decidedBy: '202',
      decidedAt: '2026-05-13T10:00:00.000Z',
    });
    customerId = vendorState(h, 'stripe', companyId, s.setupId).customerId as string;
    // Stripe keeps the schedule's invoices as drafts; the first three are finalized (sent), as on their dates.
    unpaid = [...h.stripe.state.invoices.values()]
      .filter((i) => String(i.metadata?.rh_reference ?? '').startsWith(s.setupId))
      .slice(0, 3)
      .map((i) => i.id);
    for (const id of unpaid) {
      const res = await h.stripe.handle(
        new Request(`https://api.stripe.com/v1/invoices/${id}/finalize`, {
          method: 'POST',
          headers: { authorization: `Bearer ${h.stripe.apiKey}`, 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
      expect(res.status).toBe(200);
    }
    expect(unpaid.length).toBeGreaterThanOrEqual(3);
    await refresh();
  }, 60_000);
  afterAll(() => h.close());

  it('records nothing while invoices are current', async () => {
    expect(await recorded()).toEqual([]);
  });

  it('an invoice written off in Stripe gets one post-mortem of what was known at sale time, however often it is refreshed', async () => {
    h.stripe.markUncollectible(unpaid[0] as string);
    await refresh();
    await refresh();
    const list = await recorded();
    expect(list).toHaveLength(1);
    const pm = list[0];
    expect(pm).toMatchObject({
      invoiceId: unpaid[0],
      system: 'stripe',
      companyId,
      trigger: 'written_off',
      saleAt: '2026-05-12T15:00:00.000Z',
      poRule: { required: true, poNumber: null, status: 'waived' },
      exceptions: [{ reason: 'The PO arrives a week after signature', requestedBy: '101', approvedBy: '202' }],
      warnings: [{ field: 'paymentTerms', message: 'This customer paid late before: offer Net 15 at most' }],
      credit: { shownAtSale: ['This customer paid late before: offer Net 15 at most'], level: 'ok' },
    });
    expect(pm?.paymentHistory).toContain('No invoices before the sale');
    // The company record shows it.
    expect((await postMortemStore(h.db, PORTAL).byCompany(companyId)).map((p) => p.invoiceId)).toEqual([unpaid[0]]);
  });

  it('racing refreshes after a void store exactly one post-mortem for it', async () => {
    h.stripe.voidInvoice(unpaid[1] as string);
    await Promise.all([refresh(), refresh(), refresh()]);
    const voided = (await recorded()).filter((p) => p.invoiceId === unpaid[1]);
    expect(voided).toHaveLength(1);
    expect(voided[0]?.trigger).toBe('voided');
  });

  it('the sweep catches an invoice passing 90 days overdue with nothing changed at the vendor, once', async () => {
    const before = (await recorded()).length;
    h.clock.now = new Date(NOW.getTime() + 200 * 86_400_000);
    try {
      const first = await sweepBadDebtPostMortems(h.deps, PORTAL, 'stripe');
      const again = await sweepBadDebtPostMortems(h.deps, PORTAL, 'stripe');
      expect(first).toBeGreaterThanOrEqual(1);
      expect(again).toBe(0);
      const list = await recorded();
      expect(list).toHaveLength(before + first);
      expect(list.find((p) => p.invoiceId === unpaid[2])).toMatchObject({ trigger: 'over_90_days' });
    } finally {
      h.clock.now = NOW;
    }
  });
});

describe.each(testDatabases())('QuickBooks bad-debt write-offs on $name', ({ open }) => {
  let h: Harness;
  let customerId: string;
  let companyId: string;
  let invoiceIds: string[];
  const refresh = () => refreshReceivables(h.deps, { portalId: PORTAL, system: 'quickbooks', customerId });
  const recorded = async () => (await postMortemStore(h.db, PORTAL).list()).filter((p) => p.system === 'quickbooks');
  const snapshot = async (id: string) =>
    (await portalStore(h.db, PORTAL).receivables.snapshots('quickbooks', customerId)).invoices.find((i) => i.id === id);

  beforeAll(async () => {
    h = await openHarness(() => open());
    await h.connect('quickbooks');
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Hooli' });
    companyId = s.companyId as string;
    const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(outcome).toMatchObject({ status: 'live' });
    customerId = vendorState(h, 'quickbooks', companyId, s.setupId).customerId as string;
    invoiceIds = [...h.qbo.state.invoices.values()]
      .filter((i) => (i.PrivateNote ?? '').includes(s.setupId))
      .map((i) => i.Id);
    expect(invoiceIds.length).toBeGreaterThanOrEqual(1);
    await refresh();
  }, 60_000);
  afterAll(() => h.close());

  it('an invoice written off in QuickBooks (bad-debt credit memo) gets one post-mortem, however often it is refreshed', async () => {
    const id = invoiceIds[0] as string;
    expect(await recorded()).toEqual([]);
    h.qbo.webhooks.takeDelivery();
    h.qbo.writeOff(id);
    // The write-off's webhooks (credit memo, payment, invoice updated) queue a refresh of this customer.
    const delivery = h.qbo.webhooks.takeDelivery();
    const events = createQuickBooksWebhookVerifier(h.qbo.webhooks.verifierToken).parse(
      Buffer.from(delivery?.body ?? ''),
    );
    const jobs = await Promise.all(
      events.map((e) => jobForEvent(h.deps, PORTAL, 'quickbooks', { ...e, occurredAt: e.occurredAt.toISOString() })),
    );
    expect(jobs).toContainEqual({ kind: 'refresh', customerId });
    await refresh();
    await refresh();
    const list = await recorded();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ invoiceId: id, system: 'quickbooks', companyId, trigger: 'written_off' });
    // The write-off is not a payment: the stored invoice reads written off, with no payment for it.
    const read = await snapshot(id);
    expect(read).toMatchObject({ status: 'written_off', amountDue: { amount: 0 } });
    expect(read?.paidOn).toBeUndefined();
    expect(read?.payments ?? []).toEqual([]);
  });
});
