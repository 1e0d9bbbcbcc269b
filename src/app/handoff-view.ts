import type { CallingUser } from '../../serverless/handler.js';
import type { BillingView, FieldView, HandoffCard } from '../api/contracts.js';
import { BillingPlanSchema } from '../billing/plan.js';
import { generateSchedule } from '../billing/schedule.js';
import { BillingScheduleSchema } from '../billing/schedule-model.js';
import { type BooksTaxCode, scheduleTax, TAX_ROUNDING, type TaxTreatment, withTemplateTax } from '../billing/tax.js';
import { isDomainError } from '../core/errors.js';
import type { HandoffEvaluation } from '../handoff/evaluation.js';
import { exceptionStatusAt, type HandoffException } from '../handoff/exceptions.js';
import { fieldDefinition, type HandoffDataInput, type HandoffFieldKey } from '../handoff/fields.js';
import { allowedActions, type Handoff } from '../handoff/lifecycle.js';
import { slaClock } from '../handoff/sla.js';
import type { HandoffTemplate } from '../handoff/template.js';
import type { AuditEvent, BillingSetupRow, ScheduledInvoiceRow } from '../store/portal-store.js';
import { invoiceActions } from './invoice-actions.js';

/** Roles that fill in handoffs (the sending side); reviewers only review. */
const EDITOR_ROLES = ['sales', 'customer_success', 'revops'];

/** What a user may do with a handoff now, mirroring the rules the domain enforces on the action itself. */
export function permissionsFor(
  handoff: Handoff,
  template: HandoffTemplate,
  evaluation: HandoffEvaluation,
  exceptions: ReadonlyArray<HandoffException>,
  user: CallingUser,
  now: Date,
): HandoffCard['can'] {
  const allowed = new Set(allowedActions(handoff.state));
  const editor = user.roles.some((r) => EDITOR_ROLES.includes(r));
  const receiving =
    user.teams.includes(handoff.contract.toTeam) ||
    (handoff.receivingOwner.kind === 'user' && handoff.receivingOwner.userId === user.id) ||
    (handoff.receivingOwner.kind === 'team' && user.teams.includes(handoff.receivingOwner.teamId));
  const editable = handoff.state === 'draft' || handoff.state === 'rejected';
  const pending = exceptions.some((e) => exceptionStatusAt(e, now) === 'requested');
  return {
    edit: editable && editor,
    submit: editable && editor && (allowed.has('submit') || allowed.has('resubmit')),
    review: handoff.state === 'submitted' && receiving,
    ask: true,
    answer: editor || receiving,
    requestException: editable && editor && !evaluation.complete,
    decideException: pending && user.roles.includes(template.exceptionOwnerRole),
    retryBilling: handoff.state === 'billing_failed' && (receiving || user.roles.includes('revops')),
  };
}

