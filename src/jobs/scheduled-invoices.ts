import type { BooksTaxSetup } from '../billing/capabilities.js';
import { checkFeasibility, checkScheduledInvoicesAs } from '../billing/feasibility.js';
import { dueDate as dueDateFor } from '../billing/payment-terms.js';
import { type BillingPlan, BillingPlanSchema } from '../billing/plan.js';
import { type BillingSchedule, BillingScheduleSchema, type ScheduledInvoice } from '../billing/schedule-model.js';
import { lineTaxTreatment } from '../billing/tax.js';
import { type CalendarDay, startOfDayIn, todayIn } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import type {
  CreatedEstimate,
  CreatedInvoice,
  EstimateDraft,
  FinanceSystem,
  FinanceSystemId,
  InvoiceDraft,
} from '../integrations/finance/port.js';
import { financeStore, type HeldInvoiceRow, portalsWithDueInvoices } from '../store/finance-store.js';
import { type BillingSetupRow, portalStore } from '../store/portal-store.js';
import {
  classifyFailure,
  type FinanceJobDeps,
  JOB_KEYS,
  queueReceivablesRefresh,
  type ScheduledInvoicesJobData,
  SetupProblem,
} from './finance-jobs.js';
import { QUEUES } from './queue.js';

/**
 * Scheduled invoices: QuickBooks has no drafts, so we hold every invoice of a schedule in `scheduled_invoices` and
 * create each in the finance system on its issue date (a sweep, hourly, judging "today" in each portal's time zone)
 * or when its trigger happens (a milestone accepted). Xero and Stripe get drafts at setup for dated invoices;
 * triggered ones are created as drafts when their trigger happens, through the same path.
 *
 * Each invoice is one billing step `invoice:<key>` with key `<setupId>:invoice:<key>` (the vendor's idempotency
 * key) and reference `<setupId>:<key>` (stored on the vendor's invoice). An attempt is recorded before the vendor
 * call; a later attempt first looks the reference up, so a crash between the vendor's answer and our record never
 * creates a second invoice. Every created invoice adds an `invoice_timing` fact (trigger → creation) for the
 * "invoices created more than 48 h after their trigger" metric.
 *
 * QuickBooks Estimates (template `quickbooksScheduledAs: 'estimate'`, fixed on the setup as `scheduledAs`): billing
 * setup also creates each held invoice as an Estimate — step `estimate:<key>`, the same reference under its own
 * marker, looked up before a retried create — and the invoice created on its date links it (LinkedTxn), which
 * closes it in QuickBooks. Cancelling a held invoice deletes its open estimate on the next run for the portal.
 */

/** What issuing one held invoice needs; built once per setup. */
export interface IssueContext {
  portalId: number;
  setup: BillingSetupRow;
  plan: BillingPlan;
  schedule: BillingSchedule;
  finance: FinanceSystem;
  customerId: string;
  poNumber: string | undefined;
  timeZone: string;
  now: () => Date;
  /** Called at each crash-safe point (tests throw from it to play a crash). */
  checkpoint: (name: string) => Promise<void>;
  /** When the acceptance-triggered invoices' trigger happened (the handoff's acceptance). */
  acceptedAt: Date | null;
}

/**
 * The invoice that a milestone's acceptance issues, with its dates: issued the day it was accepted, due by the
 * plan's payment terms. Pure.
 * @example milestoneTrigger(schedule, 'net_30', 'm1', '2026-05-04') // { key: 'c0-m:m1', issueDate: '2026-05-04', dueDate: '2026-06-03' }
 */
export function milestoneTrigger(
  schedule: BillingSchedule,
  paymentTerms: string,
  milestoneId: string,
  acceptedOn: CalendarDay,
): { key: string; issueDate: CalendarDay; dueDate: CalendarDay } {
  const invoice = schedule.invoices.find((i) => i.trigger === 'milestone' && i.milestoneId === milestoneId);
  if (!invoice) {
    const known = schedule.invoices.flatMap((i) => (i.milestoneId ? [i.milestoneId] : []));
    throw new DomainError(
      'not_found',
      `This billing schedule has no milestone "${milestoneId}"${known.length ? ` (its milestones: ${known.join(', ')})` : ''}`,
      'milestoneId',
    );
  }
  return { key: invoice.key, issueDate: acceptedOn, dueDate: dueDateFor(acceptedOn, paymentTerms) };
}

