import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import type {
  DecideExceptionInput,
  GetHandoffViewInput,
  HandoffView,
  RequestExceptionInput,
  ReviewHandoffInput,
  SaveHandoffFieldsInput,
  SubmitHandoffInput,
  SyncBillingSetupInput,
} from '../api/contracts.js';
import type { BooksTaxSetup } from '../billing/capabilities.js';
import { generateSchedule } from '../billing/schedule.js';
import { withTemplateTax } from '../billing/tax.js';
import { todayIn } from '../core/dates.js';
import { DomainError, type Issue } from '../core/errors.js';
import { SYSTEM_ACTOR } from '../handoff/actor.js';
import { evaluateHandoff } from '../handoff/evaluate.js';
import type { HandoffEvaluation } from '../handoff/evaluation.js';
import { decideException, requestException } from '../handoff/exceptions.js';
import { type HandoffDataInput, isHandoffFieldKey, validateField } from '../handoff/fields.js';
import {
  adoptTemplateVersion,
  createHandoff,
  type Handoff,
  type HandoffAction,
  type HandoffEvent,
  nextAutomaticAction,
  transition,
} from '../handoff/lifecycle.js';
import { type HandoffTemplate, meetsEntryCriteria } from '../handoff/template.js';
import { writeHandoffData } from '../integrations/hubspot/handoff-codec.js';
import { QUEUES } from '../jobs/queue.js';
import type { AuditEvent, StoredHandoff } from '../store/portal-store.js';
import { correctionViewsOf } from './corrections.js';
import { type DealContext, loadDealContext } from './deal-context.js';
import { billingView, handoffCard, permissionsFor } from './handoff-view.js';
import { planWithLineItemTax } from './line-item-tax.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

export interface Loaded {
  deal: DealContext;
  templates: HandoffTemplate[];
  /** One per template, in template order (sending side first). */
  handoffs: Array<{ stored: StoredHandoff; template: HandoffTemplate; evaluation: HandoffEvaluation }>;
}

function actorOf(ctx: Ctx) {
  return { userId: ctx.user.id, roles: ctx.user.roles, teams: ctx.user.teams };
}

function eventToAudit(e: HandoffEvent, extra: Record<string, unknown> = {}): AuditEvent {
  const payload: Record<string, unknown> = { from: e.from, to: e.to, ...extra };
  if (e.reason) payload.reason = e.reason;
  if (e.note) payload.note = e.note;
  if (e.exceptionIds) payload.exceptionIds = e.exceptionIds;
  if (e.templateVersion) payload.templateVersion = e.templateVersion;
  return { handoffId: e.handoffId, type: e.type, actor: e.actor, at: e.at, payload };
}

/** Renewal handoffs (ops → sales) come long after billing; they never gate a deal nor stand for its billing. */
export function isRenewalTemplate(t: HandoffTemplate): boolean {
  return t.entryCriteria.kind === 'renewal_due';
}

