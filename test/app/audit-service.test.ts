import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditFacts, monthlyAuditOf } from '../../src/app/audit-service.js';
import { createHandoff } from '../../src/handoff/lifecycle.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import type { InvoiceSnapshot } from '../../src/receivables/invoice.js';
import type { BadDebtPostMortem } from '../../src/receivables/post-mortem.js';
import type { Db } from '../../src/store/db.js';
import { financeStore } from '../../src/store/finance-store.js';
import { portalStore } from '../../src/store/portal-store.js';
import { postMortemStore } from '../../src/store/post-mortem-store.js';
import { testDatabases } from '../support/databases.js';

const PORTAL = 4242;
const OTHER = 9999;
const TZ = 'UTC';
const NOW = new Date('2026-04-10T12:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });

function postMortem(invoiceId: string, trigger: BadDebtPostMortem['trigger'], recordedAt: string): BadDebtPostMortem {
  return {
    invoiceId,
    invoiceNumber: invoiceId,
    system: 'xero',
    customerId: 'c1',
    companyId: 'co1',
    trigger,
    recordedAt,
    total: usd(1),
    amountDue: usd(1),
    dueDate: '2026-01-01',
    daysPastDue: 91,
    dealId: null,
    saleAt: null,
    credit: { shownAtSale: [], level: null, reasons: [] },
    paymentHistory: '',
    poRule: { required: null, poNumber: null, status: 'unknown' },
    exceptions: [],
    warnings: [],
  };
}

/** Seeds portal `p` with a month of activity: March 2026 (UTC). */
async function seed(db: Db, p: number) {
  const store = portalStore(db, p);
  const facts = financeStore(db, p).facts;
  const created = new Date('2026-03-01T00:00:00Z');
  const h1 = createHandoff({ id: randomUUID(), dealId: 'd1' }, DEFAULT_CS_TO_FINANCE, created);
  const h2 = createHandoff({ id: randomUUID(), dealId: 'd2' }, DEFAULT_CS_TO_FINANCE, created);
  await store.handoffs.insert(h1, {} as never, null);
  await store.handoffs.insert(h2, {} as never, null);
  const ev = (handoffId: string, type: string, at: string, payload: Record<string, unknown> = {}) => ({
    handoffId,
    type,
    actor: '1',
    at,
    payload,
  });
  await store.events.append([
    ev(h1.id, 'submitted', '2026-03-02T09:00:00Z'),
    ev(h1.id, 'rejected', '2026-03-02T11:00:00Z', { reason: 'missing_po' }),
    ev(h1.id, 'resubmitted', '2026-03-03T09:00:00Z'),
    ev(h1.id, 'accepted', '2026-03-03T10:00:00Z'),
    ev(h2.id, 'submitted', '2026-02-27T09:00:00Z'),
    ev(h2.id, 'rejected', '2026-03-01T09:00:00Z', { reason: 'wrong_terms' }),
    ev(h2.id, 'fields_saved', '2026-03-01T09:00:00Z'),
  ]);
  await facts.append('invoice_timing', 'inv-1', new Date('2026-03-01T00:00:00Z'), {
    triggerAt: '2026-03-01T00:00:00.000Z',
    createdAt: '2026-03-05T00:00:00.000Z',
  });
  await facts.append('invoice_timing', 'inv-2', new Date('2026-03-10T00:00:00Z'), {
    triggerAt: '2026-03-10T00:00:00.000Z',
    createdAt: '2026-03-10T05:00:00.000Z',
  });
  const correction = (system: string, field: string, at: string) =>
    facts.append('manual_correction', 'd1', new Date(at), { system, field, before: 'a', after: 'b', dealId: 'd1' });
  await correction('xero', 'paymentTerms', '2026-03-03T00:00:00Z');
  await correction('xero', 'paymentTerms', '2026-03-04T00:00:00Z');
  await correction('quickbooks', 'legalName', '2026-03-05T00:00:00Z');
  await correction('xero', 'paymentTerms', '2026-04-01T00:00:00Z');
  const pm = postMortemStore(db, p);
  await pm.recordOnce('xero', 'x1', postMortem('x1', 'over_90_days', '2026-03-20T00:00:00.000Z'));
  await pm.recordOnce('xero', 'x1', postMortem('x1', 'voided', '2026-03-21T00:00:00.000Z'));
  await pm.recordOnce('xero', 'x2', postMortem('x2', 'voided', '2026-02-21T00:00:00.000Z'));
  const invoice: InvoiceSnapshot = {
    id: 'A',
    number: 'INV-A',
    customerId: 'c1',
    issueDate: '2026-03-01',
    dueDate: '2026-03-15',
    currency: 'USD',
    total: usd(200_000),
    amountDue: usd(50_000),
    status: 'open',
    payments: [{ on: '2026-04-02', amount: usd(150_000) }],
    source: 'xero',
  };
  await store.receivables.upsert([invoice]);
}

describe.each(testDatabases())('monthly audit from the store on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await seed(db, PORTAL);
    await seed(db, OTHER);
    // Another portal's extra activity must not be counted.
    await financeStore(db, OTHER).facts.append('manual_correction', 'd9', new Date('2026-03-09T00:00:00Z'), {
      system: 'stripe',
      field: 'billingEmail',
    });
  });
  afterAll(() => db.close());

  it('a seeded month gives the figures worked out by hand, and only its own portal counts', async () => {
    const audit = await monthlyAuditOf(db, PORTAL, { month: '2026-03', now: NOW, timeZone: TZ });
    // Submitted in March: h1 twice (the resubmission counts); h2's was in February. Rejected: h1, h2 (1 March).
    expect(audit.handoffs).toMatchObject({ submitted: 2, accepted: 1, rejected: 2 });
    expect(audit.handoffs.rejectionsByReason).toEqual([
      { key: 'missing_po', count: 1 },
      { key: 'wrong_terms', count: 1 },
    ]);
    // inv-1 came 96 h after its trigger, inv-2 after 5 h.
    expect(audit.invoices).toMatchObject({ created: 2, late: 1 });
    expect(audit.invoices.lateInvoices.map((l) => [l.invoiceId, l.delayHours])).toEqual([['inv-1', 96]]);
    expect(audit.manualCorrections).toEqual({
      total: 3,
      byField: [
        { key: 'paymentTerms', count: 2 },
        { key: 'legalName', count: 1 },
      ],
      bySystem: [
        { key: 'xero', count: 2 },
        { key: 'quickbooks', count: 1 },
      ],
    });
    // x1 once (the second record was refused), x2 in February.
    expect(audit.postMortems).toEqual({ total: 1, byTrigger: [{ key: 'over_90_days', count: 1 }] });
    // 31 March: $2,000 still owed (paid on 2 April), all of it overdue; DSO = 2,000 ÷ 2,000 × 90.
    expect(audit.receivablesTrend.at(-1)).toEqual({
      month: '2026-03',
      asOf: '2026-03-31',
      currencies: [{ currency: 'USD', outstanding: usd(200_000), overdue: usd(200_000), overdueShare: 1, dsoDays: 90 }],
    });
  });

  it('reads corrections without a system or field as nothing, not as a failure', async () => {
    await financeStore(db, PORTAL).facts.append('manual_correction', 'd1', new Date('2026-03-09T00:00:00Z'), {});
    const facts = await auditFacts(db, PORTAL, TZ);
    expect(facts.manualCorrections).toHaveLength(4);
  });
});
