import type { Logger } from 'pino';
import type { HandlerContext } from '../../serverless/handler.js';
import { dealPipelines } from '../app/deal-context.js';
import { type Loaded, loadDealHandoffs } from '../app/handoff-service.js';
import type { AppServices } from '../app/services.js';
import { financeSystemName } from '../core/finance-systems.js';
import { gateDecision } from '../handoff/exceptions.js';
import {
  type ConnectedFinance,
  causeOf,
  type FinanceGateway,
  FinanceNotConnected,
} from '../integrations/finance/factory.js';
import { FinanceError, type FinanceSystemId } from '../integrations/finance/port.js';
import {
  type CrmRecord,
  DEFAULT_RATE_BUDGET,
  type HubSpotCrm,
  type PropertyValue,
  type RateBudget,
  toHubSpotValue,
} from '../integrations/hubspot/client.js';
import type { DealSearch } from '../integrations/hubspot/deal-search.js';
import type { Db } from '../store/db.js';
import { financeStore, type MatchedBy } from '../store/finance-store.js';
import { type ApiBudget, backfillEta, budgetOf, ESTIMATED_CALLS_PER_DEAL, type Eta } from './backfill-eta.js';
import type { FinanceJobDeps } from './finance-jobs.js';
import { VENDOR_LIMITS } from './rate-limit.js';
import { publishReceivables } from './receivables.js';

/**
 * The backfill (`npm run backfill`): for a portal that just installed the app, every historic won deal is evaluated
 * against the handoff templates (handoffs created once, the status mirrored to the deal — the gate is never run, so
 * no historic deal is moved back), its company is linked to the finance customer by the existing matching rules
 * (stored link, else the vendor's exact billing-email or legal-name search; a backfill never creates a finance
 * customer), and a linked customer's invoices are read into the receivables snapshot and its payment properties
 * written to the company (and to deals with a billing setup), as the receivables refresh does.
 *
 * Resumable: won deals are listed by ascending id; the run's cursor is the last id of the last fully processed page
 * and each deal has a row (started → done | failed) holding what it looked like before its first attempt. A run
 * killed anywhere starts again at the cursor, skips deals already done, redoes a started one (every step is
 * idempotent) and judges it against its recorded "before", so the summary counts what the backfill changed, once.
 * Deals that failed are tried again at the start of the next run. `restart` forgets the run and starts over.
 */

export interface BackfillDeps {
  db: Db;
  /** The portal's services as the API builds them (runtime.services). */
  services: (portalId: number) => Promise<AppServices>;
  gateway: FinanceGateway;
  dealSearch: (portalId: number) => DealSearch;
  logger: Logger;
  /** The HubSpot budget the portal's client holds (for the ETA); HubSpot's default per-app budget otherwise. */
  hubspotBudget?: Partial<RateBudget>;
  /** Limits of the finance vendors if not VENDOR_LIMITS (tests, a shared sandbox). */
  financeLimits?: FinanceJobDeps['gateway']['config']['limits'];
  /** Counts every request made, by API; the same counter the gateway's `onRequest` and the deal search feed. */
  calls: CallCounter;
  now?: () => Date;
}

export interface BackfillOptions {
  /** Forget any earlier run of this portal and start over. */
  restart?: boolean;
  /** Won deals per search page (and per checkpoint of the cursor); at most 200. */
  pageSize?: number;
  /** Deals processed at once (the portal's HubSpot limiter and the vendor budget pace them). */
  concurrency?: number;
  /** Stop starting deals once aborted; the deals in flight finish and the run can be resumed. */
  signal?: AbortSignal;
  onProgress?: (progress: BackfillProgress) => void;
  /** Called at every crash-safe point; tests throw from it to play a process killed there. */
  checkpoint?: (name: string) => void | Promise<void>;
  /** Deals failing one after another before the session stops by itself (default 10). */
  maxFailuresInARow?: number;
}

export interface BackfillProgress {
  portalId: number;
  done: number;
  total: number;
  failed: number;
  eta: Eta;
  calls: Record<string, number>;
  lastDealId: string | null;
}

export interface NotMatched {
  dealId: string;
  companyId: string | null;
  reason: string;
}