/** Templates in dependency order: a template entered when another is accepted comes after that one; renewal last. */
function ordered(templates: HandoffTemplate[]): HandoffTemplate[] {
  const rank = (t: HandoffTemplate): number => {
    const c = t.entryCriteria;
    if (c.kind === 'renewal_due') return 1000;
    if (c.kind !== 'handoff_accepted') return 0;
    const dep = templates.find((x) => x.id === c.templateId);
    return dep && dep !== t ? rank(dep) + 1 : 1;
  };
  return [...templates].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

/** Values whose billing plan takes the template's default tax where it states none (as billing will). */
function withDefaultTax(values: HandoffDataInput, template: HandoffTemplate): HandoffDataInput {
  if (!template.defaultTax || !values.billingPlan) return values;
  return {
    ...values,
    billingPlan: withTemplateTax(values.billingPlan, template.defaultTax) as HandoffDataInput['billingPlan'],
  };
}

function evaluate(
  ctx: Ctx,
  template: HandoffTemplate,
  values: HandoffDataInput,
  financeSystem: string | null,
  taxSetup?: BooksTaxSetup,
) {
  const known = financeSystem
    ? ctx.services.capabilities(financeSystem as 'quickbooks' | 'xero' | 'stripe')
    : undefined;
  // The books' tax codes as last read, so a tax code they lack is caught before signature.
  const caps = known && taxSetup ? { ...known, tax: taxSetup } : known;
  return evaluateHandoff(template, values, {
    now: ctx.now,
    timeZone: ctx.services.settings.timeZone,
    ...(caps ? { capabilities: caps } : {}),
  });
}

/**
 * A deal's context from HubSpot and its handoffs (created on first sight, one per template), each evaluated now.
 * @example const { deal, handoffs } = await loadDealHandoffs(ctx, '1001');
 */
export async function loadDealHandoffs(ctx: Ctx, dealId: string): Promise<Loaded> {
  return load(ctx, dealId);
}

async function load(ctx: Ctx, dealId: string): Promise<Loaded> {
  const { store, crm, settings } = ctx.services;
  const [deal, latest, existing, connection] = await Promise.all([
    loadDealContext(crm, settings, dealId),
    store.templates.latest(),
    store.handoffs.byDeal(dealId),
    store.finance.connection(),
  ]);
  if (latest.length === 0) {
    throw new DomainError('not_found', 'No handoff templates are configured for this portal; open the app settings');
  }
  const templates = ordered(latest);
  const handoffs: Loaded['handoffs'] = [];
  for (const latestTemplate of templates) {
    let stored: StoredHandoff | undefined;
    if (isRenewalTemplate(latestTemplate)) {
      // Created only by the renewal sweep; a deal shows its latest renewal.
      stored = existing.filter((s) => s.handoff.templateId === latestTemplate.id).at(-1);
      if (!stored) continue;
    } else {
      stored = existing.find((s) => s.handoff.templateId === latestTemplate.id);
    }
    if (!stored) stored = await createFor(ctx, dealId, deal, latestTemplate);
    let template = latestTemplate;
    if (stored.handoff.templateVersion !== latestTemplate.version) {
      if (stored.handoff.state === 'draft') {
        // A draft follows the newest template; anything submitted keeps the version it was judged against.
        const adopted = adoptTemplateVersion(stored.handoff, latestTemplate, ctx.now);
        stored = await store.handoffs.update({ ...stored, handoff: adopted });
      } else {
        template = (await store.templates.get(latestTemplate.id, stored.handoff.templateVersion)) ?? latestTemplate;
      }
    }
    handoffs.push({
      stored,
      template,
      evaluation: evaluate(
        ctx,
        template,
        withDefaultTax(deal.values, template),
        connection?.system ?? null,
        connection?.taxSetup,
      ),
    });
  }
  return { deal, templates, handoffs };
}

async function createFor(
  ctx: Ctx,
  dealId: string,
  deal: DealContext,
  template: HandoffTemplate,
): Promise<StoredHandoff> {
  const { store } = ctx.services;
  const owner = deal.deal.properties.hubspot_owner_id ?? null;
  const properties = Object.fromEntries(Object.entries(deal.deal.properties).map(([k, v]) => [k, v ?? null]));
  const h = createHandoff({ id: randomUUID(), dealId, deal: { ownerId: owner, properties } }, template, ctx.now);
  try {
    return await store.transaction(async (tx) => {
      const saved = await tx.handoffs.insert(h, {}, null);
      await tx.events.append([
        {
          handoffId: h.id,
          type: 'created',
          actor: ctx.user.id,
          at: ctx.now.toISOString(),
          payload: { templateVersion: h.templateVersion },
        },
      ]);
      return saved;
    });
  } catch (e) {
    // Two first views at once: the other one created it; use that.
    const again = (await store.handoffs.byDeal(dealId)).find((s) => s.handoff.templateId === template.id);
    if (again) return again;
    throw e;
  }
}

async function render(ctx: Ctx, loaded: Loaded): Promise<HandoffView> {
  const { store, settings } = ctx.services;
  const { deal } = loaded;
  const connection = await store.finance.connection();
  const cards = [];
  for (const { stored, template, evaluation } of loaded.handoffs) {
    const [exceptions, events] = await Promise.all([
      store.exceptions.list(stored.handoff.id),
      store.events.list(stored.handoff.id, 50),
    ]);
    cards.push(
      handoffCard({
        handoff: stored.handoff,
        revision: stored.revision,
        template,
        evaluation,
        values: deal.values,
        exceptions,
        events,
        user: ctx.user,
        now: ctx.now,
        timeZone: settings.timeZone,
        names: settings.users,
      }),
    );
  }
  const billingHandoff = loaded.handoffs.filter((h) => !isRenewalTemplate(h.template)).at(-1)?.stored.handoff;
  const setup = billingHandoff ? await store.billing.setupByHandoff(billingHandoff.id) : null;
  const invoices = setup ? await store.billing.invoices(setup.id) : [];
  const link = connection && deal.company ? await store.finance.link(connection.system, deal.company.id) : null;
  const amount = deal.values.contractValue;
  return {
    deal: {
      id: deal.deal.id,
      name: deal.deal.properties.dealname ?? `Deal ${deal.deal.id}`,
      stageLabel: deal.stage?.label ?? null,
      isWon: deal.isWon,
      amount: amount && typeof amount === 'object' && Number.isSafeInteger(amount.amount) ? amount : null,
    },
    handoffs: cards,
    billing: billingView({
      // A line item whose tax cannot be read leaves the plan as stated; starting billing refuses it by name.
      plan: await planWithLineItemTax(ctx.services.crm, deal.values.billingPlan).catch(() => deal.values.billingPlan),
      acceptanceDate: billingHandoff?.decidedAt
        ? todayIn(settings.timeZone, new Date(billingHandoff.decidedAt))
        : undefined,
      setup,
      invoices,
      customerUrl: link?.url ?? null,
      corrections: await correctionViewsOf(ctx, deal.deal.id),
      system: connection?.system ?? null,
      taxCodes: connection?.taxSetup?.codes,
      defaultTax: loaded.handoffs.find((h) => h.stored.handoff.id === billingHandoff?.id)?.template.defaultTax,
      roles: ctx.user.roles,
    }),
    finance: connection
      ? {
          connected: connection.status === 'connected',
          system: connection.system,
          displayName: ctx.services.capabilities(connection.system).displayName,
          status: connection.status,
        }
      : { connected: false, system: null, displayName: null, status: 'not_connected' },
    user: { id: ctx.user.id, roles: ctx.user.roles, teams: ctx.user.teams },
  };
}

function pick(loaded: Loaded, dealId: string, handoffId: string) {
  const found = loaded.handoffs.find((h) => h.stored.handoff.id === handoffId);
  if (!found) throw new DomainError('not_found', `Deal ${dealId} has no handoff ${handoffId}`, 'handoffId');
  return found;
}

function requireRevision(stored: StoredHandoff, revision: number): void {
  if (stored.revision !== revision) {
    throw new DomainError(
      'conflict',
      'This handoff changed since you opened it; reload to see the latest version',
      'revision',
    );
  }
}

/** The deal's handoff state and percentage, mirrored onto deal properties for lists, workflows and reports. */
async function mirrorStatus(ctx: Ctx, loaded: Loaded): Promise<void> {
  const handoffs = loaded.handoffs.filter((h) => !isRenewalTemplate(h.template));
  const current =
    handoffs.find((h) => !['accepted', 'billing_pending', 'billing_live'].includes(h.stored.handoff.state)) ??
    handoffs.at(-1);
  if (!current) return;
  await ctx.services.crm.batchUpdateDeals([
    {
      id: loaded.deal.deal.id,
      properties: {
        rh_handoff_status: current.stored.handoff.state,
        rh_handoff_percent_complete: current.evaluation.percentComplete,
      },
    },
  ]);
}

/** Saves a transition: new record, audit event(s), fresh evaluation snapshot — all or nothing. */
async function persist(
  ctx: Ctx,
  item: Loaded['handoffs'][number],
  next: Handoff,
  events: AuditEvent[],
  values: HandoffDataInput,
): Promise<void> {
  await ctx.services.store.transaction(async (tx) => {
    await tx.handoffs.update({ ...item.stored, handoff: next, data: values as never, evaluation: item.evaluation });
    await tx.events.append(events);
  });
}

/** @example await getHandoffView(ctx, { dealId: '1001' }) */
export async function getHandoffView(ctx: Ctx, input: z.output<typeof GetHandoffViewInput>): Promise<HandoffView> {
  return render(ctx, await load(ctx, input.dealId));
}

/**
 * Validates each changed field with the same schema the card uses, writes them to HubSpot (deal, company, billing
 * contact), records the evaluation, and answers the fresh view. Nothing is written when any value is invalid.
 * @example await saveHandoffFields(ctx, { dealId, handoffId, revision: 3, values: { poNumber: 'PO-7' } })
 */
export async function saveHandoffFields(
  ctx: Ctx,
  input: z.output<typeof SaveHandoffFieldsInput>,
): Promise<HandoffView> {
  const loaded = await load(ctx, input.dealId);
  const item = pick(loaded, input.dealId, input.handoffId);
  requireRevision(item.stored, input.revision);
  const can = permissionsFor(item.stored.handoff, item.template, item.evaluation, [], ctx.user, ctx.now);
  if (!can.edit) {
    throw new DomainError(
      'forbidden',
      item.stored.handoff.state === 'draft' || item.stored.handoff.state === 'rejected'
        ? 'Only the sending side (sales, customer success, revops) can fill in a handoff'
        : `A ${item.stored.handoff.state} handoff cannot be edited`,
      'values',
    );
  }
  const issues: Issue[] = [];
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input.values)) {
    if (!isHandoffFieldKey(key)) {
      issues.push({ path: `values.${key}`, message: 'is not a handoff field' });
      continue;
    }
    const v = validateField(key, value);
    if (v.ok) clean[key] = v.value;
    else issues.push(...v.issues.map((i) => ({ path: `values.${i.path}`, message: i.message })));
  }
  const first = issues[0];
  if (first) {
    throw new DomainError(
      'invalid_input',
      first.message + (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
      first.path,
      issues,
    );
  }
  const writes = writeHandoffData(clean);
  const { crm } = ctx.services;
  const deal = loaded.deal;
  if (Object.keys(writes.companies).length > 0 && !deal.company) {
    throw new DomainError(
      'invalid_input',
      'Associate a company with this deal before entering billing-entity details',
      'values',
    );
  }
  if (Object.keys(writes.contacts).length > 0 && !deal.billingContact) {
    throw new DomainError(
      'invalid_input',
      'Choose the billing (AP) contact among the deal’s contacts first; its name and email are kept on that contact',
      'values.billingContact',
    );
  }
  if (Object.keys(writes.deals).length > 0)
    await crm.batchUpdateDeals([{ id: deal.deal.id, properties: writes.deals }]);
  if (deal.company && Object.keys(writes.companies).length > 0) {
    await crm.batchUpdateCompanies([{ id: deal.company.id, properties: writes.companies }]);
  }
  if (deal.billingContact && Object.keys(writes.contacts).length > 0) {
    await crm.batchUpdateContacts([{ id: deal.billingContact.id, properties: writes.contacts }]);
  }

  const fresh = await load(ctx, input.dealId);
  const after = pick(fresh, input.dealId, input.handoffId);
  await ctx.services.store.transaction(async (tx) => {
    await tx.handoffs.update({ ...after.stored, data: fresh.deal.values as never, evaluation: after.evaluation });
    await tx.events.append([
      {
        handoffId: after.stored.handoff.id,
        type: 'fields_saved',
        actor: ctx.user.id,
        at: ctx.now.toISOString(),
        payload: { fields: Object.keys(clean), percentComplete: after.evaluation.percentComplete },
      },
    ]);
  });
  await mirrorStatus(ctx, fresh);
  return render(ctx, await load(ctx, input.dealId));
}

