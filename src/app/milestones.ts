import type { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import { CancelScheduledInvoiceInput, type HandoffView, MarkMilestoneAcceptedInput } from '../api/contracts.js';
import { BillingPlanSchema } from '../billing/plan.js';
import { BillingScheduleSchema } from '../billing/schedule-model.js';
import { todayIn } from '../core/dates.js';
import { DomainError } from '../core/errors.js';
import { queueIssueHeldInvoices } from '../jobs/finance-jobs.js';
import { milestoneTrigger } from '../jobs/scheduled-invoices.js';
import { financeStore } from '../store/finance-store.js';
import type { BillingSetupRow } from '../store/portal-store.js';
import { getHandoffView } from './handoff-service.js';
import { DELIVERY_ROLES, FINANCE_ROLES } from './invoice-actions.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

/**
 * Triggers and cancellations of held invoices, from the card (or a deal-property webhook acting as `system`).
 * Marking a milestone accepted records the trigger time on its held invoice and queues issuing; the time from
 * trigger to invoice lands in metric_facts (`invoice_timing`) when the invoice is created.
 */

function requireRole(ctx: Ctx, roles: ReadonlyArray<string>, what: string): void {
  if (!ctx.user.roles.some((r) => roles.includes(r))) {
    throw new DomainError('forbidden', `Only ${roles.filter((r) => r !== 'system').join(', ')} may ${what}`);
  }
}

async function setupOf(ctx: Ctx, dealId: string, handoffId: string): Promise<BillingSetupRow> {
  const { store } = ctx.services;
  const stored = await store.handoffs.get(handoffId);
  if (!stored || stored.handoff.dealId !== dealId) {
    throw new DomainError('not_found', `Deal ${dealId} has no handoff ${handoffId}`, 'handoffId');
  }
  const setup = await store.billing.setupByHandoff(handoffId);
  if (!setup) {
    throw new DomainError(
      'not_found',
      'Billing setup has not started for this handoff; accept the finance handoff first',
      'handoffId',
    );
  }
  return setup;
}

/**
 * Records that the customer accepted a milestone: its held invoice gets issue date = acceptedOn and the due date
 * from the plan's terms, the trigger time is kept, the thread says so, and issuing is queued (QuickBooks creates
 * the invoice; Xero/Stripe a draft). Saying it twice changes nothing.
 * @example await markMilestoneAccepted(ctx, { dealId: '1001', handoffId, milestoneId: 'm1', acceptedOn: '2026-05-04' })
 */
export async function markMilestoneAccepted(
  ctx: Ctx,
  input: z.input<typeof MarkMilestoneAcceptedInput>,
): Promise<HandoffView> {
  requireRole(ctx, DELIVERY_ROLES, 'record a milestone acceptance');
  const i = MarkMilestoneAcceptedInput.parse(input);
  const { store, settings, queue } = ctx.services;
  const setup = await setupOf(ctx, i.dealId, i.handoffId);
  const today = todayIn(settings.timeZone, ctx.now);
  const acceptedOn = i.acceptedOn ?? today;
  if (acceptedOn > today) {
    throw new DomainError(
      'invalid_input',
      `cannot be after today (${today}): record an acceptance once it happened`,
      'acceptedOn',
    );
  }
  const schedule = BillingScheduleSchema.parse(setup.schedule);
  const plan = BillingPlanSchema.parse(setup.plan);
  const trigger = milestoneTrigger(schedule, plan.paymentTerms, i.milestoneId, acceptedOn);
  const fstore = financeStore(store.db, ctx.portalId);
  // The setup job may not have stored the schedule yet; storing it is idempotent and lets the trigger land now.
  await fstore.held.seed(setup.id, schedule);
  const row = await fstore.held.get(setup.id, trigger.key);
  if (row?.status === 'cancelled') {
    throw new DomainError(
      'conflict',
      `The invoice for milestone ${i.milestoneId} was cancelled (${row.cancelReason ?? 'no reason given'})`,
      'milestoneId',
    );
  }
  if (row && row.status === 'scheduled' && !row.triggeredAt) {
    await store.transaction(async (tx) => {
      await financeStore(tx.db, ctx.portalId).held.trigger(setup.id, trigger.key, {
        issueDate: trigger.issueDate,
        dueDate: trigger.dueDate,
        at: ctx.now,
      });
      await tx.events.append([
        {
          handoffId: setup.handoffId,
          type: 'milestone_accepted',
          actor: ctx.user.id,
          at: ctx.now.toISOString(),
          payload: { milestoneId: i.milestoneId, acceptedOn, invoiceKey: trigger.key, setupId: setup.id },
        },
      ]);
    });
    if (!queue) throw new Error('no job queue to issue the milestone invoice');
    await queueIssueHeldInvoices(queue, ctx.portalId, setup.id);
  }
  return getHandoffView(ctx, { dealId: i.dealId });
}

/**
 * Cancels a held invoice before it is issued (a milestone dropped, a period waived). An invoice already created
 * in the finance system is refused with where to void it instead. A QuickBooks Estimate showing the invoice is
 * deleted by the scheduled-invoices job queued here (never from this request); the invoice is never created.
 * @example await cancelScheduledInvoice(ctx, { dealId, handoffId, invoiceKey: 'c0-m:m2', reason: 'Milestone dropped' })
 */
export async function cancelScheduledInvoice(
  ctx: Ctx,
  input: z.input<typeof CancelScheduledInvoiceInput>,
): Promise<HandoffView> {
  requireRole(ctx, FINANCE_ROLES, 'cancel a scheduled invoice');
  const i = CancelScheduledInvoiceInput.parse(input);
  const { store, queue } = ctx.services;
  const setup = await setupOf(ctx, i.dealId, i.handoffId);
  const schedule = BillingScheduleSchema.parse(setup.schedule);
  // Refuse an unknown key before seeding: a refused request stores nothing.
  if (!schedule.invoices.some((inv) => inv.key === i.invoiceKey)) {
    throw new DomainError('not_found', `This billing schedule has no invoice ${i.invoiceKey}`, 'invoiceKey');
  }
  const fstore = financeStore(store.db, ctx.portalId);
  await fstore.held.seed(setup.id, schedule);
  const row = await fstore.held.get(setup.id, i.invoiceKey);
  if (!row) throw new DomainError('not_found', `This billing schedule has no invoice ${i.invoiceKey}`, 'invoiceKey');
  if (row.status === 'cancelled') return getHandoffView(ctx, { dealId: i.dealId });
  if (row.status !== 'scheduled') {
    throw new DomainError(
      'conflict',
      `Invoice ${i.invoiceKey} already exists in the finance system (${row.financeInvoiceNumber ?? row.financeInvoiceId}); void or delete it there`,
      'invoiceKey',
    );
  }
  await store.transaction(async (tx) => {
    const done = await financeStore(tx.db, ctx.portalId).held.cancel(setup.id, i.invoiceKey, {
      reason: i.reason,
      at: ctx.now,
    });
    if (!done)
      throw new DomainError(
        'conflict',
        `Invoice ${i.invoiceKey} was issued meanwhile; void it in the finance system`,
        'invoiceKey',
      );
    await tx.events.append([
      {
        handoffId: setup.handoffId,
        type: 'scheduled_invoice_cancelled',
        actor: ctx.user.id,
        at: ctx.now.toISOString(),
        payload: {
          invoiceKey: i.invoiceKey,
          reason: i.reason,
          setupId: setup.id,
          ...(row.estimate?.status === 'open' ? { estimateId: row.estimate.id } : {}),
        },
      },
    ]);
  });
  if (row.estimate?.status === 'open') {
    if (!queue) throw new Error('no job queue to delete the cancelled invoice’s estimate');
    await queueIssueHeldInvoices(queue, ctx.portalId, setup.id);
  }
  return getHandoffView(ctx, { dealId: i.dealId });
}

export { CancelScheduledInvoiceInput, MarkMilestoneAcceptedInput };
