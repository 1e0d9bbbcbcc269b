import type { FinanceSystemId, FinanceWebhookEvent } from '../integrations/finance/port.js';
import { financeStore, type InboundEvent, markInboundProcessed } from '../store/finance-store.js';
import { type FinanceJobDeps, JOB_KEYS, queueReceivablesRefresh } from './finance-jobs.js';
import { QUEUES } from './queue.js';

/**
 * What a stored finance webhook event turns into: a refresh of the customer it concerns, or — when we cannot tell
 * the customer without asking the vendor (a payment, an invoice someone made by hand) — a reconciliation sweep of
 * the portal, which reads what changed and refreshes exactly those customers. Lookups are database-only, so the
 * webhook route can dispatch before it answers and still answer within the vendors' few seconds.
 */

/** The stored form of a webhook event: the parsed event and every portal connected to its tenant. */
export interface StoredFinanceEvent {
  event: Omit<FinanceWebhookEvent, 'occurredAt'> & { occurredAt: string };
  portalIds: number[];
}

/**
 * The job a stored event needs in one portal. Exported for tests of the routing.
 * @example await jobForEvent(deps, 42, 'quickbooks', event) // { kind: 'refresh', customerId: '58' }
 */
export async function jobForEvent(
  deps: Pick<FinanceJobDeps, 'db'>,
  portalId: number,
  system: FinanceSystemId,
  event: StoredFinanceEvent['event'],
): Promise<{ kind: 'refresh'; customerId: string } | { kind: 'reconcile' } | { kind: 'none' }> {
  const fstore = financeStore(deps.db, portalId);
  if (event.entity === 'customer') {
    return (await fstore.links.byCustomer(system, event.entityId))
      ? { kind: 'refresh', customerId: event.entityId }
      : { kind: 'none' };
  }
  if (event.entity === 'invoice' || event.entity === 'credit_note') {
    const customerId =
      (await fstore.snapshots.customerOfInvoice(system, event.entityId)) ??
      (await fstore.held.customerOfInvoice(system, event.entityId));
    if (customerId) return { kind: 'refresh', customerId };
  }
  if (event.entity === 'other') return { kind: 'none' };
  return { kind: 'reconcile' };
}

/**
 * Queues the jobs for freshly stored events of one vendor and marks them processed. One refresh per customer
 * however many events name it (the queue's singleton key does the rest).
 * @example await dispatchFinanceEvents(deps, 'xero', fresh)
 */
export async function dispatchFinanceEvents(
  deps: FinanceJobDeps,
  system: FinanceSystemId,
  events: ReadonlyArray<InboundEvent>,
): Promise<{ refreshes: string[]; reconciles: number[] }> {
  const refreshes = new Set<string>();
  const reconciles = new Set<number>();
  for (const stored of events) {
    const { event, portalIds } = stored.payload as unknown as StoredFinanceEvent;
    for (const portalId of portalIds ?? []) {
      const job = await jobForEvent(deps, portalId, system, event);
      if (job.kind === 'refresh') refreshes.add(`${portalId}\u0000${job.customerId}`);
      if (job.kind === 'reconcile') reconciles.add(portalId);
    }
  }
  for (const entry of refreshes) {
    const [portal, customerId] = entry.split('\u0000') as [string, string];
    await queueReceivablesRefresh(deps.queue, { portalId: Number(portal), system, customerId });
  }
  for (const portalId of reconciles) {
    await deps.queue?.send(QUEUES.reconciliation.name, { portalId }, { singletonKey: JOB_KEYS.reconcile(portalId) });
  }
  await markInboundProcessed(
    deps.db,
    system,
    events.map((e) => e.dedupeKey),
    (deps.now ?? (() => new Date()))(),
  );
  return {
    refreshes: [...refreshes].map((e) => e.replace('\u0000', ':')),
    reconciles: [...reconciles],
  };
}