/**
 * Submits (or resubmits after a rejection) a complete handoff to the receiving team, starting its SLA clock.
 * @example await submitHandoff(ctx, { dealId, handoffId, revision })
 */
export async function submitHandoff(ctx: Ctx, input: z.output<typeof SubmitHandoffInput>): Promise<HandoffView> {
  const loaded = await load(ctx, input.dealId);
  const item = pick(loaded, input.dealId, input.handoffId);
  requireRevision(item.stored, input.revision);
  const { handoff } = item.stored;
  const accepted = loaded.handoffs
    .filter(
      (h) =>
        h.stored.handoff.decidedAt &&
        ['accepted', 'billing_pending', 'billing_live', 'billing_failed'].includes(h.stored.handoff.state),
    )
    .map((h) => h.stored.handoff.templateId);
  const stage = loaded.deal.deal.properties.dealstage ?? '';
  const entered =
    meetsEntryCriteria(item.template, { stage, acceptedTemplateIds: accepted }) ||
    (loaded.deal.isWon && meetsEntryCriteria(item.template, { stage: 'closedwon', acceptedTemplateIds: accepted }));
  if (!entered) {
    const c = item.template.entryCriteria;
    const why =
      c.kind === 'handoff_accepted'
        ? `after the ${loaded.templates.find((t) => t.id === c.templateId)?.name ?? c.templateId} handoff is accepted`
        : c.kind === 'deal_stage'
          ? 'once the deal is won'
          : 'now';
    throw new DomainError('invalid_transition', `This handoff can be submitted ${why}`, 'handoffId');
  }
  const exceptions = await ctx.services.store.exceptions.list(handoff.id);
  const action: HandoffAction = {
    type: handoff.state === 'rejected' ? 'resubmit' : 'submit',
    evaluation: item.evaluation,
    exceptions,
  };
  const { handoff: next, event } = transition(handoff, action, actorOf(ctx), ctx.now);
  await persist(
    ctx,
    item,
    next,
    [eventToAudit(event, { percentComplete: item.evaluation.percentComplete })],
    loaded.deal.values,
  );
  const fresh = await load(ctx, input.dealId);
  await mirrorStatus(ctx, fresh);
  return render(ctx, fresh);
}

