import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { acknowledgeCorrection } from '../../src/app/corrections.js';
import { getHandoffView } from '../../src/app/handoff-service.js';
import { correctionText } from '../../src/corrections/detect.js';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { acknowledgeCorrectionIn, MANUAL_CORRECTION_FACT } from '../../src/jobs/corrections.js';
import { refreshReceivables } from '../../src/jobs/receivables.js';
import { reconcilePortal } from '../../src/jobs/reconciliation.js';
import { runScheduledInvoices } from '../../src/jobs/scheduled-invoices.js';
import { jobForEvent } from '../../src/jobs/webhook-dispatch.js';
import { correctionsStore } from '../../src/store/corrections-store.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, openHarness, PORTAL, vendorState } from '../support/finance-harness.js';

const ROOMY = { xero: { limits: { perMinute: 100_000, perDay: 1_000_000 } }, stripe: { perSecond: 100_000 } };
const ROOMY_BUDGETS = {
  xero: (t: string) => ({ key: `xero:${t}`, windows: [{ ms: 60_000, max: 100_000 }], maxConcurrent: 5 }),
  stripe: (t: string) => ({ key: `stripe:${t}`, windows: [{ ms: 1_000, max: 100_000 }] }),
};

type System = 'quickbooks' | 'xero' | 'stripe';

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe.each(testDatabases())('manual corrections on $name', ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(() => open());
    h.resetVendors(ROOMY);
    h.regateway({ limits: ROOMY_BUDGETS });
  }, 60_000);
  afterAll(() => h.close());

  async function policy(p: 'adopt' | 'flag') {
    const store = portalStore(h.db, PORTAL);
    await store.installation.saveSettings({ ...(await store.installation.settings()), manualCorrections: p });
  }

  async function live(system: System, name: string) {
    await h.connect(system);
    const s = await h.seedSetup({ system, name });
    const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(outcome.status).toBe('live');
    const customerId = vendorState(h, system, s.companyId as string, s.setupId).customerId as string;
    const refresh = () => refreshReceivables(h.deps, { portalId: PORTAL, system, customerId });
    // The refresh billing setup queues: the first reading after our own writes is the baseline.
    await refresh();
    return { ...s, customerId, refresh };
  }

  const corrections = (setupId: string) => correctionsStore(h.db, PORTAL).corrections.bySetup(setupId);
  const facts = async (setupId: string) =>
    (await financeStore(h.db, PORTAL).facts.list(MANUAL_CORRECTION_FACT)).filter((f) => f.data.setupId === setupId);

  const editTerms: Record<System, (id: string, code: string) => void> = {
    quickbooks: (id, code) => h.qbo.setCustomerTerms(id, code),
    xero: (id, code) => h.xero.setContactTerms(id, code),
    stripe: (id, code) => h.stripe.setCustomerTerms(id, code),
  };
  const editCustomer: Record<
    System,
    (id: string, p: { name: string; email: string; line1: string; city: string }) => void
  > = {
    quickbooks: (id, p) =>
      h.qbo.editCustomer(id, {
        companyName: p.name,
        email: p.email,
        billAddr: { Line1: p.line1, City: p.city, CountrySubDivisionCode: 'IL', PostalCode: '62701', Country: 'US' },
      }),
    xero: (id, p) =>
      h.xero.editContact(id, {
        name: p.name,
        email: p.email,
        address: { AddressLine1: p.line1, City: p.city, Region: 'IL', PostalCode: '62701', Country: 'US' },
      }),
    stripe: (id, p) =>
      h.stripe.editCustomer(id, {
        name: p.name,
        email: p.email,
        address: { line1: p.line1, city: p.city, state: 'IL', postal_code: '62701', country: 'US' },
      }),
  };

  describe.each(['quickbooks', 'xero', 'stripe'] as const)('in %s', (system) => {
    it('reports nothing after our own setup, then each field edited in the finance system once with before and after', async () => {
      await policy('flag');
      const s = await live(system, `Edited ${system}`);
      await s.refresh();
      expect(await corrections(s.setupId)).toEqual([]);

      editTerms[system](s.customerId, 'net_45');
      await s.refresh();
      await s.refresh(); // a second webhook or sweep for the same change
      expect(await corrections(s.setupId)).toEqual([
        expect.objectContaining({ field: 'paymentTerms', before: 'net_30', after: 'net_45', status: 'flagged' }),
      ]);

      editCustomer[system](s.customerId, {
        name: `Edited ${system} Holdings Ltd`,
        email: 'payables@edited.example',
        line1: '9 Elm Rd',
        city: 'Shelbyville',
      });
      await s.refresh();
      await s.refresh();
      const all = await corrections(s.setupId);
      const byField = Object.fromEntries(all.map((c) => [c.field, c]));
      expect(all).toHaveLength(4);
      expect(byField.legalName).toMatchObject({
        before: `Edited ${system} Ltd`,
        after: `Edited ${system} Holdings Ltd`,
      });
      expect(byField.billingEmail).toMatchObject({
        before: `ap@edited-${system}.example`,
        after: 'payables@edited.example',
      });
      expect(byField.billingAddress).toMatchObject({
        before: expect.objectContaining({ line1: '1 Main St', city: 'Springfield' }),
        after: expect.objectContaining({ line1: '9 Elm Rd', city: 'Shelbyville' }),
      });
      // Where the vendor says when (Xero UpdatedDateUTC, QuickBooks MetaData.LastUpdatedTime), it is kept.
      if (system !== 'stripe') expect(byField.paymentTerms?.vendorUpdatedAt).toBeInstanceOf(Date);

      const counted = await facts(s.setupId);
      expect(counted.map((f) => f.data.field).sort()).toEqual(
        ['billingAddress', 'billingEmail', 'legalName', 'paymentTerms'].sort(),
      );
      expect(counted[0]?.data).toMatchObject({ system, dealId: s.dealId, companyId: s.companyId, setupId: s.setupId });
      expect(counted[0]?.subjectId).toBe(s.dealId);
    }, 60_000);

    it('adopt writes the new terms back to HubSpot and the handoff, and that write-back is not reported again', async () => {
      await policy('adopt');
      const s = await live(system, `Adopted ${system}`);
      editTerms[system](s.customerId, 'net_60');
      await s.refresh();
      expect(await corrections(s.setupId)).toEqual([
        expect.objectContaining({ field: 'paymentTerms', after: 'net_60', status: 'adopted', policy: 'adopt' }),
      ]);
      expect(h.hubspot.get('deals', s.dealId)?.properties.rh_payment_terms).toBe('net_60');
      const stored = await portalStore(h.db, PORTAL).handoffs.get(s.handoffId);
      expect((stored?.data as Record<string, unknown> | undefined)?.paymentTerms).toBe('net_60');
      await s.refresh();
      await s.refresh();
      expect(await corrections(s.setupId)).toHaveLength(1);
      expect(await facts(s.setupId)).toHaveLength(1);
      await policy('flag');
    }, 60_000);
  });

  /** Our first invoice of a setup in the finance system (what billing setup created). */
  async function firstInvoice(setupId: string) {
    const held = await financeStore(h.db, PORTAL).held.list(setupId);
    const row = held.find((r) => r.financeInvoiceId);
    expect(row).toBeDefined();
    return { id: row?.financeInvoiceId as string, number: row?.financeInvoiceNumber ?? null };
  }

  /** Edits an invoice's PO number in the finance system, where we write it. */
  const editPo: Record<System, (invoiceId: string, po: string) => void> = {
    // No PO custom field configured: the PO is the memo's "PO: …" line.
    quickbooks: (id, po) => {
      const memo = h.qbo.state.invoices.get(id)?.CustomerMemo?.value ?? '';
      h.qbo.editInvoice(id, { customerMemo: memo.replace(/^PO: .*$/m, `PO: ${po}`) });
    },
    xero: (id, po) => h.xero.editInvoice(id, { reference: po }),
    stripe: (id, po) => h.stripe.editInvoice(id, { customField: { name: 'PO number', value: po } }),
  };
  /** Edits line 1 of an invoice to one unit of 450.00, as a person would in the finance system. */
  const editLine: Record<System, (invoiceId: string) => void> = {
    quickbooks: (id) => h.qbo.editInvoice(id, { line: { index: 1, qty: 1, unitPrice: 450 } }),
    xero: (id) => h.xero.editInvoice(id, { line: { index: 1, quantity: 1, unitAmount: 450 } }),
    stripe: (id) => h.stripe.editInvoice(id, { line: { index: 1, amount: 450_00 } }),
  };

  describe.each(['quickbooks', 'xero', 'stripe'] as const)('invoice PO number and lines in %s', (system) => {
    const liveWithPo = async (name: string) => {
      await h.connect(system);
      const s = await h.seedSetup({ system, name, data: { poNumber: 'PO-1' } });
      const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
      expect(outcome.status).toBe('live');
      const customerId = vendorState(h, system, s.companyId as string, s.setupId).customerId as string;
      const refresh = () => refreshReceivables(h.deps, { portalId: PORTAL, system, customerId });
      await refresh();
      return { ...s, customerId, refresh };
    };

    it('flag: an edited PO number and an edited line are each reported once with before and after, and shown on the card', async () => {
      await policy('flag');
      const s = await liveWithPo(`Lines ${system}`);
      await s.refresh();
      expect(await corrections(s.setupId)).toEqual([]);
      const inv = await firstInvoice(s.setupId);

      editPo[system](inv.id, 'PO-2');
      editLine[system](inv.id);
      await s.refresh();
      await s.refresh(); // a second webhook or sweep for the same changes
      const all = await corrections(s.setupId);
      // The new line amount also changes the invoice total, which is reported as its own correction.
      expect(all.map((c) => c.field).sort()).toEqual(['invoiceLine', 'invoicePoNumber', 'invoiceTotal']);
      const byField = Object.fromEntries(all.map((c) => [c.field, c]));
      expect(byField.invoicePoNumber).toMatchObject({
        subject: inv.id,
        before: 'PO-1',
        after: 'PO-2',
        status: 'flagged',
      });
      expect(byField.invoiceLine).toMatchObject({
        subject: `${inv.id}/line/1`,
        status: 'flagged',
        after: expect.objectContaining({ quantity: 1, unitAmount: usd(450_00), amount: usd(450_00) }),
      });
      const before = byField.invoiceLine?.before as { amount: { amount: number } } | null;
      expect(before?.amount.amount).not.toBe(450_00);
      // Flag writes nothing to HubSpot.
      expect(h.hubspot.get('deals', s.dealId)?.properties.rh_po_number ?? null).not.toBe('PO-2');

      const ctx = await h.contextAs(['finance']);
      const texts = ((await getHandoffView(ctx, { dealId: s.dealId })).billing.corrections ?? []).map((c) => c.text);
      const label = byField.invoicePoNumber?.subjectLabel;
      expect(texts).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^PO number of ${label} changed in .* on \\d+ \\w+: PO-1 → PO-2$`)),
          expect.stringMatching(new RegExp(`^Line 1 of ${label} changed in .*: .+ → .*1 × \\$450\\.00`)),
        ]),
      );
      const counted = await facts(s.setupId);
      expect(counted.map((f) => f.data.field).sort()).toEqual(['invoiceLine', 'invoicePoNumber', 'invoiceTotal']);
    }, 60_000);

    it('adopt: a PO number edited there becomes the deal’s PO number; a line is accepted with a note; neither comes back', async () => {
      await policy('adopt');
      try {
        const s = await liveWithPo(`Adopt PO ${system}`);
        const inv = await firstInvoice(s.setupId);
        editPo[system](inv.id, 'PO-77');
        editLine[system](inv.id);
        await s.refresh();
        const byField = Object.fromEntries((await corrections(s.setupId)).map((c) => [c.field, c]));
        expect(byField.invoicePoNumber).toMatchObject({ status: 'adopted', policy: 'adopt', after: 'PO-77' });
        expect(byField.invoiceLine).toMatchObject({
          status: 'adopted',
          writebackNote: 'Accepted as the new baseline; invoice lines have no HubSpot property',
        });
        expect(h.hubspot.get('deals', s.dealId)?.properties.rh_po_number).toBe('PO-77');
        const stored = await portalStore(h.db, PORTAL).handoffs.get(s.handoffId);
        expect((stored?.data as Record<string, unknown> | undefined)?.poNumber).toBe('PO-77');
        // The write-back is ours: later refreshes report nothing more.
        await s.refresh();
        await s.refresh();
        expect((await corrections(s.setupId)).map((c) => c.field).sort()).toEqual([
          'invoiceLine',
          'invoicePoNumber',
          'invoiceTotal',
        ]);
        expect(await facts(s.setupId)).toHaveLength(3);
      } finally {
        await policy('flag');
      }
    }, 60_000);
  });

  it('a line whose description runs to thousands of characters is recorded once like any other', async () => {
    await policy('flag');
    await h.connect('xero');
    const s = await h.seedSetup({ system: 'xero', name: 'Long line xero', data: { poNumber: 'PO-1' } });
    await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    const customerId = vendorState(h, 'xero', s.companyId as string, s.setupId).customerId as string;
    const refresh = () => refreshReceivables(h.deps, { portalId: PORTAL, system: 'xero', customerId });
    await refresh();
    const inv = await firstInvoice(s.setupId);
    // Text that does not compress (a serial list, say): ~3,900 characters.
    let description = 'Support and maintenance for serials';
    for (let i = 0; description.length < 3_900; i++) {
      description += ` ${createHash('sha256').update(String(i)).digest('base64')}`;
    }
    h.xero.editInvoice(inv.id, { line: { index: 1, description } });
    await refresh();
    await refresh();
    expect(await corrections(s.setupId)).toEqual([
      expect.objectContaining({ field: 'invoiceLine', after: expect.objectContaining({ description }) }),
    ]);
  }, 60_000);

  it('QuickBooks: an invoice our sweep issues later carries the PO and lines we wrote, and is not a correction', async () => {
    await policy('flag');
    await h.connect('quickbooks');
    const s = await h.seedSetup({ system: 'quickbooks', name: 'Issued later PO', data: { poNumber: 'PO-5' } });
    await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    const customerId = vendorState(h, 'quickbooks', s.companyId as string, s.setupId).customerId as string;
    const refresh = () => refreshReceivables(h.deps, { portalId: PORTAL, system: 'quickbooks', customerId });
    await refresh();
    const before = vendorState(h, 'quickbooks', s.companyId as string, s.setupId).invoices;
    h.clock.now = new Date('2026-06-02T10:00:00Z');
    try {
      await runScheduledInvoices(h.deps, { portalId: PORTAL, setupId: s.setupId });
      expect(vendorState(h, 'quickbooks', s.companyId as string, s.setupId).invoices).toBeGreaterThan(before);
      await refresh();
      await refresh();
      expect(await corrections(s.setupId)).toEqual([]);
      const base = await correctionsStore(h.db, PORTAL).baselines.get(s.setupId);
      const invoices = Object.values(base?.state.invoices ?? {});
      expect(invoices.length).toBeGreaterThan(1);
      for (const inv of invoices) {
        expect(inv.poNumber).toBe('PO-5');
        expect(inv.lines?.length).toBeGreaterThan(0);
      }
    } finally {
      h.clock.now = new Date('2026-05-15T10:00:00Z');
    }
  }, 60_000);

  it('flag: an acknowledged correction becomes the baseline; a later change of the same field is a new one', async () => {
    await policy('flag');
    const s = await live('xero', 'Acknowledged xero');
    h.xero.setContactTerms(s.customerId, 'net_45');
    await s.refresh();
    const [first] = await corrections(s.setupId);
    expect(first).toMatchObject({ status: 'flagged' });
    // Flag writes nothing to HubSpot.
    expect(h.hubspot.get('deals', s.dealId)?.properties.rh_payment_terms ?? null).not.toBe('net_45');
    await acknowledgeCorrectionIn(h.db, PORTAL, first?.id as string, '77', h.clock.now);
    await s.refresh();
    expect(await corrections(s.setupId)).toEqual([
      expect.objectContaining({ status: 'acknowledged', resolvedBy: '77' }),
    ]);
    h.xero.setContactTerms(s.customerId, 'net_30');
    await s.refresh();
    const after = await corrections(s.setupId);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ before: 'net_45', after: 'net_30', status: 'flagged' });
  }, 60_000);

  it('a second change of a flagged field supersedes the first', async () => {
    await policy('flag');
    const s = await live('xero', 'Superseded xero');
    h.xero.setContactTerms(s.customerId, 'net_45');
    await s.refresh();
    h.xero.setContactTerms(s.customerId, 'net_60');
    await s.refresh();
    const all = await corrections(s.setupId);
    expect(all.map((c) => [c.after, c.status])).toEqual([
      ['net_45', 'superseded'],
      ['net_60', 'flagged'],
    ]);
  }, 60_000);

  it('Xero: names who made the change, from the record’s History (one read per record, none for known changes)', async () => {
    await policy('flag');
    const s = await live('xero', 'Who xero');
    const historyReads = () => h.xero.calls.filter((c) => c.operation === 'getContactHistory').length;
    const before = historyReads();
    h.xero.setContactTerms(s.customerId, 'net_45', 'Priya Shah');
    h.xero.editContact(s.customerId, { email: 'payables@who.example' }, 'Priya Shah');
    await s.refresh();
    await s.refresh();
    const found = await corrections(s.setupId);
    expect(found.map((c) => [c.field, c.by])).toEqual(
      expect.arrayContaining([
        ['paymentTerms', 'Priya Shah'],
        ['billingEmail', 'Priya Shah'],
      ]),
    );
    expect(historyReads() - before).toBe(1);
    const held = await financeStore(h.db, PORTAL).held.list(s.setupId);
    const invoice = held.find((r) => r.financeInvoiceId);
    h.xero.setInvoiceDueDate(invoice?.financeInvoiceId as string, '2026-12-31', 'Sam Okafor');
    await s.refresh();
    const due = (await corrections(s.setupId)).find((c) => c.field === 'invoiceDueDate');
    expect(due?.by).toBe('Sam Okafor');
    expect(correctionText(due as never, 'xero', due?.vendorUpdatedAt ?? new Date(), 'UTC')).toContain(
      'changed in Xero by Sam Okafor on',
    );
  }, 60_000);

  it('an invoice due date edited in Xero is reported with the invoice number; invoices we issue later are not', async () => {
    await policy('flag');
    const s = await live('xero', 'Invoice xero');
    const held = await financeStore(h.db, PORTAL).held.list(s.setupId);
    const draft = held.find((r) => r.financeInvoiceId);
    h.xero.setInvoiceDueDate(draft?.financeInvoiceId as string, '2026-12-31');
    await s.refresh();
    expect(await corrections(s.setupId)).toEqual([
      expect.objectContaining({
        field: 'invoiceDueDate',
        subject: draft?.financeInvoiceId,
        subjectLabel: draft?.financeInvoiceNumber,
        before: draft?.dueDate,
        after: '2026-12-31',
      }),
    ]);
  }, 60_000);

  it('QuickBooks: invoices our sweep issues after setup are our own writes, not corrections', async () => {
    await policy('flag');
    const s = await live('quickbooks', 'Issued later');
    const before = vendorState(h, 'quickbooks', s.companyId as string, s.setupId).invoices;
    h.clock.now = new Date('2026-06-02T10:00:00Z');
    try {
      await runScheduledInvoices(h.deps, { portalId: PORTAL, setupId: s.setupId });
      expect(vendorState(h, 'quickbooks', s.companyId as string, s.setupId).invoices).toBeGreaterThan(before);
      await s.refresh();
      await s.refresh();
      expect(await corrections(s.setupId)).toEqual([]);
    } finally {
      h.clock.now = new Date('2026-05-15T10:00:00Z');
    }
  }, 60_000);

  it('the Xero contact-update webhook routes to the refresh that finds the correction (one job cycle)', async () => {
    await policy('flag');
    const s = await live('xero', 'Webhook xero');
    h.xero.webhooks.flush();
    h.xero.setContactTerms(s.customerId, 'net_45');
    const [event] = h.xero.webhooks.pending();
    expect(event).toMatchObject({ eventCategory: 'CONTACT', resourceId: s.customerId });
    const job = await jobForEvent(h.deps, PORTAL, 'xero', {
      eventId: 'e1',
      tenantId: h.xero.tenantId,
      entity: 'customer',
      entityId: s.customerId,
      action: 'UPDATE',
      occurredAt: h.clock.now.toISOString(),
    });
    expect(job).toEqual({ kind: 'refresh', customerId: s.customerId });
    await refreshReceivables(h.deps, {
      portalId: PORTAL,
      system: 'xero',
      customerId: job.kind === 'refresh' ? job.customerId : '',
    });
    expect(await corrections(s.setupId)).toEqual([
      expect.objectContaining({ field: 'paymentTerms', before: 'net_30', after: 'net_45' }),
    ]);
  }, 60_000);

  it('demo: terms changed in Xero show on the deal card within one refresh, finance acknowledges them through the API', async () => {
    await policy('flag');
    const s = await live('xero', 'Demo xero');
    h.clock.now = new Date('2026-11-03T09:00:00Z');
    try {
      h.xero.setContactTerms(s.customerId, 'net_45');
      await s.refresh();
      const view = await getHandoffView(await h.contextAs(['finance']), { dealId: s.dealId });
      const [shown] = view.billing.corrections ?? [];
      // The sandbox's clock is the test's: the change happened on 3 Nov.
      expect(shown).toMatchObject({
        text: 'Payment terms changed in Xero by Jamie Rivera on 3 Nov: Net 30 → Net 45',
        status: 'flagged',
        canAcknowledge: true,
      });
      const counted = await facts(s.setupId);
      expect(counted).toHaveLength(1);
      expect(counted[0]?.data).toMatchObject({
        system: 'xero',
        field: 'paymentTerms',
        before: 'net_30',
        after: 'net_45',
      });

      const input = { dealId: s.dealId, correctionId: shown?.id as string };
      await expect(acknowledgeCorrection(await h.contextAs(['sales']), input)).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(
        acknowledgeCorrection(await h.contextAs(['finance']), { ...input, dealId: '999999' }),
      ).rejects.toMatchObject({ code: 'not_found' });
      const after = await acknowledgeCorrection(await h.contextAs(['revops']), input);
      expect(after.billing.corrections?.[0]).toMatchObject({
        status: 'acknowledged',
        acknowledgedBy: '2002',
        canAcknowledge: false,
      });
      await s.refresh();
      expect(await corrections(s.setupId)).toHaveLength(1);
    } finally {
      h.clock.now = new Date('2026-05-15T10:00:00Z');
    }
  }, 60_000);

  it('the reconciliation sweep re-checks a customer not compared for a day, so a lost contact webhook is caught', async () => {
    await policy('flag');
    const s = await live('xero', 'Swept xero');
    await reconcilePortal(h.deps, PORTAL);
    h.clock.now = new Date(h.clock.now.getTime() + 25 * 3600_000);
    try {
      h.xero.setContactTerms(s.customerId, 'net_45');
      h.xero.webhooks.flush(); // lost
      h.sent.length = 0;
      const swept = await reconcilePortal(h.deps, PORTAL);
      expect(swept?.customers).toContain(s.customerId);
      const queued = h.sent.filter((j) => j.queue === 'receivables-refresh' && j.data.customerId === s.customerId);
      expect(queued).toHaveLength(1);
      await refreshReceivables(h.deps, queued[0]?.data as never);
      expect(await corrections(s.setupId)).toEqual([
        expect.objectContaining({ field: 'paymentTerms', before: 'net_30', after: 'net_45' }),
      ]);
      // Checked now: the next sweep does not spend calls on it again.
      h.sent.length = 0;
      expect((await reconcilePortal(h.deps, PORTAL))?.customers ?? []).not.toContain(s.customerId);
    } finally {
      h.clock.now = new Date('2026-05-15T10:00:00Z');
    }
  }, 60_000);

  it('adopt: a new legal name goes to the company; an email with no billing contact in HubSpot is flagged with the reason', async () => {
    await policy('adopt');
    try {
      const s = await live('xero', 'Adopt name xero');
      h.xero.editContact(s.customerId, { name: 'Adopt Name Holdings Ltd', email: 'payables@adopt.example' });
      await s.refresh();
      const byField = Object.fromEntries((await corrections(s.setupId)).map((c) => [c.field, c]));
      expect(byField.legalName).toMatchObject({ status: 'adopted', policy: 'adopt' });
      expect(h.hubspot.get('companies', s.companyId as string)?.properties.rh_billing_entity_legal_name).toBe(
        'Adopt Name Holdings Ltd',
      );
      expect(byField.billingEmail).toMatchObject({
        status: 'flagged',
        policy: 'adopt',
        writebackNote: 'The deal has no billing (AP) contact in HubSpot to write the email to',
      });
      await s.refresh();
      expect(await corrections(s.setupId)).toHaveLength(2);
    } finally {
      await policy('flag');
    }
  }, 60_000);
});