/**
 * Our invoice draft for a scheduled invoice. Lines without an exact quantity × unit price (prorated ones) go as
 * one unit of their amount. Pure.
 * @example invoiceDraftOf(invoice, { customerId: '58', reference: 's1:c0-p1', status: 'issued', … })
 */
export function invoiceDraftOf(
  invoice: ScheduledInvoice,
  input: {
    customerId: string;
    reference: string;
    issueDate: CalendarDay;
    dueDate: CalendarDay;
    paymentTerms: string;
    poNumber?: string | undefined;
    status: 'draft' | 'issued';
    /** The plan the invoice comes from: each line carries its component's tax treatment (else the plan's). */
    plan?: Pick<BillingPlan, 'tax' | 'components'>;
  },
): InvoiceDraft {
  if (invoice.document === 'credit_note') {
    throw new SetupProblem(
      `Invoice ${invoice.key} is a credit note (${invoice.total.amount} ${invoice.total.currency}); credit notes are not created automatically yet — issue it by hand in the finance system and cancel it here`,
    );
  }
  return {
    customerId: input.customerId,
    reference: input.reference,
    issueDate: input.issueDate,
    dueDate: input.dueDate,
    currency: invoice.total.currency,
    paymentTerms: input.paymentTerms,
    ...(input.poNumber ? { poNumber: input.poNumber } : {}),
    status: input.status,
    lines: invoice.lines.map((l) => {
      const exact = l.quantity !== undefined && l.unitPrice !== undefined;
      const tax = input.plan ? lineTaxTreatment(input.plan, l.componentIndex) : null;
      return {
        ...(tax ? { tax } : {}),
        description: l.description,
        quantity: exact ? (l.quantity as number) : 1,
        unitAmount: exact ? (l.unitPrice as InvoiceDraft['lines'][number]['unitAmount']) : l.amount,
        amount: l.amount,
        ...(l.periodStart ? { periodStart: l.periodStart } : {}),
        ...(l.periodEnd ? { periodEnd: l.periodEnd } : {}),
      };
    }),
  };
}

/**
 * Checks a plan's tax codes against the connected books before billing setup writes anything: a code the books
 * lack (named with the nearest valid ones), a rate that differs, a mix the system cannot carry → a SetupProblem a
 * person fixes. Reads the books' tax setup only when the plan carries tax.
 * @example await checkBooksTax(plan, finance)
 */
export async function checkBooksTax(
  plan: BillingPlan,
  finance: FinanceSystem,
  remember?: (setup: BooksTaxSetup) => Promise<void>,
): Promise<void> {
  if (!finance.taxSetup || !(plan.tax || plan.components.some((c) => c.tax))) return;
  const tax = await finance.taxSetup();
  // Kept for the feasibility check on the card, before the next deal is signed.
  await remember?.(tax);
  const problems = checkFeasibility(plan, { ...finance.capabilities, tax }).problems.filter(
    (p) => p.blocking && p.code.startsWith('tax_'),
  );
  if (problems.length > 0) {
    throw new SetupProblem(
      `The billing plan's tax does not match ${finance.capabilities.displayName}: ${problems
        .map((p) => `${p.path}: ${p.message}`)
        .join(' ')}`,
    );
  }
}

/**
 * The status an invoice is created with: QuickBooks posts on creation; Xero and Stripe take drafts finance approves.
 * @example createdStatusFor('xero') // 'draft'
 */
export function createdStatusFor(system: FinanceSystemId): 'draft' | 'issued' {
  return system === 'quickbooks' ? 'issued' : 'draft';
}

/** The schedule's invoice a held invoice row stands for; a SetupProblem (not_found) when the schedule lacks it. */
function scheduledInvoiceOf(ctx: IssueContext, row: HeldInvoiceRow): ScheduledInvoice {
  const invoice = ctx.schedule.invoices.find((i) => i.key === row.key);
  if (!invoice) throw new SetupProblem(`Scheduled invoice ${row.key} is not in this setup's schedule`, 'not_found');
  return invoice;
}