/**
 * Starts billing setup for an accepted handoff: one setup per handoff, a durable job queued; never calls a finance
 * API here. Without a connected finance system the handoff waits, and says so in its thread.
 */
async function startBilling(ctx: Ctx, loaded: Loaded, stored: StoredHandoff): Promise<Handoff> {
  const handoff = stored.handoff;
  const { store, queue } = ctx.services;
  const connection = await store.finance.connection();
  if (connection?.status !== 'connected') {
    await store.events.append([
      {
        handoffId: handoff.id,
        type: 'billing_waiting',
        actor: SYSTEM_ACTOR.userId,
        at: ctx.now.toISOString(),
        payload: {
          message: 'Billing setup waits for a connected finance system (open the app settings to connect one).',
        },
      },
    ]);
    return handoff;
  }
  const template = loaded.handoffs.find((h) => h.stored.handoff.id === handoff.id)?.template;
  // The template's default tax is fixed into the plan billing setup keeps, so later template edits change nothing synced.
  const plan = withTemplateTax(
    await planWithLineItemTax(ctx.services.crm, loaded.deal.values.billingPlan),
    template?.defaultTax,
  ) as typeof loaded.deal.values.billingPlan;
  const schedule = generateSchedule(plan, { acceptanceDate: todayIn(ctx.services.settings.timeZone, ctx.now) });
  const { handoff: pending, event } = transition(handoff, { type: 'start_billing' }, SYSTEM_ACTOR, ctx.now);
  const setup = await store.billing.ensureSetup({
    handoffId: handoff.id,
    dealId: loaded.deal.deal.id,
    companyId: loaded.deal.company?.id ?? null,
    system: connection.system,
    plan,
    schedule,
    // Fixed with the setup like the plan: a later template edit does not change how its invoices are shown.
    scheduledAs: template?.quickbooksScheduledAs ?? 'held',
  });
  // The state is saved before the job is sent, so the worker always finds billing_pending.
  await store.transaction(async (tx) => {
    await tx.handoffs.update({ ...stored, handoff: pending });
    await tx.events.append([eventToAudit(event, { setupId: setup.id })]);
  });
  if (!queue) throw new Error('no job queue to start billing setup');
  await queue.send(
    QUEUES.billingSetup.name,
    { portalId: ctx.portalId, setupId: setup.id, handoffId: handoff.id },
    { singletonKey: `setup:${ctx.portalId}:${handoff.id}` },
  );
  return pending;
}

