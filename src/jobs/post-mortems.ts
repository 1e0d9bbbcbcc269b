import { minDay, plusDays, todayIn } from '../core/dates.js';
import type { FinanceSystemId } from '../integrations/finance/port.js';
import type { InvoiceSnapshot } from '../receivables/invoice.js';
import {
  BAD_DEBT_DAYS,
  badDebtTrigger,
  buildPostMortem,
  type PostMortemTrigger,
  type SaleHandoff,
} from '../receivables/post-mortem.js';
import { financeStore } from '../store/finance-store.js';
import { portalStore } from '../store/portal-store.js';
import { postMortemStore, type SaleSetup } from '../store/post-mortem-store.js';
import type { FinanceJobDeps } from './finance-jobs.js';

/**
 * Records bad-debt post-mortems from the stored invoice snapshots: after every receivables refresh (webhooks and the
 * reconciliation sweep's per-customer refreshes, which see voids and write-offs as they happen) and in the sweep
 * itself (an invoice passes 90 days overdue without anything changing at the vendor). Reads only our database.
 */

type Deps = Pick<FinanceJobDeps, 'db' | 'logger' | 'now'>;

const ALL: ReadonlyArray<PostMortemTrigger> = ['voided', 'written_off', 'over_90_days'];

/**
 * Records a post-mortem for each of a customer's invoices that became bad debt and has none yet. `previous` is the
 * customer's snapshot before the refresh (it tells a voided draft from a voided invoice). Returns how many it stored.
 * @example await recordBadDebtPostMortems(deps, 42, 'xero', 'c-1', before)
 */
export async function recordBadDebtPostMortems(
  deps: Deps,
  portalId: number,
  system: FinanceSystemId,
  customerId: string,
  previous: ReadonlyArray<InvoiceSnapshot> = [],
  triggers: ReadonlyArray<PostMortemTrigger> = ALL,
): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const store = portalStore(deps.db, portalId);
  const pm = postMortemStore(deps.db, portalId);
  const link = await financeStore(deps.db, portalId).links.byCustomer(system, customerId);
  if (!link) return 0;
  const [settings, { invoices }, recorded] = await Promise.all([
    store.installation.settings(),
    store.receivables.snapshots(system, customerId),
    pm.recordedInvoiceIds(system),
  ]);
  const today = todayIn(settings.timeZone, now);
  const before = new Map(previous.map((i) => [i.id, i]));
  let setups: SaleSetup[] | null = null;
  let stored = 0;
  for (const invoice of invoices) {
    if (recorded.has(invoice.id)) continue;
    const prior = before.get(invoice.id) ?? null;
    const trigger = badDebtTrigger(invoice, today, prior?.status ?? null);
    if (!trigger || !triggers.includes(trigger)) continue;
    let setup = await pm.setupOfInvoice(system, invoice.id);
    if (!setup) {
      setups ??= await pm.setupsOfCompany(link.companyId);
      // The sale an invoice we did not create belongs to: the latest setup made on or before its issue day.
      setup = setups.filter((s) => todayIn(settings.timeZone, s.createdAt) <= invoice.issueDate).at(-1) ?? null;
    }
    // A void first seen here, of an invoice no sale of ours explains, is old history (e.g. after a backfill).
    if (!setup && trigger === 'voided' && !prior) continue;
    const sale = setup ? await saleOf(store, pm, setup, settings.timeZone) : null;
    const own = setup ? await pm.invoiceIdsOfSetup(setup.setupId) : new Set<string>();
    const record = buildPostMortem({
      invoice,
      previous: prior,
      trigger,
      today,
      recordedAt: now,
      companyId: link.companyId,
      sale,
      history: invoices.filter((i) => !own.has(i.id)),
    });
    if (await pm.recordOnce(system, invoice.id, record)) {
      stored += 1;
      deps.logger.info({ portalId, system, invoiceId: invoice.id, trigger }, 'bad-debt post-mortem recorded');
    }
  }
  return stored;
}

async function saleOf(
  store: ReturnType<typeof portalStore>,
  pm: ReturnType<typeof postMortemStore>,
  setup: SaleSetup,
  timeZone: string,
) {
  const stored = await store.handoffs.byDeal(setup.dealId);
  const handoffs: SaleHandoff[] = [];
  for (const s of stored) {
    handoffs.push({
      handoffId: s.handoff.id,
      toTeam: s.handoff.contract.toTeam,
      state: s.handoff.state,
      data: s.data as Record<string, unknown>,
      evaluation: s.evaluation,
      exceptions: await store.exceptions.list(s.handoff.id),
    });
  }
  const closed = await pm.dealClosedAt(setup.dealId);
  const firstCreated = stored.map((s) => s.handoff.createdAt).sort()[0];
  const at = closed ?? (firstCreated ? new Date(firstCreated) : setup.createdAt);
  return { dealId: setup.dealId, at, day: todayIn(timeZone, at), handoffs };
}

/**
 * The sweep's part: customers with an invoice written off or more than 90 days overdue in the stored snapshots get
 * their post-mortems, even when nothing changed at the vendor. Returns how many it stored.
 * @example await sweepBadDebtPostMortems(deps, 42, 'quickbooks')
 */
export async function sweepBadDebtPostMortems(deps: Deps, portalId: number, system: FinanceSystemId): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const settings = await portalStore(deps.db, portalId).installation.settings();
  const today = todayIn(settings.timeZone, now);
  const customers = await postMortemStore(deps.db, portalId).customersWithBadDebtCandidates(
    system,
    minDay(plusDays(today, -BAD_DEBT_DAYS), today),
  );
  let stored = 0;
  for (const customerId of customers) {
    stored += await recordBadDebtPostMortems(deps, portalId, system, customerId, [], ['written_off', 'over_90_days']);
  }
  return stored;
}

/**
 * Runs `work` and logs instead of throwing: a post-mortem that fails must not fail the refresh or sweep that
 * carries it (the next refresh or sweep records it, since it is keyed by invoice).
 * @example await postMortemsSafely(deps, () => sweepBadDebtPostMortems(deps, 42, 'xero'))
 */
export async function postMortemsSafely(deps: Deps, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (e) {
    deps.logger.error({ err: e }, 'bad-debt post-mortems could not be recorded; the next refresh or sweep retries');
    return 0;
  }
}