/**
 * The invoice draft of a held invoice (reference `<setupId>:<key>`), issued on `issueDate` and due on the row's due
 * date, else the schedule's, else by the plan's payment terms.
 */
function heldInvoiceDraft(
  ctx: IssueContext,
  row: HeldInvoiceRow,
  invoice: ScheduledInvoice,
  input: { issueDate: CalendarDay; status: 'draft' | 'issued' },
): InvoiceDraft {
  return invoiceDraftOf(invoice, {
    customerId: ctx.customerId,
    reference: `${ctx.setup.id}:${row.key}`,
    issueDate: input.issueDate,
    dueDate: row.dueDate ?? invoice.dueDate ?? dueDateFor(input.issueDate, ctx.plan.paymentTerms),
    paymentTerms: ctx.plan.paymentTerms,
    poNumber: ctx.poNumber,
    status: input.status,
    plan: ctx.plan,
  });
}

/**
 * Creates one held invoice in the finance system exactly once and records it (row, step, timing fact) in one
 * transaction. Returns the vendor's invoice.
 * @example await issueHeldInvoice(db, ctx, row)
 */
export async function issueHeldInvoice(
  db: FinanceJobDeps['db'],
  ctx: IssueContext,
  row: HeldInvoiceRow,
): Promise<CreatedInvoice> {
  const { setup } = ctx;
  const invoice = scheduledInvoiceOf(ctx, row);
  if (!row.issueDate)
    throw new SetupProblem(`Scheduled invoice ${row.key} has no issue date yet (its trigger has not happened)`);
  const status = createdStatusFor(setup.system);
  const store = financeStore(db, ctx.portalId);
  const step = `invoice:${row.key}`;
  const { key, earlierAttempt } = await store.steps.begin(setup.id, step);
  const draft = heldInvoiceDraft(ctx, row, invoice, { issueDate: row.issueDate, status });
  const reference = draft.reference;
  // Only an earlier attempt can have left an invoice behind; looking first costs requests, so only then.
  let found = earlierAttempt ? await ctx.finance.findInvoiceByReference(ctx.customerId, reference) : null;
  let estimateGone = false;
  if (!found && row.estimate?.status === 'open' && ctx.finance.findEstimateByReference) {
    // Made from its estimate (QuickBooks links the two and closes the estimate) — unless people acted on it there.
    const estimate = await ctx.finance.findEstimateByReference(ctx.customerId, reference);
    if (estimate?.status === 'open') {
      draft.estimateId = estimate.id;
    } else if (estimate?.invoiceId) {
      // Converted by hand in QuickBooks: that invoice is this one, and creating another would bill twice.
      const invoices = await ctx.finance.listInvoices({ customerId: ctx.customerId });
      const theirs = invoices.find((i) => i.id === estimate.invoiceId);
      if (theirs) {
        found = {
          id: theirs.id,
          number: theirs.number,
          url: theirs.url ?? estimate.url,
          status: theirs.status,
          total: theirs.total,
        };
      }
    } else {
      // Deleted, rejected or closed by hand in QuickBooks: the schedule still bills, so the invoice is created on
      // its own.
      estimateGone = estimate === null;
    }
  }
  const created = found ?? (await ctx.finance.createInvoice(draft, key));
  await ctx.checkpoint(`${step}:vendor`);
  const at = ctx.now();
  const triggerAt =
    row.trigger === 'milestone' && row.triggeredAt
      ? row.triggeredAt
      : row.trigger === 'acceptance' && ctx.acceptedAt
        ? ctx.acceptedAt
        : startOfDayIn(row.issueDate, ctx.timeZone);
  await db.transaction(async (tx) => {
    const t = financeStore(tx, ctx.portalId);
    if (estimateGone) await t.held.estimateDeleted(setup.id, row.key);
    await t.held.created(setup.id, row.key, {
      status,
      financeInvoiceId: created.id,
      number: created.number ?? null,
      at,
    });
    await t.steps.done(setup.id, step, {
      financeInvoiceId: created.id,
      number: created.number ?? null,
      url: created.url,
      status: created.status,
      reference,
      recovered: found !== null,
      ...(draft.estimateId ? { estimateId: draft.estimateId } : {}),
    });
    await t.facts.append('invoice_timing', reference, at, {
      invoiceId: reference,
      dealId: setup.dealId,
      trigger:
        row.trigger === 'milestone'
          ? 'milestone_accepted'
          : row.trigger === 'acceptance'
            ? 'handoff_accepted'
            : 'issue_date',
      triggerAt: triggerAt.toISOString(),
      createdAt: at.toISOString(),
      delayHours: Math.round(((at.getTime() - triggerAt.getTime()) / 3_600_000) * 100) / 100,
      system: setup.system,
      financeInvoiceId: created.id,
      status,
    });
  });
  await ctx.checkpoint(`${step}:recorded`);
  return created;
}