/**
 * The receiving team accepts or rejects with a reason; anyone may ask, the sides answer. Accepting a handoff
 * whose template starts billing queues the billing setup.
 * @example await reviewHandoff(ctx, { dealId, handoffId, revision, action: { type: 'reject', reason: 'missing_po', note: '…' } })
 */
export async function reviewHandoff(ctx: Ctx, input: z.output<typeof ReviewHandoffInput>): Promise<HandoffView> {
  const loaded = await load(ctx, input.dealId);
  const item = pick(loaded, input.dealId, input.handoffId);
  if (input.action.type === 'accept' || input.action.type === 'reject') requireRevision(item.stored, input.revision);
  const action: HandoffAction =
    input.action.type === 'accept'
      ? { type: 'accept', ...(input.action.note ? { note: input.action.note } : {}) }
      : input.action.type === 'reject'
        ? { type: 'reject', reason: input.action.reason, note: input.action.note }
        : { type: input.action.type, message: input.action.message };
  const { handoff: next, event } = transition(item.stored.handoff, action, actorOf(ctx), ctx.now);
  const reasonLabel =
    input.action.type === 'reject'
      ? item.stored.handoff.contract.rejectionReasons.find(
          (r) => r.code === (input.action as { reason: string }).reason,
        )?.label
      : undefined;
  await persist(ctx, item, next, [eventToAudit(event, reasonLabel ? { reasonLabel } : {})], loaded.deal.values);
  if (nextAutomaticAction(next) === 'start_billing') {
    const reloaded = await load(ctx, input.dealId);
    const again = pick(reloaded, input.dealId, input.handoffId);
    await startBilling(ctx, reloaded, again.stored);
  }
  const fresh = await load(ctx, input.dealId);
  await mirrorStatus(ctx, fresh);
  return render(ctx, fresh);
}

