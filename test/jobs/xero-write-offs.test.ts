/**
 * A debt written off in Xero (a credit note to the Bad Debts account, which settles the invoice as if paid) is a
 * write-off to the app: the invoice reads written off, the credit is not a payment in the customer's history, and
 * one bad-debt post-mortem is recorded. An ordinary credit note (a price correction) stays a settled invoice.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runBillingSetup } from '../../src/jobs/billing-setup.js';
import { refreshReceivables } from '../../src/jobs/receivables.js';
import { portalStore } from '../../src/store/portal-store.js';
import { postMortemStore } from '../../src/store/post-mortem-store.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, openHarness, PORTAL, vendorState } from '../support/finance-harness.js';

const ROOMY = { xero: { limits: { perMinute: 100_000, perDay: 1_000_000 } } };
const ROOMY_BUDGETS = {
  xero: (t: string) => ({ key: `xero:${t}`, windows: [{ ms: 60_000, max: 100_000 }], maxConcurrent: 5 }),
};

describe.each(testDatabases())('Xero write-offs on $name', ({ open }) => {
  let h: Harness;
  let customerId: string;
  let invoices: string[];
  const refresh = () => refreshReceivables(h.deps, { portalId: PORTAL, system: 'xero', customerId });
  const snapshot = async (id: string) => {
    const { invoices: all } = await portalStore(h.db, PORTAL).receivables.snapshots('xero', customerId);
    return all.find((i) => i.id === id);
  };

  beforeAll(async () => {
    h = await openHarness(() => open());
    h.resetVendors(ROOMY);
    h.regateway({ limits: ROOMY_BUDGETS });
    await h.connect('xero');
    const s = await h.seedSetup({ system: 'xero', name: 'Initech' });
    const outcome = await runBillingSetup(h.deps, { portalId: PORTAL, setupId: s.setupId, handoffId: s.handoffId });
    expect(outcome).toMatchObject({ status: 'live' });
    customerId = vendorState(h, 'xero', s.companyId as string, s.setupId).customerId as string;
    // The schedule's drafts, approved as on their dates.
    invoices = [...h.xero.state.orgs.values()].flatMap((o) => [...o.invoices.values()]).map((i) => i.id);
    for (const id of invoices.slice(0, 3)) h.xero.authoriseInvoice(id);
    await refresh();
  }, 60_000);
  afterAll(() => h.close());

  it('reads a bad-debt credit note as a write-off, not a payment, and records one post-mortem', async () => {
    const id = invoices[0] as string;
    h.xero.payInvoice(id, { amount: 100, on: '2026-05-20' });
    h.xero.writeOffInvoice(id, { on: '2026-06-30' });
    await refresh();
    await refresh();
    const read = await snapshot(id);
    expect(read).toMatchObject({ status: 'written_off', amountDue: { amount: 0 } });
    expect(read?.paidOn).toBeUndefined();
    // Only the money received is a payment.
    expect(read?.payments).toEqual([{ on: '2026-05-20', amount: { amount: 10_000, currency: 'USD' } }]);
    // The credit note was looked up once, not on every refresh.
    expect(h.xero.calls.filter((c) => c.operation === 'getCreditNote')).toHaveLength(1);
    const pms = (await postMortemStore(h.db, PORTAL).list()).filter((p) => p.invoiceId === id);
    expect(pms).toHaveLength(1);
    expect(pms[0]).toMatchObject({ system: 'xero', trigger: 'written_off' });
  });

  it('reads an ordinary credit note (to a revenue account) as settled, with no post-mortem', async () => {
    const id = invoices[1] as string;
    h.xero.creditInvoice(id, { description: 'Price correction' });
    await refresh();
    expect((await snapshot(id))?.status).toBe('paid');
    expect((await postMortemStore(h.db, PORTAL).list()).filter((p) => p.invoiceId === id)).toEqual([]);
  });

  it('leaves a partly written-off invoice open for what is still owed', async () => {
    const id = invoices[2] as string;
    const before = await snapshot(id);
    h.xero.creditInvoice(id, { amount: 50, accountCode: '480', description: 'Part written off' });
    await refresh();
    const read = await snapshot(id);
    expect(read?.status).toBe('open');
    expect(read?.amountDue.amount).toBe((before?.amountDue.amount ?? 0) - 5_000);
  });
});