export interface BackfillSummary {
  portalId: number;
  /** done: every won deal processed; interrupted: stopped early, run again to continue; already_done: an earlier
   * run finished (pass restart to run it again). */
  status: 'done' | 'interrupted' | 'already_done';
  financeSystem: FinanceSystemId | null;
  /** Why companies were not linked at all (no finance system connected, reconnect needed). */
  financeNote: string | null;
  /** Why this session stopped early on its own (every deal failing alike, e.g. the app was uninstalled). */
  stoppedBecause: string | null;
  deals: { evaluated: number; complete: number; incomplete: number; failed: number };
  handoffsCreated: number;
  companies: {
    linked: number;
    alreadyLinked: number;
    notMatched: NotMatched[];
  };
  paymentSnapshotsRefreshed: number;
  invoicesRead: number;
  propertiesChanged: { deals: number; companies: number; total: number };
  /** The fields most often missing on incomplete deals, most frequent first. */
  mostMissing: Array<{ field: string; deals: number }>;
  errors: Array<{ dealId: string; message: string }>;
  elapsedMs: number;
  calls: Record<string, number>;
  sessions: number;
  startedAt: string;
  finishedAt: string | null;
}

/** A deal's recorded outcome (backfill_deals.outcome). */
interface DealOutcome {
  complete?: boolean;
  missing?: string[];
  handoffsCreated?: number;
  companyId?: string | null;
  link?:
    | { status: 'linked'; customerId: string; matchedBy: MatchedBy }
    | { status: 'already_linked'; customerId: string }
    | { status: 'not_matched'; reason: string }
    | { status: 'shared'; withDeal: string }
    | { status: 'skipped'; reason: string };
  refreshed?: boolean;
  invoices?: number;
  dealPropertiesChanged?: number;
  companyPropertiesChanged?: number;
  error?: string;
}

/** Requests made, by API name ('hubspot', 'quickbooks', 'xero', 'stripe'). */
export interface CallCounter {
  add(api: string, n?: number): void;
  snapshot(): Record<string, number>;
}

/** @example const calls = createCallCounter(); calls.add('hubspot'); calls.snapshot() // { hubspot: 1 } */
export function createCallCounter(): CallCounter {
  const counts: Record<string, number> = {};
  return {
    add(api, n = 1) {
      counts[api] = (counts[api] ?? 0) + n;
    },
    snapshot: () => ({ ...counts }),
  };
}

/** The actor recorded on handoffs the backfill creates. */
export const BACKFILL_USER = { id: 'backfill', roles: ['system'], teams: [] as string[] };

/** Company properties the receivables refresh writes, read before the first write so changes can be counted. */
const PAYMENT_PROPERTIES = [
  'rh_overdue_amount',
  'rh_receivables_currency',
  'rh_days_past_due',
  'rh_oldest_due_date',
  'rh_risk_level',
  'rh_billing_status',
  'rh_finance_customer_id',
  'rh_finance_customer_url',
  'rh_aging_current',
  'rh_aging_days_1_30',
  'rh_aging_days_31_60',
  'rh_aging_days_61_90',
  'rh_aging_days_over_90',
];

/** Deals failing in a row before a session stops by itself. */
const MAX_FAILURES_IN_A_ROW = 10;

/** An error thrown by the checkpoint hook: a simulated crash, never recorded as the deal's failure. */
class Crash extends Error {}

/**
 * Whether two HubSpot values say the same: numbers compared as numbers ("0" and "0.00"), empty and null alike. Pure.
 * @example sameValue('0', '0.00') // true
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const s = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());
  const x = s(a);
  const y = s(b);
  if (x === y) return true;
  if (x !== '' && y !== '' && Number.isFinite(Number(x)) && Number.isFinite(Number(y))) return Number(x) === Number(y);
  return false;
}

/**
 * How many of `after`'s properties differ from `before`. Pure.
 * @example countChanged({ a: '1', b: null }, { a: 1, b: 'x' }) // 1
 */
export function countChanged(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, PropertyValue>>,
): number {
  return Object.entries(after).filter(([k, v]) => !sameValue(before[k], v === null ? '' : toHubSpotValue(v))).length;
}