/**
 * Our estimate draft of a held invoice: the invoice's lines, currency, terms and PO, dated `today`, expiring on
 * the invoice's planned issue date (none yet for a triggered invoice). Pure.
 * @example estimateDraftOf(invoiceDraft, { date: '2026-05-15', expirationDate: '2026-06-01' })
 */
export function estimateDraftOf(
  invoice: InvoiceDraft,
  input: { date: CalendarDay; expirationDate: CalendarDay | null },
): EstimateDraft {
  return {
    customerId: invoice.customerId,
    reference: invoice.reference,
    date: input.date,
    ...(input.expirationDate ? { expirationDate: input.expirationDate } : {}),
    currency: invoice.currency,
    paymentTerms: invoice.paymentTerms,
    ...(invoice.poNumber ? { poNumber: invoice.poNumber } : {}),
    lines: invoice.lines,
    ...(invoice.memo ? { memo: invoice.memo } : {}),
  };
}

/**
 * Creates one held invoice's estimate in the finance system exactly once (QuickBooks Estimate: non-posting) and
 * records it on the held invoice and its step `estimate:<key>`. Credit notes get none (they are never created
 * automatically). Returns the estimate, or null when there is none to make.
 * @example await estimateHeldInvoice(db, ctx, row)
 */
export async function estimateHeldInvoice(
  db: FinanceJobDeps['db'],
  ctx: IssueContext,
  row: HeldInvoiceRow,
): Promise<CreatedEstimate | null> {
  const { setup, finance } = ctx;
  if (row.status !== 'scheduled' || row.estimate) return null;
  if (!finance.createEstimate || !finance.findEstimateByReference) {
    const problem = checkScheduledInvoicesAs('estimate', { ...finance.capabilities, estimates: false });
    throw new SetupProblem(problem?.message ?? `${finance.capabilities.displayName} has no estimates`);
  }
  const invoice = scheduledInvoiceOf(ctx, row);
  if (invoice.document === 'credit_note') return null;
  const today = todayIn(ctx.timeZone, ctx.now());
  const draft = estimateDraftOf(
    heldInvoiceDraft(ctx, row, invoice, { issueDate: row.issueDate ?? today, status: 'issued' }),
    { date: today, expirationDate: row.issueDate },
  );
  const reference = draft.reference;
  const store = financeStore(db, ctx.portalId);
  const step = `estimate:${row.key}`;
  const { key, earlierAttempt } = await store.steps.begin(setup.id, step);
  // Only an earlier attempt can have left an estimate behind.
  const found = earlierAttempt ? await finance.findEstimateByReference(ctx.customerId, reference) : null;
  const created = found ?? (await finance.createEstimate(draft, key));
  await ctx.checkpoint(`${step}:vendor`);
  await db.transaction(async (tx) => {
    const t = financeStore(tx, ctx.portalId);
    await t.held.estimated(setup.id, row.key, {
      estimateId: created.id,
      number: created.number ?? null,
      url: created.url,
    });
    await t.steps.done(setup.id, step, {
      financeEstimateId: created.id,
      number: created.number ?? null,
      url: created.url,
      reference,
      recovered: found !== null,
    });
  });
  await ctx.checkpoint(`${step}:recorded`);
  return created;
}

/**
 * Deletes the estimates of cancelled held invoices from the finance system (a portal's, or one setup's). An
 * estimate already gone counts as deleted. A failure a person must fix stays on the invoice row; a temporary one
 * is returned for the queue to retry.
 * @example const { deleted, failed } = await deleteCancelledEstimates(deps, { portalId: 42 })
 */
