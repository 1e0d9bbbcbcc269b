import { checkScheduledInvoicesAs } from '../billing/feasibility.js';
import { type BillingPlan, BillingPlanSchema } from '../billing/plan.js';
import { type BillingSchedule, BillingScheduleSchema } from '../billing/schedule-model.js';
import { todayIn } from '../core/dates.js';
import { financeSystemName } from '../core/finance-systems.js';
import { SYSTEM_ACTOR } from '../handoff/actor.js';
import { transition } from '../handoff/lifecycle.js';
import type { FinanceRetry } from '../integrations/finance/factory.js';
import type { CustomerDraft, FinanceCustomer, FinanceSystem } from '../integrations/finance/port.js';
import { financeStore, type MatchedBy } from '../store/finance-store.js';
import { type BillingSetupRow, portalStore, type StoredHandoff } from '../store/portal-store.js';
import {
  type BillingSetupJobData,
  classifyFailure,
  type FailureVerdict,
  type FinanceJobDeps,
  queueIssueHeldInvoices,
  queueReceivablesRefresh,
  SetupProblem,
} from './finance-jobs.js';
import {
  checkBooksTax,
  createdStatusFor,
  estimateHeldInvoice,
  issueContextFor,
  issueHeldInvoice,
} from './scheduled-invoices.js';

/**
 * The `billing-setup` worker: turns an accepted handoff into billing setup in the connected finance system.
 *
 * Steps, each a row in billing_steps with a deterministic idempotency key `<setupId>:<step>` and its outcome,
 * skipped once done, so a crash anywhere resumes without duplicates:
 * 1. `customer` — stored link → the vendor's lookup (id, our reference `hs-company-<id>`, billing email, legal
 *    name) → create under the step's key; the link is saved (unique per company and per customer).
 * 2. `terms` — the plan's payment terms exist in the vendor (QuickBooks: a Term).
 * 3. `po` — "No PO, no go": a handoff that requires a PO must carry one; the PO goes on every invoice.
 * 4. `schedule` — every invoice held in scheduled_invoices; then QuickBooks: issued now if dated today or earlier
 *    (the rest wait for the sweep or their trigger); Xero/Stripe: a draft for every invoice with a date. Each
 *    invoice is its own step `invoice:<key>` (see scheduled-invoices.ts). A setup whose template says
 *    `quickbooksScheduledAs: 'estimate'` then creates every invoice still held as a QuickBooks Estimate
 *    (step `estimate:<key>`); on another system that setting stops the setup before anything is written.
 * 5. `writeback` — deal rh_billing_status=live with the finance customer id and link, the company's finance ids,
 *    then in one transaction the handoff's billing_succeeded transition and event and the setup `live`.
 * A failure a person must fix (or the queue's last attempt) ends the setup `failed` with the vendor's words, the
 * handoff billing_failed with an event, and the deal rh_billing_status=failed; syncBillingSetup retries it.
 */

export interface BillingSetupOptions {
  /** The queue will not try again after this attempt: record any failure as final. */
  lastAttempt?: boolean;
  /** Called at every crash-safe point; tests throw from it to play a worker killed there. */
  checkpoint?: (name: string) => void | Promise<void>;
  onRetry?: (retry: FinanceRetry) => void;
  /** How long to wait for the acceptance to record billing_pending (default 10 s). */
  pendingGraceMs?: number;
}

export type BillingSetupOutcome =
  | { status: 'live'; customerId: string; invoicesCreated: number }
  | { status: 'failed'; error: FailureVerdict & { step: string } }
  | { status: 'skipped'; reason: string };