/**
 * Asks the exception owner to waive blocking fields, with a reason and an expiry.
 * @example await requestHandoffException(ctx, { dealId, handoffId, reason: 'PO arrives after signature', waives: ['poNumber'] })
 */
export async function requestHandoffException(
  ctx: Ctx,
  input: z.output<typeof RequestExceptionInput>,
): Promise<HandoffView> {
  const loaded = await load(ctx, input.dealId);
  const item = pick(loaded, input.dealId, input.handoffId);
  const expiresAt = input.expiresInDays ? new Date(ctx.now.getTime() + input.expiresInDays * 86_400_000) : undefined;
  const ex = requestException(
    {
      id: randomUUID(),
      handoffId: item.stored.handoff.id,
      reason: input.reason,
      waives: input.waives,
      ...(expiresAt ? { expiresAt } : {}),
    },
    item.template,
    actorOf(ctx),
    ctx.now,
  );
  await ctx.services.store.transaction(async (tx) => {
    await tx.exceptions.save(ex);
    await tx.events.append([
      {
        handoffId: ex.handoffId,
        type: 'exception_requested',
        actor: ctx.user.id,
        at: ctx.now.toISOString(),
        payload: { exceptionId: ex.id, waives: ex.waives, note: ex.reason, approverRole: ex.approverRole },
      },
    ]);
  });
  return render(ctx, await load(ctx, input.dealId));
}