function fieldViews(evaluation: HandoffEvaluation, values: HandoffDataInput): FieldView[] {
  return evaluation.fields.map((f) => {
    const def = fieldDefinition(f.key);
    return {
      key: f.key,
      label: f.label,
      section: f.section,
      type: def.type,
      help: def.help,
      ...(def.options ? { options: def.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
      status: f.status,
      severity: f.severity,
      ...(f.reason ? { reason: f.reason } : {}),
      required: f.required,
      value: (values as Record<HandoffFieldKey, unknown>)[f.key] ?? null,
    };
  });
}

/** The thread's words for who did something. @example actorName('3003', { '3003': { name: 'Frankie Finance' } }) */
export function actorName(
  actor: string,
  names?: Readonly<Record<string, { name?: string | undefined } | undefined>>,
): string {
  if (actor === 'system') return 'Revenue Handoff';
  return names?.[actor]?.name ?? `User ${actor}`;
}

function threadText(e: AuditEvent): string | undefined {
  const p = e.payload;
  const text = [p.reasonLabel, p.note, p.message, p.summary].filter((x) => typeof x === 'string' && x.length > 0);
  return text.length ? text.join(' — ') : undefined;
}

/**
 * One handoff as the card shows it.
 * @example handoffCard({ handoff, revision, template, evaluation, values, exceptions, events, user, now, timeZone })
 */
export function handoffCard(input: {
  handoff: Handoff;
  revision: number;
  template: HandoffTemplate;
  evaluation: HandoffEvaluation;
  values: HandoffDataInput;
  exceptions: ReadonlyArray<HandoffException>;
  events: ReadonlyArray<AuditEvent>;
  user: CallingUser;
  now: Date;
  timeZone: string;
  /** Display names of HubSpot users (portal settings), for the thread. */
  names?: Readonly<Record<string, { name?: string | undefined } | undefined>>;
}): HandoffCard {
  const { handoff: h, template, evaluation, now } = input;
  const clock = slaClock({ handoff: h, timeZone: input.timeZone, now });
  const owner = clock.nextStepOwner;
  const reasons = h.contract.rejectionReasons;
  return {
    id: h.id,
    revision: input.revision,
    templateId: h.templateId,
    templateName: template.name,
    templateVersion: h.templateVersion,
    fromTeam: h.contract.fromTeam,
    toTeam: h.contract.toTeam,
    state: h.state,
    percentComplete: evaluation.percentComplete,
    complete: evaluation.complete,
    blockingCount: evaluation.blockingCount,
    warningCount: evaluation.warningCount,
    fields: fieldViews(evaluation, input.values),
    suggestions: evaluation.suggestions.map((s) => ({ field: s.field, kind: s.kind, message: s.message })),
    sla: {
      status: clock.status,
      dueAt: clock.dueAt,
      remainingMs: clock.remainingMs,
      overdueMs: clock.overdueMs,
      nextStepOwner: !owner
        ? null
        : owner.kind === 'team'
          ? owner.teamId
          : owner.kind === 'user'
            ? `user ${owner.userId}`
            : 'Revenue Handoff (automatic)',
    },
    rejection: h.rejection
      ? {
          reason: h.rejection.reason,
          reasonLabel: reasons.find((r) => r.code === h.rejection?.reason)?.label ?? h.rejection.reason,
          note: h.rejection.note,
        }
      : null,
    rejectionReasons: reasons.map((r) => ({ code: r.code, label: r.label })),
    can: permissionsFor(h, template, evaluation, input.exceptions, input.user, now),
    exceptions: input.exceptions.map((e) => ({
      id: e.id,
      status: exceptionStatusAt(e, now),
      reason: e.reason,
      waives: e.waives,
      requestedBy: e.requestedBy,
      requestedAt: e.requestedAt,
      expiresAt: e.expiresAt,
      approverRole: e.approverRole,
      ...(e.decidedBy ? { decidedBy: e.decidedBy } : {}),
      ...(e.decisionNote ? { decisionNote: e.decisionNote } : {}),
    })),
    thread: input.events.map((e) => {
      const text = threadText(e);
      return {
        type: e.type,
        actor: e.actor,
        actorName: actorName(e.actor, input.names),
        at: e.at,
        ...(text ? { text } : {}),
      };
    }),
  };
}

/**
 * The billing part of the view: the schedule the plan would create (or did), setup status, finance link, error.
 * @example billingView({ plan: values.billingPlan, acceptanceDate, setup, invoices, customerUrl })
 */
export function billingView(input: {
  plan: unknown;
  acceptanceDate?: string | undefined;
  setup: BillingSetupRow | null;
  invoices: ReadonlyArray<ScheduledInvoiceRow>;
  customerUrl: string | null;
  system: BillingView['system'];
  corrections?: BillingView['corrections'];
  /** The billing template's default tax, for lines the plan gives none. */
  defaultTax?: TaxTreatment | undefined;
  /** The connected books' tax codes as last read (the plan editor offers them). */
  taxCodes?: ReadonlyArray<BooksTaxCode> | undefined;
  /** The viewing user's roles: which invoice actions the card offers. */
  roles?: ReadonlyArray<string>;
}): BillingView {
  let preview: BillingView['preview'] = null;
  let previewNote: string | null = null;
  const plan = input.setup?.plan ?? withTemplateTax(input.plan, input.defaultTax);
  if (plan === undefined || plan === null) {
    previewNote = 'Add a billing plan to see the invoices billing setup would create.';
  } else {
    try {
      const s = generateSchedule(plan, input.acceptanceDate ? { acceptanceDate: input.acceptanceDate } : undefined);
      const rounding = TAX_ROUNDING[input.setup?.system ?? input.system ?? 'xero'];
      const tax = scheduleTax(s, BillingPlanSchema.parse(plan), rounding);
      preview = { invoices: s.invoices, contractValue: s.contractValue, tax };
    } catch (e) {
      previewNote = isDomainError(e)
        ? `The billing plan cannot be scheduled yet: ${e.message}`
        : 'The billing plan cannot be scheduled.';
    }
  }
  const setup = input.setup;
  const schedule = BillingScheduleSchema.safeParse(setup?.schedule);
  const milestoneOf = new Map(
    (schedule.success ? schedule.data.invoices : []).flatMap((i) => (i.milestoneId ? [[i.key, i.milestoneId]] : [])),
  );
  return {
    preview,
    previewNote,
    status: setup ? setup.status : 'not_started',
    handoffId: setup?.handoffId ?? null,
    system: setup?.system ?? input.system,
    ...(input.taxCodes ? { taxCodes: input.taxCodes.map((c) => ({ ...c })) } : {}),
    customerUrl: input.customerUrl,
    error:
      setup?.status === 'failed' && setup.lastError
        ? { message: setup.lastError.message, at: setup.lastError.at }
        : null,
    invoices: input.invoices.map((i) => {
      const milestoneId = milestoneOf.get(i.key) ?? null;
      return {
        key: i.key,
        status: i.status,
        issueDate: i.issueDate,
        total: i.total,
        url: i.url,
        milestoneId,
        ...(i.estimate
          ? { estimate: { number: i.estimate.number, url: i.estimate.url, status: i.estimate.status } }
          : {}),
        ...invoiceActions(input.roles ?? [], i, milestoneId),
      };
    }),
    ...(input.corrections ? { corrections: input.corrections } : {}),
  };
}