interface Customer {
  customerId: string;
  url: string;
  matchedBy: MatchedBy;
  legalName: string;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * The finance customer a handoff describes: legal name, AP contact and email, billing address, currency and terms
 * of the plan, and our reference `hs-company-<companyId>`. Pure.
 * @example customerDraftOf(handoffData, plan, '901') // { legalName: 'Acme Widgets GmbH', externalRef: 'hs-company-901', … }
 */
export function customerDraftOf(data: Record<string, unknown>, plan: BillingPlan, companyId: string): CustomerDraft {
  const legalName = text(data.billingEntityLegalName);
  if (!legalName) {
    throw new SetupProblem(
      'The handoff has no billing entity legal name; add it to the handoff, then retry billing setup',
    );
  }
  const contact = (data.billingContact ?? {}) as { name?: unknown; email?: unknown };
  const address = data.billingAddress as
    | { line1?: unknown; line2?: unknown; city?: unknown; region?: unknown; postalCode?: unknown; country?: unknown }
    | undefined;
  const email = text(contact.email);
  const apContactName = text(contact.name);
  const line1 = text(address?.line1);
  const city = text(address?.city);
  const country = text(address?.country);
  return {
    legalName,
    ...(email ? { email } : {}),
    ...(apContactName ? { apContactName } : {}),
    ...(line1 && city && country
      ? {
          address: {
            line1,
            ...(text(address?.line2) ? { line2: text(address?.line2) as string } : {}),
            city,
            ...(text(address?.region) ? { region: text(address?.region) as string } : {}),
            postalCode: text(address?.postalCode) ?? '',
            country,
          },
        }
      : {}),
    currency: plan.currency,
    paymentTerms: plan.paymentTerms,
    externalRef: `hs-company-${companyId}`,
  };
}

/** How a found customer was matched, for the link's `matched_by`. */
function matchOf(found: FinanceCustomer, draft: CustomerDraft, linkedId: string | undefined): MatchedBy {
  if (found.id === linkedId || (found.externalRef && found.externalRef === draft.externalRef)) return 'stored';
  if (draft.email && found.email?.trim().toLowerCase() === draft.email.toLowerCase()) return 'email';
  return 'name';
}

/**
 * Runs (or resumes) one billing setup. Never throws for a failure a person must fix — that ends the setup
 * `failed`, visibly; throws for what the queue should retry (vendor down, budget spent, a crash).
 * @example await runBillingSetup(deps, { portalId: 42, setupId, handoffId }, { lastAttempt: job.retryCount >= 8 })
 */
export async function runBillingSetup(
  deps: FinanceJobDeps,
  job: BillingSetupJobData,
  options: BillingSetupOptions = {},
): Promise<BillingSetupOutcome> {
  const now = deps.now ?? (() => new Date());
  const checkpoint = async (name: string) => {
    await options.checkpoint?.(name);
  };
  const store = portalStore(deps.db, job.portalId);
  const fstore = financeStore(deps.db, job.portalId);
  const setup = await store.billing.setup(job.setupId);
  if (!setup) return { status: 'skipped', reason: `no billing setup ${job.setupId}` };
  if (setup.status === 'live' || setup.status === 'failed') {
    // live: done; failed: waits for a person's retry (syncBillingSetup sets it pending and queues a new job).
    return { status: 'skipped', reason: `billing setup is ${setup.status}` };
  }
  const stored = await pendingHandoff(deps, job.portalId, setup, now, options.pendingGraceMs ?? PENDING_GRACE_MS);
  if (!stored) return { status: 'skipped', reason: `no handoff ${setup.handoffId}` };

  await store.billing.markStatus(setup.id, 'running');
  let step = 'start';
  try {
    await checkpoint('start');
    const steps = await fstore.steps.all(setup.id);
    let plan: BillingPlan;
    let schedule: BillingSchedule;
    try {
      plan = BillingPlanSchema.parse(setup.plan);
      schedule = BillingScheduleSchema.parse(setup.schedule);
    } catch {
      throw new SetupProblem('The billing plan or schedule stored with this setup is not valid; start billing again');
    }
    const { finance, connection } = await deps.gateway.forPortal(job.portalId, {
      system: setup.system,
      subject: setup.id,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });

    // Before anything is written: estimates asked of a system without them, or a tax code the books lack, stop the
    // setup here, with nothing synced.
    if (steps.get('schedule')?.status !== 'done') {
      step = 'estimates';
      const scheduledAs = checkScheduledInvoicesAs(setup.scheduledAs, finance.capabilities);
      if (scheduledAs) throw new SetupProblem(scheduledAs.message);
      step = 'tax';
      await checkBooksTax(plan, finance, (tax) =>
        store.finance.rememberTaxSetup(setup.system, connection.tenantId, tax),
      );
    }

    step = 'customer';
    const customer = await customerStep(
      deps,
      job.portalId,
      setup,
      stored,
      plan,
      finance,
      steps.get('customer'),
      checkpoint,
    );

    step = 'terms';
    if (steps.get('terms')?.status !== 'done') {
      const { key } = await fstore.steps.begin(setup.id, 'terms');
      const terms = await finance.ensurePaymentTerms(plan.paymentTerms, key);
      await fstore.steps.done(setup.id, 'terms', { code: plan.paymentTerms, ...terms });
      await checkpoint('terms:done');
    }

    step = 'po';
    if (steps.get('po')?.status !== 'done') {
      await fstore.steps.begin(setup.id, 'po');
      const poNumber = text(stored.data.poNumber);
      if (stored.data.poRequired === true && !poNumber) {
        throw new SetupProblem(
          'The customer requires a PO on every invoice and the handoff has none (No PO, no go); add the PO number, then retry billing setup',
        );
      }
      await fstore.steps.done(setup.id, 'po', { poNumber: poNumber ?? null });
      await checkpoint('po:done');
    }

    step = 'schedule';
    let created = 0;
    if (steps.get('schedule')?.status !== 'done') {
      await fstore.steps.begin(setup.id, 'schedule');
      await fstore.held.seed(setup.id, schedule);
      await checkpoint('schedule:held');
      const ctx = await issueContextFor(deps, job.portalId, setup, finance, checkpoint);
      const today = todayIn(ctx.timeZone, now());
      const ready = (await fstore.held.list(setup.id)).filter(
        (r) =>
          r.status === 'scheduled' &&
          r.issueDate !== null &&
          // QuickBooks posts on creation, so only what is due today; drafts elsewhere may be made ahead.
          (createdStatusFor(setup.system) === 'draft' || r.issueDate <= today),
      );
      for (const row of ready) {
        step = `invoice:${row.key}`;
        await issueHeldInvoice(deps.db, ctx, row);
        created++;
      }
      step = 'schedule';
      // Estimating a held invoice never changes its status, so this one read also counts what is still held.
      const stillHeld = (await fstore.held.list(setup.id)).filter((r) => r.status === 'scheduled');
      let estimates = 0;
      if (setup.scheduledAs === 'estimate') {
        // What is still held shows in QuickBooks as an Estimate until its date or trigger.
        for (const row of stillHeld) {
          step = `estimate:${row.key}`;
          if (row.estimate || (await estimateHeldInvoice(deps.db, ctx, row))) estimates++;
        }
      }
      step = 'schedule';
      await fstore.steps.done(setup.id, 'schedule', {
        created,
        held: stillHeld.length,
        ...(setup.scheduledAs === 'estimate' ? { estimates } : {}),
      });
      await checkpoint('schedule:done');
    }

    step = 'writeback';
    await writeBack(deps, job.portalId, setup, customer, now(), checkpoint);
    await checkpoint('writeback:done');

    // Follow-ups; the setup is live whatever happens to them (the sweeps would catch up).
    await queueReceivablesRefresh(deps.queue, {
      portalId: job.portalId,
      system: setup.system,
      customerId: customer.customerId,
    }).catch((e: unknown) => deps.logger.warn({ err: e }, 'could not queue the receivables refresh'));
    await queueIssueHeldInvoices(deps.queue, job.portalId, setup.id).catch((e: unknown) =>
      deps.logger.warn({ err: e }, 'could not queue issuing of due invoices'),
    );
    return { status: 'live', customerId: customer.customerId, invoicesCreated: created };
  } catch (e) {
    const verdict = classifyFailure(e);
    const current = await store.billing.setup(setup.id).catch(() => null);
    // Whatever failed after the setup went live (a follow-up) must not undo it.
    if (current?.status === 'live') throw e;
    if (!verdict.final && !options.lastAttempt) {
      // Kept on the setup (still running) so the admin page can see why it is waiting.
      await store.billing
        .markStatus(setup.id, 'running', {
          message: `Retrying: ${verdict.message}`,
          at: now().toISOString(),
          kind: verdict.kind,
        })
        .catch(() => {});
      throw e;
    }
    await failSetup(deps, job.portalId, setup, step, verdict, now());
    return { status: 'failed', error: { ...verdict, step } };
  }
}

/** How long a job waits for the request that queued it to record `billing_pending` before doing so itself. */
const PENDING_GRACE_MS = 10_000;

/**
 * The handoff, once it says billing_pending. The acceptance queues this job and then records the new state, so a
 * fast worker can see `accepted` for a moment; it waits for that write rather than racing it. Still `accepted`
 * after the grace period (the request died in between), the job records billing_started itself.
 */
async function pendingHandoff(
  deps: FinanceJobDeps,
  portalId: number,
  setup: BillingSetupRow,
  now: () => Date,
  graceMs: number,
): Promise<StoredHandoff | null> {
  const store = portalStore(deps.db, portalId);
  const deadline = Date.now() + graceMs;
  for (;;) {
    const stored = await store.handoffs.get(setup.handoffId);
    if (stored?.handoff.state !== 'accepted') return stored;
    if (Date.now() >= deadline) {
      const { handoff, event } = transition(stored.handoff, { type: 'start_billing' }, SYSTEM_ACTOR, now());
      return store.transaction(async (tx) => {
        const saved = await tx.handoffs.update({ ...stored, handoff });
        await tx.events.append([
          {
            handoffId: event.handoffId,
            type: event.type,
            actor: event.actor,
            at: event.at,
            payload: { from: event.from, to: event.to, setupId: setup.id, note: 'Recorded by the billing-setup job' },
          },
        ]);
        return saved;
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function customerStep(
  deps: FinanceJobDeps,
  portalId: number,
  setup: BillingSetupRow,
  stored: StoredHandoff,
  plan: BillingPlan,
  finance: FinanceSystem,
  recorded: { status: string; outcome: Record<string, unknown> | null } | undefined,
  checkpoint: (name: string) => Promise<void>,
): Promise<Customer> {
  if (recorded?.status === 'done' && recorded.outcome) return recorded.outcome as unknown as Customer;
  const store = portalStore(deps.db, portalId);
  const fstore = financeStore(deps.db, portalId);
  const companyId = setup.companyId;
  if (!companyId) {
    throw new SetupProblem(
      "This deal has no associated company, so there is no customer to bill; associate the customer's company with the deal, then retry billing setup",
    );
  }
  const { key } = await fstore.steps.begin(setup.id, 'customer');
  const draft = customerDraftOf(stored.data as Record<string, unknown>, plan, companyId);
  const link = await store.finance.link(setup.system, companyId);
  // One lookup in the vendor's order: stored id, our reference, billing email, legal name.
  let found = await finance.findCustomer({
    ...(link ? { id: link.customerId } : {}),
    externalRef: draft.externalRef,
    ...(draft.email ? { email: draft.email } : {}),
    legalName: draft.legalName,
  });
  let matchedBy: MatchedBy;
  if (found) {
    matchedBy = matchOf(found, draft, link?.customerId);
  } else {
    // The step's key makes a retried create return the first answer (requestid / Idempotency-Key).
    found = await finance.createCustomer(draft, key);
    matchedBy = 'created';
  }
  await checkpoint('customer:vendor');
  const saved = await fstore.links.save({
    system: setup.system,
    companyId,
    customerId: found.id,
    url: found.url,
    matchedBy,
  });
  if (!saved.ok) {
    throw new SetupProblem(
      `${financeSystemName(setup.system)} customer "${found.legalName}" (${found.id}), matched by ${matchedBy}, is already linked to HubSpot company ${saved.linkedCompanyId}; one finance customer cannot bill two companies — fix the billing email or legal name, or relink in the app settings`,
      'conflict',
    );
  }
  await checkpoint('customer:linked');
  const customer: Customer = { customerId: found.id, url: found.url, matchedBy, legalName: found.legalName };
  await fstore.steps.done(setup.id, 'customer', { ...customer });
  await checkpoint('customer:done');
  return customer;
}

/** HubSpot first (idempotent writes, safe to repeat after a crash), then our records in one transaction. */
async function writeBack(
  deps: FinanceJobDeps,
  portalId: number,
  setup: BillingSetupRow,
  customer: Customer,
  at: Date,
  checkpoint: (name: string) => Promise<void>,
): Promise<void> {
  const store = portalStore(deps.db, portalId);
  const steps = await financeStore(deps.db, portalId).steps.all(setup.id);
  if (steps.get('writeback')?.status === 'done') {
    await store.billing.markStatus(setup.id, 'live');
    return;
  }
  await financeStore(deps.db, portalId).steps.begin(setup.id, 'writeback');
  const crm = deps.crmFor(portalId);
  const finance = { rh_finance_customer_id: customer.customerId, rh_finance_customer_url: customer.url };
  await crm.batchUpdateDeals([
    { id: setup.dealId, properties: { rh_billing_status: 'live', rh_handoff_status: 'billing_live', ...finance } },
  ]);
  if (setup.companyId) {
    await crm.batchUpdateCompanies([{ id: setup.companyId, properties: { rh_billing_status: 'live', ...finance } }]);
  }
  await checkpoint('writeback:hubspot');
  const invoices = await financeStore(deps.db, portalId).held.list(setup.id);
  await store.transaction(async (tx) => {
    const fresh = await tx.handoffs.get(setup.handoffId);
    if (fresh && fresh.handoff.state === 'billing_pending') {
      const note = `Billing is live in ${financeSystemName(setup.system)}: customer ${customer.legalName} (${customer.customerId}, matched by ${customer.matchedBy}).`;
      const { handoff, event } = transition(fresh.handoff, { type: 'billing_succeeded', note }, SYSTEM_ACTOR, at);
      await tx.handoffs.update({ ...fresh, handoff });
      await tx.events.append([
        {
          handoffId: event.handoffId,
          type: event.type,
          actor: event.actor,
          at: event.at,
          payload: {
            from: event.from,
            to: event.to,
            note,
            setupId: setup.id,
            system: setup.system,
            customerId: customer.customerId,
            customerUrl: customer.url,
            invoicesCreated: invoices.filter((i) => i.status === 'issued' || i.status === 'draft').length,
            invoicesHeld: invoices.filter((i) => i.status === 'scheduled').length,
          },
        },
      ]);
    }
    await tx.billing.markStatus(setup.id, 'live');
    await financeStore(tx.db, portalId).steps.done(setup.id, 'writeback', {
      dealId: setup.dealId,
      companyId: setup.companyId,
      at: at.toISOString(),
    });
  });
}

/** The visible end of a failed setup: setup failed with the vendor's words, handoff billing_failed, deal failed. */
async function failSetup(
  deps: FinanceJobDeps,
  portalId: number,
  setup: BillingSetupRow,
  step: string,
  verdict: FailureVerdict,
  at: Date,
): Promise<void> {
  const store = portalStore(deps.db, portalId);
  const error = { message: verdict.message, at: at.toISOString(), kind: verdict.kind, step };
  await financeStore(deps.db, portalId).steps.failed(setup.id, step, error);
  await store.transaction(async (tx) => {
    await tx.billing.markStatus(setup.id, 'failed', error);
    const fresh = await tx.handoffs.get(setup.handoffId);
    if (fresh && fresh.handoff.state === 'billing_pending') {
      const { handoff, event } = transition(
        fresh.handoff,
        { type: 'billing_failed', error: verdict.message },
        SYSTEM_ACTOR,
        at,
      );
      await tx.handoffs.update({ ...fresh, handoff });
      await tx.events.append([
        {
          handoffId: event.handoffId,
          type: event.type,
          actor: event.actor,
          at: event.at,
          payload: {
            from: event.from,
            to: event.to,
            note: verdict.message,
            error: verdict.message,
            kind: verdict.kind,
            step,
            setupId: setup.id,
            system: setup.system,
            ...(verdict.vendorMessage ? { vendorMessage: verdict.vendorMessage } : {}),
            ...(verdict.reconnect ? { reconnect: true } : {}),
          },
        },
      ]);
    }
  });
  deps.logger.warn({ setupId: setup.id, step, error }, 'billing setup failed');
  try {
    await deps
      .crmFor(portalId)
      .batchUpdateDeals([
        { id: setup.dealId, properties: { rh_billing_status: 'failed', rh_handoff_status: 'billing_failed' } },
      ]);
  } catch (e) {
    // The setup and handoff already say "failed" (card and admin page); HubSpot's copy catches up on the retry.
    deps.logger.warn({ err: e, setupId: setup.id }, 'could not mark the deal failed in HubSpot');
  }
}