/**
 * The exception owner approves or denies (never their own request).
 * @example await decideHandoffException(ctx, { dealId, exceptionId, decision: 'approve' })
 */
export async function decideHandoffException(
  ctx: Ctx,
  input: z.output<typeof DecideExceptionInput>,
): Promise<HandoffView> {
  const { store } = ctx.services;
  const ex = await store.exceptions.get(input.exceptionId);
  const loaded = await load(ctx, input.dealId);
  if (!ex || !loaded.handoffs.some((h) => h.stored.handoff.id === ex.handoffId)) {
    throw new DomainError('not_found', `Deal ${input.dealId} has no exception ${input.exceptionId}`, 'exceptionId');
  }
  const decided = decideException(
    ex,
    { decision: input.decision, ...(input.note ? { note: input.note } : {}) },
    actorOf(ctx),
    ctx.now,
  );
  await store.transaction(async (tx) => {
    await tx.exceptions.save(decided);
    await tx.events.append([
      {
        handoffId: ex.handoffId,
        type: input.decision === 'approve' ? 'exception_approved' : 'exception_denied',
        actor: ctx.user.id,
        at: ctx.now.toISOString(),
        payload: { exceptionId: ex.id, waives: ex.waives, ...(input.note ? { note: input.note } : {}) },
      },
    ]);
  });
  return render(ctx, await load(ctx, input.dealId));
}

/**
 * Starts billing setup for an accepted handoff that has not started (e.g. the finance system was connected later),
 * or retries a failed one. Enqueues; never calls a finance API inline.
 * @example await syncBillingSetup(ctx, { dealId, handoffId })
 */
export async function syncBillingSetup(ctx: Ctx, input: z.output<typeof SyncBillingSetupInput>): Promise<HandoffView> {
  const loaded = await load(ctx, input.dealId);
  const item = pick(loaded, input.dealId, input.handoffId);
  const h = item.stored.handoff;
  if (h.state === 'accepted') {
    const started = await startBilling(ctx, loaded, item.stored);
    if (started === h)
      throw new DomainError('conflict', 'Connect a finance system in the app settings before starting billing setup');
  } else if (h.state === 'billing_failed') {
    const { handoff: next, event } = transition(h, { type: 'retry_billing' }, actorOf(ctx), ctx.now);
    const setup = await ctx.services.store.billing.setupByHandoff(h.id);
    if (!setup) throw new DomainError('not_found', 'This handoff has no billing setup to retry', 'handoffId');
    await ctx.services.store.transaction(async (tx) => {
      await tx.handoffs.update({ ...item.stored, handoff: next });
      await tx.billing.markStatus(setup.id, 'pending', setup.lastError);
      await tx.events.append([eventToAudit(event, { setupId: setup.id })]);
    });
    if (!ctx.services.queue) throw new Error('no job queue to retry billing setup');
    await ctx.services.queue.send(
      QUEUES.billingSetup.name,
      { portalId: ctx.portalId, setupId: setup.id, handoffId: h.id },
      { singletonKey: `setup:${ctx.portalId}:${h.id}` },
    );
  } else {
    throw new DomainError(
      'invalid_transition',
      `Billing setup starts after acceptance; this handoff is ${h.state}`,
      'handoffId',
    );
  }
  const fresh = await load(ctx, input.dealId);
  await mirrorStatus(ctx, fresh);
  return render(ctx, fresh);
}
