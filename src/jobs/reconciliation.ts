import { FinanceNotConnected } from '../integrations/finance/factory.js';
import type { FinanceSystemId } from '../integrations/finance/port.js';
import { correctionsStore } from '../store/corrections-store.js';
import { financeStore, sweepableConnections, unprocessedFinanceEvents } from '../store/finance-store.js';
import { type FinanceJobDeps, JOB_KEYS, queueReceivablesRefresh, type ReconciliationJobData } from './finance-jobs.js';
import { postMortemsSafely, sweepBadDebtPostMortems } from './post-mortems.js';
import { QUEUES } from './queue.js';
import { dispatchFinanceEvents } from './webhook-dispatch.js';

/**
 * The reconciliation sweep: webhooks are at-least-once at best and get lost in outages, so every connection is
 * read back periodically — the invoices changed since the cursor (one cheap "changed since" listing: QuickBooks
 * CDC, Xero If-Modified-Since with summaryOnly, Stripe's event log) — and each linked customer with a change gets
 * the same per-customer refresh a webhook triggers. The cursor moves to the sweep's start only after success, with
 * an overlap, so a change made while the sweep ran is read again next time rather than never. Every request goes
 * through the tenant's shared rate budget, so the sweep takes what is left after billing setups, never more.
 * Stored webhook events that were never dispatched (the process died after the ack) are dispatched here too.
 */

/** Re-read this much before the cursor: clocks differ between us and the vendor, and lists lag their writes. */
export const RECONCILE_OVERLAP_MS = 5 * 60_000;
/** The first sweep of a connection looks back this far. */
export const FIRST_SWEEP_LOOKBACK_MS = 30 * 24 * 3600_000;
/** A customer edited in the finance system changes no invoice: each synced customer is compared at least this often. */
export const CORRECTION_CHECK_INTERVAL_MS = 24 * 3600_000;
/** At most this many such extra refreshes per sweep (two vendor calls each), to stay inside the tenant's budget. */
export const CORRECTION_CHECKS_PER_SWEEP = 5;

/**
 * Sweeps one portal's connection: lists changed invoices, queues a refresh per changed linked customer, moves the
 * cursor. Returns the customers queued.
 * @example await reconcilePortal(deps, 42) // { customers: ['58'], since }
 */
export async function reconcilePortal(
  deps: FinanceJobDeps,
  portalId: number,
): Promise<{ system: FinanceSystemId; customers: string[]; since: Date } | null> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  let connected: Awaited<ReturnType<FinanceJobDeps['gateway']['forPortal']>>;
  try {
    connected = await deps.gateway.forPortal(portalId, { subject: 'reconciliation' });
  } catch (e) {
    if (e instanceof FinanceNotConnected) return null;
    throw e;
  }
  const { connection, finance } = connected;
  const fstore = financeStore(deps.db, portalId);
  const since = new Date(
    (connection.reconciledThrough?.getTime() ?? startedAt.getTime() - FIRST_SWEEP_LOOKBACK_MS) - RECONCILE_OVERLAP_MS,
  );
  const changed = await finance.listInvoices({ changedSince: since });
  const linked = await fstore.links.customerIds(connection.system);
  const customers = [...new Set(changed.map((i) => i.customerId))].filter((c) => linked.has(c)).sort();
  // Manual corrections: customers not compared for a day get a refresh too (webhooks for customer edits get lost).
  const stale = await correctionsStore(deps.db, portalId).baselines.dueForCheck(
    connection.system,
    new Date(startedAt.getTime() - CORRECTION_CHECK_INTERVAL_MS),
    CORRECTION_CHECKS_PER_SWEEP,
  );
  for (const customerId of stale) {
    if (linked.has(customerId) && !customers.includes(customerId)) customers.push(customerId);
  }
  for (const customerId of customers) {
    await queueReceivablesRefresh(deps.queue, { portalId, system: connection.system, customerId });
  }
  await fstore.connections.reconciled(connection.system, startedAt, now());
  // Invoices pass 90 days overdue without any change at the vendor: the stored snapshots are checked every sweep.
  await postMortemsSafely(deps, () => sweepBadDebtPostMortems(deps, portalId, connection.system));
  return { system: connection.system, customers, since };
}

/**
 * The `reconciliation` worker: without a portal it dispatches stranded webhook events and queues one sweep per
 * connected portal; with a portal it sweeps that portal.
 * @example await runReconciliation(deps, {}) // fan out
 */
export async function runReconciliation(deps: FinanceJobDeps, data: ReconciliationJobData): Promise<unknown> {
  if (data.portalId !== undefined) return reconcilePortal(deps, data.portalId);
  const now = (deps.now ?? (() => new Date()))();
  const stranded = await unprocessedFinanceEvents(deps.db, new Date(now.getTime() - 60_000));
  for (const source of ['quickbooks', 'xero', 'stripe'] as const) {
    const events = stranded.filter((e) => e.source === source);
    if (events.length > 0) await dispatchFinanceEvents(deps, source, events);
  }
  const connections = await sweepableConnections(deps.db);
  const portals = [...new Set(connections.map((c) => c.portalId))];
  for (const portalId of portals) {
    await deps.queue?.send(QUEUES.reconciliation.name, { portalId }, { singletonKey: JOB_KEYS.reconcile(portalId) });
  }
  return { queued: portals, redispatched: stranded.length };
}
