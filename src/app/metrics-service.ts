import type { HandlerContext } from '../../serverless/handler.js';
import type { MetricsView } from '../api/contracts.js';
import type { Handoff } from '../handoff/lifecycle.js';
import { slaDueAt } from '../handoff/sla.js';
import type { RevenueFactsInput } from '../metrics/facts.js';
import { revenueReadiness } from '../metrics/revenue-readiness.js';
import type { InvoiceSnapshot } from '../receivables/invoice.js';
import type { Db } from '../store/db.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

/**
 * The metric facts of one portal, read from what the app records as it works: closes (the gate), billing setups
 * going live, invoice timings (the engine), handoff submissions and decisions (the audit trail), the invoice
 * snapshots and the linked customers.
 * @example const facts = await revenueFacts(db, 42, 'Europe/Berlin')
 */
export async function revenueFacts(db: Db, portalId: number, timeZone: string): Promise<RevenueFactsInput> {
  const [closes, setups, firstInvoices, timings, events, snapshots, customers] = await Promise.all([
    db.query<{ subject_id: string; at: Date }>(
      `SELECT subject_id, at FROM metric_facts WHERE portal_id = $1 AND kind = 'deal_closed'`,
      [portalId],
    ),
    db.query<{ deal_id: string; live_at: Date | null }>(
      `SELECT deal_id, live_at FROM billing_setups WHERE portal_id = $1`,
      [portalId],
    ),
    db.query<{ deal_id: string; first: Date | null }>(
      `SELECT b.deal_id, min(s.issued_at) AS first FROM billing_setups b
       JOIN scheduled_invoices s ON s.setup_id = b.id WHERE b.portal_id = $1 GROUP BY b.deal_id`,
      [portalId],
    ),
    db.query<{ subject_id: string; data: Record<string, unknown> }>(
      `SELECT subject_id, data FROM metric_facts WHERE portal_id = $1 AND kind = 'invoice_timing'`,
      [portalId],
    ),
    db.query<{ type: string; at: Date; payload: Record<string, unknown>; record: Handoff }>(
      `SELECT e.type, e.at, e.payload, h.record FROM handoff_events e JOIN handoffs h ON h.id = e.handoff_id
       WHERE e.portal_id = $1 AND e.type IN ('submitted', 'resubmitted', 'accepted', 'rejected') ORDER BY e.id`,
      [portalId],
    ),
    db.query<Record<string, unknown>>(`SELECT * FROM invoice_snapshots WHERE portal_id = $1`, [portalId]),
    db.query<{ customer_id: string; name: string | null }>(
      `SELECT DISTINCT ON (customer_id) customer_id, synced->>'legalName' AS name FROM finance_links WHERE portal_id = $1`,
      [portalId],
    ),
  ]);
  const live = new Map(setups.map((s) => [s.deal_id, s.live_at]));
  const first = new Map(firstInvoices.map((f) => [f.deal_id, f.first]));
  const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
  const invoices: InvoiceSnapshot[] = snapshots.map((r) => {
    const currency = String(r.currency);
    return {
      id: String(r.invoice_id),
      number: String(r.number ?? r.invoice_id),
      customerId: String(r.customer_id),
      issueDate: day(r.issue_date),
      dueDate: day(r.due_date),
      currency,
      total: { amount: Number(r.total_amount), currency },
      amountDue: { amount: Number(r.amount_due), currency },
      status: r.status as InvoiceSnapshot['status'],
      payments: (r.payments as InvoiceSnapshot['payments']) ?? [],
      source: r.system as InvoiceSnapshot['source'],
      ...(r.paid_on ? { paidOn: day(r.paid_on) } : {}),
    };
  });
  return {
    deals: closes.map((c) => {
      const liveAt = live.get(c.subject_id);
      const firstAt = first.get(c.subject_id);
      return {
        dealId: c.subject_id,
        closedAt: new Date(c.at),
        ...(liveAt ? { billingLiveAt: new Date(liveAt) } : {}),
        ...(liveAt && firstAt ? { firstInvoiceAt: new Date(firstAt) } : {}),
      };
    }),
    invoiceTimings: timings.map((t) => ({
      invoiceId: t.subject_id,
      ...(typeof t.data.dealId === 'string' ? { dealId: t.data.dealId } : {}),
      ...(typeof t.data.trigger === 'string' ? { trigger: t.data.trigger } : {}),
      triggerAt: String(t.data.triggerAt),
      ...(typeof t.data.createdAt === 'string' ? { createdAt: t.data.createdAt } : {}),
      manuallyCorrected: t.data.manuallyCorrected === true,
    })),
    handoffEvents: events.map((e) => {
      const kind = e.type === 'resubmitted' ? 'submitted' : (e.type as 'submitted' | 'accepted' | 'rejected');
      const at = new Date(e.at);
      return {
        handoffId: e.record.id,
        dealId: e.record.dealId,
        toTeam: e.record.contract.toTeam,
        kind,
        at,
        ...(kind === 'submitted'
          ? { slaDueAt: slaDueAt({ submittedAt: at, sla: e.record.contract.sla, timeZone }) }
          : {}),
        ...(kind === 'rejected' && typeof e.payload.reason === 'string' ? { reason: e.payload.reason } : {}),
      };
    }),
    invoices,
    customers: customers.map((c) => ({ customerId: c.customer_id, name: c.name ?? c.customer_id })),
  };
}

/**
 * The revenue-readiness report for the app home page.
 * @example await getMetrics(ctx)
 */
export async function getMetrics(ctx: Ctx): Promise<MetricsView> {
  const { store, settings } = ctx.services;
  const facts = await revenueFacts(store.db, ctx.portalId, settings.timeZone);
  const report = revenueReadiness(facts, {
    now: ctx.now,
    timeZone: settings.timeZone,
    bannerThresholds: settings.bannerThresholds,
  });
  return JSON.parse(JSON.stringify(report)) as MetricsView;
}