export async function deleteCancelledEstimates(
  deps: FinanceJobDeps,
  data: { portalId: number; setupId?: string },
): Promise<{
  deleted: Array<{ setupId: string; key: string; estimateId: string }>;
  failed: IssueReport['failed'];
  retryLater?: unknown;
}> {
  const store = portalStore(deps.db, data.portalId);
  const fstore = financeStore(deps.db, data.portalId);
  const rows = (await fstore.held.estimatesToDelete()).filter((r) => !data.setupId || r.setupId === data.setupId);
  const out: Awaited<ReturnType<typeof deleteCancelledEstimates>> = { deleted: [], failed: [] };
  // Each setup and its finance connection are resolved once, for all of its rows (a failure fails them all).
  const bySetup = new Map<string, Promise<{ setup: BillingSetupRow; finance: FinanceSystem } | null>>();
  const resolve = async (setupId: string) => {
    const setup = await store.billing.setup(setupId);
    if (!setup) return null;
    const { finance } = await deps.gateway.forPortal(data.portalId, { system: setup.system, subject: setup.id });
    return { setup, finance };
  };
  for (const row of rows) {
    const estimateId = row.estimate?.id;
    if (!estimateId) continue;
    try {
      let resolved = bySetup.get(row.setupId);
      if (!resolved) {
        resolved = resolve(row.setupId);
        bySetup.set(row.setupId, resolved);
      }
      const found = await resolved;
      if (!found) continue;
      const { setup, finance } = found;
      if (!finance.deleteEstimate) throw new SetupProblem(`${finance.capabilities.displayName} has no estimates`);
      await finance.deleteEstimate(estimateId, `${setup.id}:estimate-delete:${row.key}`);
      await fstore.held.estimateDeleted(row.setupId, row.key);
      out.deleted.push({ setupId: row.setupId, key: row.key, estimateId });
    } catch (e) {
      const verdict = classifyFailure(e);
      out.failed.push({ setupId: row.setupId, key: row.key, message: verdict.message });
      await fstore.held.failed(row.setupId, row.key, `Could not delete its estimate: ${verdict.message}`);
      if (!verdict.final) out.retryLater ??= e;
    }
  }
  return out;
}

/**
 * The setup's issue context from what the setup recorded (plan, schedule, customer step, PO step).
 * @example const ctx = await issueContextFor(deps, 42, setup, finance, checkpoint)
 */
export async function issueContextFor(
  deps: FinanceJobDeps,
  portalId: number,
  setup: BillingSetupRow,
  finance: FinanceSystem,
  checkpoint: IssueContext['checkpoint'],
): Promise<IssueContext> {
  const store = portalStore(deps.db, portalId);
  const steps = await financeStore(deps.db, portalId).steps.all(setup.id);
  const customer = steps.get('customer');
  const customerId = customer?.status === 'done' ? String(customer.outcome?.customerId ?? '') : '';
  if (!customerId) throw new SetupProblem('Billing setup has no finance customer yet; run billing setup first');
  const po = steps.get('po')?.outcome?.poNumber;
  const settings = await store.installation.settings();
  const handoff = await store.handoffs.get(setup.handoffId);
  return {
    portalId,
    setup,
    plan: BillingPlanSchema.parse(setup.plan),
    schedule: BillingScheduleSchema.parse(setup.schedule),
    finance,
    customerId,
    poNumber: typeof po === 'string' && po ? po : undefined,
    timeZone: settings.timeZone,
    now: deps.now ?? (() => new Date()),
    checkpoint,
    acceptedAt: handoff?.handoff.decidedAt ? new Date(handoff.handoff.decidedAt) : null,
  };
}

/** What one run issued and what it could not. */
export interface IssueReport {
  issued: Array<{ setupId: string; key: string; financeInvoiceId: string }>;
  failed: Array<{ setupId: string; key: string; message: string }>;
  /** Estimates of cancelled invoices deleted from the finance system (present only when there were any). */
  estimatesDeleted?: Array<{ setupId: string; key: string; estimateId: string }>;
}