/**
 * The deal's handoff status as the cards mirror it: the first handoff not yet through acceptance, else the last. Pure.
 * @example handoffStatusProperties(loaded) // { rh_handoff_status: 'draft', rh_handoff_percent_complete: 40 }
 */
export function handoffStatusProperties(loaded: Pick<Loaded, 'handoffs'>): Record<string, PropertyValue> | null {
  const current =
    loaded.handoffs.find((h) => !['accepted', 'billing_pending', 'billing_live'].includes(h.stored.handoff.state)) ??
    loaded.handoffs.at(-1);
  if (!current) return null;
  return {
    rh_handoff_status: current.stored.handoff.state,
    rh_handoff_percent_complete: current.evaluation.percentComplete,
  };
}

function countingCrm(crm: HubSpotCrm, calls: CallCounter): HubSpotCrm {
  return new Proxy(crm, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.add('hubspot');
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function messageOf(e: unknown): string {
  if (e instanceof FinanceError) return `${financeSystemName(e.system)}: ${e.vendorMessage}`;
  return e instanceof Error ? e.message : String(e);
}

interface RunRow {
  status: 'running' | 'done';
  cursor: string | null;
  started_at: Date;
  finished_at: Date | null;
  elapsed_ms: string | number;
  calls: Record<string, number>;
  sessions: number;
}

async function runRow(db: Db, portalId: number): Promise<RunRow | null> {
  const [row] = await db.query<RunRow>(
    'SELECT status, cursor, started_at, finished_at, elapsed_ms, calls, sessions FROM backfill_runs WHERE portal_id = $1',
    [portalId],
  );
  return row ?? null;
}

function mergeCalls(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function diffCalls(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

/**
 * The summary of a portal's backfill from its checkpoints (all sessions together).
 * @example const s = await backfillSummary(db, 42)
 */
export async function backfillSummary(db: Db, portalId: number): Promise<BackfillSummary | null> {
  const run = await runRow(db, portalId);
  if (!run) return null;
  const rows = await db.query<{ deal_id: string; status: string; outcome: DealOutcome | null }>(
    'SELECT deal_id, status, outcome FROM backfill_deals WHERE portal_id = $1 ORDER BY deal_id',
    [portalId],
  );
  const [finance] = await db.query<{ system: FinanceSystemId }>(
    `SELECT system FROM finance_connections WHERE portal_id = $1 AND status <> 'disconnected' ORDER BY connected_at DESC LIMIT 1`,
    [portalId],
  );
  const s: BackfillSummary = {
    portalId,
    status: run.status === 'done' ? 'done' : 'interrupted',
    financeSystem: finance?.system ?? null,
    financeNote: null,
    stoppedBecause: null,
    deals: { evaluated: 0, complete: 0, incomplete: 0, failed: 0 },
    handoffsCreated: 0,
    companies: { linked: 0, alreadyLinked: 0, notMatched: [] },
    paymentSnapshotsRefreshed: 0,
    invoicesRead: 0,
    propertiesChanged: { deals: 0, companies: 0, total: 0 },
    mostMissing: [],
    errors: [],
    elapsedMs: Number(run.elapsed_ms),
    calls: run.calls ?? {},
    sessions: Number(run.sessions),
    startedAt: new Date(run.started_at).toISOString(),
    finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
  };
  const missing = new Map<string, number>();
  const notes = new Set<string>();
  for (const row of rows) {
    const o = row.outcome ?? {};
    if (row.status === 'failed') {
      s.deals.failed++;
      s.errors.push({ dealId: row.deal_id, message: o.error ?? 'failed' });
      continue;
    }
    if (row.status !== 'done') continue;
    s.deals.evaluated++;
    if (o.complete) s.deals.complete++;
    else s.deals.incomplete++;
    for (const f of o.missing ?? []) missing.set(f, (missing.get(f) ?? 0) + 1);
    s.handoffsCreated += o.handoffsCreated ?? 0;
    const link = o.link;
    if (link?.status === 'linked') s.companies.linked++;
    else if (link?.status === 'already_linked') s.companies.alreadyLinked++;
    else if (link?.status === 'not_matched') {
      s.companies.notMatched.push({ dealId: row.deal_id, companyId: o.companyId ?? null, reason: link.reason });
    } else if (link?.status === 'skipped') notes.add(link.reason);
    if (o.refreshed) s.paymentSnapshotsRefreshed++;
    s.invoicesRead += o.invoices ?? 0;
    s.propertiesChanged.deals += o.dealPropertiesChanged ?? 0;
    s.propertiesChanged.companies += o.companyPropertiesChanged ?? 0;
  }
  s.propertiesChanged.total = s.propertiesChanged.deals + s.propertiesChanged.companies;
  s.mostMissing = [...missing]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([field, deals]) => ({ field, deals }));
  s.financeNote = [...notes][0] ?? null;
  return s;
}

/**
 * Runs `fn` for each item with at most `n` at once. After one call throws no new item starts, and the pool rejects
 * with that error only once the calls already under way have settled: nothing of the session keeps running after it
 * has returned (a resumed session would otherwise race the remains of the one that stopped).
 */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * Runs (or resumes) the backfill of one portal and returns its summary.
 * @example const summary = await runBackfill(deps, 42, { onProgress: (p) => bar.update(p.done) })
 */
export async function runBackfill(
  deps: BackfillDeps,
  portalId: number,
  options: BackfillOptions = {},
): Promise<BackfillSummary> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const pageSize = Math.min(200, Math.max(1, options.pageSize ?? 100));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  // A crash (the checkpoint hook throwing) ends the whole session as a killed process would: every deal still in
  // flight stops at its next checkpoint instead of going on.
  let crashed: Crash | null = null;
  const checkpoint = async (name: string) => {
    if (crashed) throw crashed;
    try {
      await options.checkpoint?.(name);
    } catch (e) {
      crashed = new Crash(messageOf(e), { cause: e });
      throw crashed;
    }
  };

  const base = await deps.services(portalId);
  const crm = countingCrm(base.crm, deps.calls);
  const services: AppServices = { ...base, crm, queue: null };
  const store = services.store;
  const fstore = financeStore(db, portalId);

  if (options.restart) {
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM backfill_deals WHERE portal_id = $1', [portalId]);
      await tx.query('DELETE FROM backfill_runs WHERE portal_id = $1', [portalId]);
    });
  }
  const existingRun = await runRow(db, portalId);
  if (existingRun?.status === 'done') {
    const summary = await backfillSummary(db, portalId);
    return { ...(summary as BackfillSummary), status: 'already_done' };
  }
  if (!existingRun) {
    await db.query(
      `INSERT INTO backfill_runs (portal_id, status, started_at) VALUES ($1, 'running', $2) ON CONFLICT DO NOTHING`,
      [portalId, now()],
    );
  }
  await db.query('UPDATE backfill_runs SET sessions = sessions + 1, updated_at = now() WHERE portal_id = $1', [
    portalId,
  ]);

  // Won stages: the portal's settings, else every stage HubSpot marks closed-won.
  let wonStageIds = services.settings.wonStageIds;
  if (wonStageIds.length === 0) {
    wonStageIds = (await dealPipelines(crm)).flatMap((p) => p.stages.filter((s) => s.closedWon).map((s) => s.id));
  }

  let connected: ConnectedFinance | null = null;
  let financeSkip: string | null = null;
  try {
    connected = await deps.gateway.forPortal(portalId, { subject: 'backfill' });
  } catch (e) {
    if (!(e instanceof FinanceNotConnected)) throw e;
    financeSkip = e.message;
  }

  const budgets: ApiBudget[] = [
    {
      api: 'hubspot',
      windows: [
        {
          ms: deps.hubspotBudget?.perMs ?? DEFAULT_RATE_BUDGET.perMs,
          max: deps.hubspotBudget?.requests ?? DEFAULT_RATE_BUDGET.requests,
        },
      ],
    },
  ];
  if (connected) {
    const c = connected.connection;
    const custom = deps.financeLimits?.[c.system];
    const spec = custom
      ? custom(c.tenantId)
      : c.system === 'stripe'
        ? VENDOR_LIMITS.stripe(c.tenantId)
        : VENDOR_LIMITS[c.system](c.tenantId);
    budgets.push(budgetOf(c.system, spec));
  }

  const financeDeps: FinanceJobDeps = {
    db,
    gateway: deps.gateway,
    crmFor: () => crm,
    queue: null,
    logger: deps.logger,
    now,
  };

  // One company is linked and refreshed once per run, even when several deals share it.
  const handledCompanies = new Map<string, string>();
  const companyLocks = new Map<string, Promise<void>>();
  async function withCompany<T>(companyId: string, fn: () => Promise<T>): Promise<T> {
    const prior = companyLocks.get(companyId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const chained = prior.then(() => mine);
    companyLocks.set(companyId, chained);
    await prior;
    try {
      return await fn();
    } finally {
      release();
      if (companyLocks.get(companyId) === chained) companyLocks.delete(companyId);
    }
  }

  /**
   * What a company looked like before the backfill first touched it (`key` of the "before" of any deal of that
   * company, e.g. one killed half-way), so that whichever deal handles the company on a resumed run judges it
   * against the same state.
   */
  async function companyBefore(
    companyId: string,
    key: string,
    known: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    if (key in known) return known;
    const [row] = await db.query<{ v: unknown }>(
      `SELECT before -> $3::text AS v FROM backfill_deals
       WHERE portal_id = $1 AND company_id = $2 AND jsonb_exists(before, $3::text) ORDER BY deal_id LIMIT 1`,
      [portalId, companyId, key],
    );
    return row ? { ...known, [key]: row.v } : known;
  }

  /** Records `value` under `key` of the deal's "before" unless an earlier attempt did; returns what is recorded. */
  async function remember<T>(
    dealId: string,
    key: string,
    value: () => Promise<T> | T,
    known: Record<string, unknown>,
  ): Promise<T> {
    if (key in known) return known[key] as T;
    const v = await value();
    const [row] = await db.query<{ v: T }>(
      `UPDATE backfill_deals SET before = jsonb_build_object($3::text, $4::jsonb) || before, updated_at = now()
       WHERE portal_id = $1 AND deal_id = $2 RETURNING before -> $3::text AS v`,
      [portalId, dealId, key, JSON.stringify(v ?? null)],
    );
    return (row?.v ?? v) as T;
  }

  async function linkCompany(
    dealId: string,
    loaded: Loaded,
    companyId: string,
    dealKnown: Record<string, unknown>,
  ): Promise<Pick<DealOutcome, 'link' | 'refreshed' | 'invoices' | 'companyPropertiesChanged'>> {
    if (!connected) return { link: { status: 'skipped', reason: financeSkip ?? 'No finance system is connected' } };
    const { finance, connection } = connected;
    const [shared] = await db.query<{ deal_id: string }>(
      `SELECT deal_id FROM backfill_deals WHERE portal_id = $1 AND company_id = $2 AND status = 'done' AND deal_id <> $3
       ORDER BY deal_id LIMIT 1`,
      [portalId, companyId, dealId],
    );
    if (shared) return { link: { status: 'shared', withDeal: shared.deal_id } };
    const handledBy = handledCompanies.get(companyId);
    if (handledBy && handledBy !== dealId) return { link: { status: 'shared', withDeal: handledBy } };

    const known = await companyBefore(companyId, 'company', await companyBefore(companyId, 'link', dealKnown));
    const linkedBefore = await remember(
      dealId,
      'link',
      async () => (await store.finance.link(connection.system, companyId))?.customerId ?? null,
      known,
    );
    const [row] = await db.query<{ customer_id: string; matched_by: MatchedBy }>(
      'SELECT customer_id, matched_by FROM finance_links WHERE portal_id = $1 AND system = $2 AND company_id = $3',
      [portalId, connection.system, companyId],
    );
    let link: NonNullable<DealOutcome['link']>;
    let customerId: string;
    if (row) {
      customerId = row.customer_id;
      link =
        linkedBefore === row.customer_id
          ? { status: 'already_linked', customerId }
          : { status: 'linked', customerId, matchedBy: row.matched_by };
    } else {
      const company = loaded.deal.company as CrmRecord;
      const values = loaded.deal.values as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
      const legalName = text(values.billingEntityLegalName) ?? text(company.properties.name);
      const email = text((values.billingContact as { email?: unknown } | undefined)?.email);
      if (!legalName && !email) {
        return {
          link: {
            status: 'not_matched',
            reason: 'The company has no name, billing entity legal name or billing email to match a customer by',
          },
        };
      }
      const found = await finance.findCustomer({
        ...(email ? { email } : {}),
        ...(legalName ? { legalName } : {}),
      });
      await checkpoint('company:searched');
      if (!found) {
        const by = [legalName ? `the legal name "${legalName}"` : null, email ? `the billing email ${email}` : null]
          .filter(Boolean)
          .join(' or ');
        return {
          link: { status: 'not_matched', reason: `No ${financeSystemName(connection.system)} customer has ${by}` },
        };
      }
      const matchedBy: MatchedBy =
        email && found.email?.trim().toLowerCase() === email.toLowerCase() ? 'email' : 'name';
      const saved = await fstore.links.save({
        system: connection.system,
        companyId,
        customerId: found.id,
        url: found.url,
        matchedBy,
      });
      if (!saved.ok) {
        return {
          link: {
            status: 'not_matched',
            reason: `${financeSystemName(connection.system)} customer "${found.legalName}" (${found.id}), matched by ${matchedBy}, is already linked to HubSpot company ${saved.linkedCompanyId}`,
          },
        };
      }
      customerId = found.id;
      link = { status: 'linked', customerId, matchedBy };
      await checkpoint('company:linked');
    }

    // Payment status: the customer's invoices into the snapshot, the figures onto the company.
    const before = await remember(
      dealId,
      'company',
      async () => (await crm.batchReadCompanies([companyId], PAYMENT_PROPERTIES))[0]?.properties ?? {},
      known,
    );
    const invoices = (await finance.listInvoices({ customerId })).filter((i) => i.customerId === customerId);
    await store.transaction((tx) => tx.receivables.replaceCustomer(connection.system, customerId, invoices));
    await checkpoint('company:snapshot');
    const published = await publishReceivables(financeDeps, portalId, connection.system, customerId);
    await checkpoint('company:published');
    const after = { ...(published?.properties ?? {}) };
    delete after.rh_payment_status_as_of; // a new time on every refresh; not a change a person would notice
    return { link, refreshed: true, invoices: invoices.length, companyPropertiesChanged: countChanged(before, after) };
  }

  async function processDeal(dealId: string): Promise<void> {
    const existing = await store.handoffs.byDeal(dealId);
    const [started] = await db.query<{ before: Record<string, unknown> }>(
      `INSERT INTO backfill_deals (portal_id, deal_id, status, before) VALUES ($1, $2, 'started', $3)
       ON CONFLICT (portal_id, deal_id) DO UPDATE SET attempts = backfill_deals.attempts + 1, updated_at = now()
       RETURNING before`,
      [portalId, dealId, JSON.stringify({ handoffs: existing.map((s) => s.handoff.templateId) })],
    );
    const known = started?.before ?? {};
    await checkpoint('deal:started');
    try {
      const ctx: HandlerContext<AppServices> = {
        portalId,
        user: BACKFILL_USER,
        now: now(),
        logger: deps.logger,
        services,
      };
      // Evaluate (creating each missing handoff once, by its unique deal + template); never the gate.
      const loaded = await loadDealHandoffs(ctx, dealId);
      await checkpoint('deal:evaluated');
      const hadBefore = new Set((known.handoffs as string[] | undefined) ?? []);
      const handoffsCreated = loaded.handoffs.filter((h) => !hadBefore.has(h.stored.handoff.templateId)).length;
      const missing: string[] = [];
      let complete = loaded.handoffs.length > 0;
      for (const { stored, evaluation } of loaded.handoffs) {
        const decision = gateDecision(evaluation, await store.exceptions.list(stored.handoff.id), ctx.now);
        if (!decision.allowWon) complete = false;
        for (const m of decision.missing) if (!missing.includes(m.label)) missing.push(m.label);
      }

      // The handoff status on the deal, written only where it differs.
      const status = handoffStatusProperties(loaded) ?? {};
      const current = loaded.deal.deal.properties;
      const dealBefore = await remember(
        dealId,
        'deal',
        () => Object.fromEntries(Object.keys(status).map((k) => [k, current[k] ?? null])),
        known,
      );
      const stale = Object.entries(status).filter(([k, v]) => !sameValue(current[k], toHubSpotValue(v)));
      if (stale.length > 0) {
        await crm.batchUpdateDeals([{ id: dealId, properties: Object.fromEntries(stale) }]);
      }
      await checkpoint('deal:written');

      const companyId = loaded.deal.company?.id ?? null;
      await db.query('UPDATE backfill_deals SET company_id = $3 WHERE portal_id = $1 AND deal_id = $2', [
        portalId,
        dealId,
        companyId,
      ]);
      const outcome: DealOutcome = {
        complete,
        missing,
        handoffsCreated,
        companyId,
        dealPropertiesChanged: countChanged(dealBefore, status),
      };
      if (!companyId) {
        outcome.link = { status: 'not_matched', reason: 'The deal has no associated company' };
      } else {
        Object.assign(
          outcome,
          await withCompany(companyId, async () => {
            const linked = await linkCompany(dealId, loaded, companyId, known);
            if (linked.link?.status !== 'shared') handledCompanies.set(companyId, dealId);
            return linked;
          }),
        );
      }
      await db.query(
        `UPDATE backfill_deals SET status = 'done', outcome = $3, updated_at = now() WHERE portal_id = $1 AND deal_id = $2`,
        [portalId, dealId, JSON.stringify(outcome)],
      );
      await checkpoint('deal:done');
    } catch (e) {
      if (e instanceof Crash) throw e.cause ?? e;
      const message = messageOf(e);
      deps.logger.warn({ err: e, dealId }, 'backfill: deal failed');
      await db.query(
        `UPDATE backfill_deals SET status = 'failed', outcome = $3, updated_at = now() WHERE portal_id = $1 AND deal_id = $2`,
        [
          portalId,
          dealId,
          JSON.stringify({ error: message, ...(causeOf(e, FinanceNotConnected) ? { reconnect: true } : {}) }),
        ],
      );
    }
  }

  // Progress bookkeeping for this session.
  const sessionStart = Date.now();
  const callsAtStart = deps.calls.snapshot();
  let dealsThisSession = 0;
  let savedElapsed = 0;
  let savedCalls: Record<string, number> = {};
  const counts = async () => {
    const [c] = await db.query<{ done: string; failed: string }>(
      `SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') AS failed
       FROM backfill_deals WHERE portal_id = $1`,
      [portalId],
    );
    return { done: Number(c?.done ?? 0), failed: Number(c?.failed ?? 0) };
  };
  const saveTotals = async () => {
    const elapsed = Date.now() - sessionStart;
    const calls = diffCalls(deps.calls.snapshot(), callsAtStart);
    const addCalls = diffCalls(calls, savedCalls);
    await db.query(
      `UPDATE backfill_runs SET elapsed_ms = elapsed_ms + $2, calls = $3, updated_at = now() WHERE portal_id = $1`,
      [
        portalId,
        elapsed - savedElapsed,
        JSON.stringify(mergeCalls((await runRow(db, portalId))?.calls ?? {}, addCalls)),
      ],
    );
    savedElapsed = elapsed;
    savedCalls = calls;
  };
  let total = 0;
  let done = 0;
  let failed = 0;
  let lastDealId: string | null = null;
  const report = () => {
    if (!options.onProgress) return;
    const calls = diffCalls(deps.calls.snapshot(), callsAtStart);
    const perDeal: Record<string, number> = {};
    for (const b of budgets) {
      const used = calls[b.api] ?? 0;
      perDeal[b.api] =
        dealsThisSession > 0 && used > 0
          ? used / dealsThisSession
          : b.api === 'hubspot'
            ? ESTIMATED_CALLS_PER_DEAL.hubspot
            : ESTIMATED_CALLS_PER_DEAL.finance;
    }
    const eta = backfillEta({
      remainingDeals: Math.max(0, total - done - failed),
      callsPerDeal: perDeal,
      budgets,
      observed: { deals: dealsThisSession, elapsedMs: Date.now() - sessionStart },
    });
    options.onProgress({ portalId, done: done + failed, total, failed, eta, calls, lastDealId });
  };
  // Deals failing one after another for the same reason (uninstalled, finance disconnected, HubSpot down) stop the
  // session instead of marking thousands failed; the next run retries them.
  let failedInARow = 0;
  let stoppedBecause: string | null = null;
  const halted = () => Boolean(options.signal?.aborted) || stoppedBecause !== null;
  const step = async (dealId: string) => {
    await processDeal(dealId);
    dealsThisSession++;
    const [row] = await db.query<{ status: string; error: string | null }>(
      `SELECT status, outcome ->> 'error' AS error FROM backfill_deals WHERE portal_id = $1 AND deal_id = $2`,
      [portalId, dealId],
    );
    if (row?.status === 'failed') {
      failed++;
      failedInARow++;
      if (failedInARow >= (options.maxFailuresInARow ?? MAX_FAILURES_IN_A_ROW) && !stoppedBecause) {
        stoppedBecause = `Stopped after ${failedInARow} deals in a row failed; the last with: ${row.error ?? 'an error'}. Fix that, then run the backfill again: it continues here and retries the failed deals.`;
      }
    } else {
      done++;
      failedInARow = 0;
    }
    lastDealId = dealId;
    report();
  };

  const run = (await runRow(db, portalId)) as RunRow;
  let cursor = run.cursor;
  const search = deps.dealSearch(portalId);
  const properties = ['dealname', 'dealstage'];
  let interrupted = false;
  try {
    // Deals that failed in an earlier session are tried again first.
    const retry = await db.query<{ deal_id: string }>(
      `SELECT deal_id FROM backfill_deals WHERE portal_id = $1 AND status = 'failed' ORDER BY deal_id`,
      [portalId],
    );
    const first = await search.page({ stageIds: wonStageIds, afterId: cursor, limit: pageSize, properties });
    ({ done, failed } = await counts());
    const [beyond] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM backfill_deals WHERE portal_id = $1 AND status IN ('done', 'failed')
         AND ($2::text IS NULL OR length(deal_id) > length($2::text) OR (length(deal_id) = length($2::text) AND deal_id > $2::text))`,
      [portalId, cursor],
    );
    total = done + failed + first.total - Number(beyond?.n ?? 0);
    failed -= retry.length;
    report();
    if (retry.length > 0) {
      await pool(
        retry.map((r) => r.deal_id),
        concurrency,
        async (id) => {
          if (halted()) return;
          await step(id);
        },
      );
    }

    let page = first;
    for (;;) {
      if (halted()) {
        interrupted = true;
        break;
      }
      const ids = page.deals.map((d) => d.id);
      if (ids.length === 0) break;
      const rows = await db.query<{ deal_id: string; status: string }>(
        'SELECT deal_id, status FROM backfill_deals WHERE portal_id = $1 AND deal_id = ANY($2::text[])',
        [portalId, ids],
      );
      const finished = new Set(rows.filter((r) => r.status !== 'started').map((r) => r.deal_id));
      const todo = ids.filter((id) => !finished.has(id));
      let stopped = false;
      await pool(todo, concurrency, async (id) => {
        if (halted()) {
          stopped = true;
          return;
        }
        await step(id);
      });
      if (stopped) {
        interrupted = true;
        break;
      }
      cursor = ids[ids.length - 1] as string;
      await db.query('UPDATE backfill_runs SET cursor = $2, updated_at = now() WHERE portal_id = $1', [
        portalId,
        cursor,
      ]);
      await saveTotals();
      await checkpoint('page:done');
      if (ids.length < pageSize) break;
      page = await search.page({ stageIds: wonStageIds, afterId: cursor, limit: pageSize, properties });
    }
    if (!interrupted) {
      await saveTotals();
      await db.query(
        `UPDATE backfill_runs SET status = 'done', finished_at = $2, updated_at = now() WHERE portal_id = $1`,
        [portalId, now()],
      );
    }
  } finally {
    // Whatever stopped the session (a finished run, Ctrl-C, an error), its time and calls count.
    await saveTotals().catch(() => {});
  }
  const summary = (await backfillSummary(db, portalId)) as BackfillSummary;
  if (!summary.financeNote && financeSkip) summary.financeNote = financeSkip;
  return { ...summary, stoppedBecause, status: interrupted ? 'interrupted' : 'done' };
}