/**
 * Issues every held invoice of a portal (or of one setup) whose issue date has come in the portal's time zone.
 * A failure a person must fix is kept on the invoice row and in the handoff's thread, and the others still go;
 * a temporary one (vendor down, budget spent) is thrown after the rest, so the queue retries the run.
 * @example await issueDueInvoices(deps, { portalId: 42 })
 */
export async function issueDueInvoices(
  deps: FinanceJobDeps,
  data: { portalId: number; setupId?: string },
): Promise<IssueReport> {
  const now = deps.now ?? (() => new Date());
  const store = portalStore(deps.db, data.portalId);
  const fstore = financeStore(deps.db, data.portalId);
  const settings = await store.installation.settings();
  const today = todayIn(settings.timeZone, now());
  const due = (await fstore.held.due(today)).filter((r) => !data.setupId || r.setupId === data.setupId);
  const report: IssueReport = { issued: [], failed: [] };
  // Cancelled invoices first: their estimates leave the finance system.
  const withdrawn = await deleteCancelledEstimates(deps, data);
  if (withdrawn.deleted.length > 0) report.estimatesDeleted = withdrawn.deleted;
  report.failed.push(...withdrawn.failed);
  let retryLater: unknown = withdrawn.retryLater;
  const bySetup = new Map<string, HeldInvoiceRow[]>();
  for (const row of due) bySetup.set(row.setupId, [...(bySetup.get(row.setupId) ?? []), row]);

  for (const [setupId, rows] of bySetup) {
    const setup = await store.billing.setup(setupId);
    if (!setup) continue;
    let ctx: IssueContext;
    try {
      const { finance } = await deps.gateway.forPortal(data.portalId, { system: setup.system, subject: setupId });
      ctx = await issueContextFor(deps, data.portalId, setup, finance, async () => {});
    } catch (e) {
      const verdict = classifyFailure(e);
      if (!verdict.final) retryLater ??= e;
      for (const row of rows) report.failed.push({ setupId, key: row.key, message: verdict.message });
      deps.logger.warn({ err: e, setupId }, 'cannot issue scheduled invoices of this setup');
      continue;
    }
    let issuedAny = false;
    for (const row of rows) {
      try {
        const created = await issueHeldInvoice(deps.db, ctx, row);
        report.issued.push({ setupId, key: row.key, financeInvoiceId: created.id });
        issuedAny = true;
      } catch (e) {
        const verdict = classifyFailure(e);
        report.failed.push({ setupId, key: row.key, message: verdict.message });
        await fstore.held.failed(setupId, row.key, verdict.message);
        if (!verdict.final) {
          retryLater ??= e;
          continue;
        }
        await fstore.steps.failed(setupId, `invoice:${row.key}`, { message: verdict.message, kind: verdict.kind });
        await store.events.append([
          {
            handoffId: setup.handoffId,
            type: 'invoice_failed',
            actor: 'system',
            at: now().toISOString(),
            payload: { setupId, invoiceKey: row.key, error: verdict.message, kind: verdict.kind, system: setup.system },
          },
        ]);
      }
    }
    if (issuedAny) {
      await queueReceivablesRefresh(deps.queue, {
        portalId: data.portalId,
        system: setup.system,
        customerId: ctx.customerId,
      }).catch((e: unknown) => deps.logger.warn({ err: e }, 'could not queue a receivables refresh'));
    }
  }
  if (retryLater) throw retryLater;
  return report;
}

/**
 * The `scheduled-invoices` worker: without a portal it is the sweep and queues one run per portal that has
 * something due; with a portal it issues what is due there.
 * @example await runScheduledInvoices(deps, {}) // sweep
 */
export async function runScheduledInvoices(
  deps: FinanceJobDeps,
  data: ScheduledInvoicesJobData,
): Promise<IssueReport | { queued: number[] }> {
  if (data.portalId !== undefined) {
    return issueDueInvoices(deps, { portalId: data.portalId, ...(data.setupId ? { setupId: data.setupId } : {}) });
  }
  const portals = await portalsWithDueInvoices(deps.db, (deps.now ?? (() => new Date()))());
  for (const portalId of portals) {
    await deps.queue?.send(QUEUES.scheduledInvoices.name, { portalId }, { singletonKey: JOB_KEYS.issue(portalId) });
  }
  return { queued: portals };
}
