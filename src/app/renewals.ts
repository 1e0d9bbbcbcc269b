import { randomUUID } from 'node:crypto';
import type { CallingUser, HandlerContext } from '../../serverless/handler.js';
import type { PaymentStatusView } from '../api/contracts.js';
import { type CalendarDay, minDay, plusDays, startOfDayIn, todayIn } from '../core/dates.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { formatMoney, type Money, sumMoney } from '../core/money.js';
import { type HandoffDataInput, validateField } from '../handoff/fields.js';
import { createHandoff } from '../handoff/lifecycle.js';
import { parseRenewalDate, planRenewals, type RenewalContract, type RenewalDue } from '../handoff/renewal-plan.js';
import type { HandoffTemplate } from '../handoff/template.js';
import { DEFAULT_CS_TO_SALES_RENEWAL } from '../handoff/templates/default-cs-to-sales-renewal.js';
import { readHandoffData, writeHandoffData } from '../integrations/hubspot/handoff-codec.js';
import { HANDOFF_FIELD_PROPERTIES, refsOf } from '../integrations/hubspot/properties.js';
import type { PortalStore } from '../store/portal-store.js';
import { type RenewalRow, type RenewalSource, renewalStore } from '../store/renewal-store.js';
import { type DealContext, dealPipelines, loadDealContext } from './deal-context.js';
import { getPaymentStatus } from './payment-status.js';
import type { AppServices } from './services.js';

/**
 * The renewal handoff (ops → sales, issue #10): for every contract whose renewal date is within the portal's lead
 * days, exactly one renewal handoff on the deal for the account owner, prefilled with usage against commitment
 * and payment health; a HubSpot task for the owner; a reminder task at each reminder threshold; optionally one
 * renewal deal. Each step has a deterministic key (deal, renewal date, step) and a recorded outcome: the handoff
 * is claimed by the `renewals` primary key in the same transaction that inserts it; each HubSpot write is
 * recorded as started before the call and done with the record's id after, and a started-but-not-done step is
 * looked up in HubSpot (task by subject and deal, renewal deal by `rh_renewal_of`) before anything is created
 * again. Sweeps, retries and crashes between any two steps therefore end with one of each.
 */

export const RENEWAL_TEMPLATE_ID = DEFAULT_CS_TO_SALES_RENEWAL.id;

/** The fact recorded for each renewal handoff created (the monthly audit counts them). */
export const RENEWAL_FACT = 'renewal_handoff_created';

const SYSTEM_USER: CallingUser = { id: 'system', roles: ['system'], teams: [] };

export interface RenewalSweepOptions {
  /** Called at each crash-safe point of a contract (tests throw from it to play a crash). */
  checkpoint?: (name: string, dealId: string) => Promise<void>;
}

export interface RenewalOutcome {
  dealId: string;
  renewalDate: string;
  handoffId: string | null;
  /** Steps completed by this run (`handoff`, `prefill`, `task`, `deal`, `reminder:60`, …). */
  done: string[];
  /** Why this contract stopped: a bad renewal date, a deleted deal, a pipeline that does not exist… */
  error?: { path: string; message: string };
}

export interface RenewalSweepResult {
  today: CalendarDay;
  outcomes: RenewalOutcome[];
}

/** The key a renewal deal carries in `rh_renewal_of`, and the prefix of every step key. */
export function renewalKey(dealId: string, renewalDate: CalendarDay): string {
  return `${dealId}:${renewalDate}`;
}

/**
 * Runs the renewal sweep for one portal: plans what is due today (portal time) and makes sure of each step.
 * A contract that cannot proceed (bad renewal date, deleted deal, misconfigured pipeline) is reported in its
 * outcome and does not stop the others; an unexpected failure (HubSpot down) is rethrown after every contract was
 * tried, so the queue retries the sweep — which repeats nothing already done.
 * @example await sweepRenewals(services, 42, new Date())
 */
export async function sweepRenewals(
  services: AppServices,
  portalId: number,
  now: Date,
  options: RenewalSweepOptions = {},
): Promise<RenewalSweepResult> {
  const { store, settings } = services;
  const renewals = renewalStore(store.db, portalId);
  const today = todayIn(settings.timeZone, now);
  const outcomes: RenewalOutcome[] = [];
  const existing = new Map((await renewals.all()).map((r) => [renewalKey(r.dealId, r.renewalDate), r]));
  const contracts: RenewalContract[] = [];
  const seen = new Set<string>();
  const sources = await followHubSpotRenewalDates(services, portalId, now, await renewals.sources(RENEWAL_TEMPLATE_ID));
  for (const source of sources) {
    let renewalDate: CalendarDay;
    try {
      renewalDate = parseRenewalDate(source.renewalDate, `deal ${source.dealId} renewalDate`);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      outcomes.push({
        dealId: source.dealId,
        renewalDate: String(source.renewalDate),
        handoffId: null,
        done: [],
        error: { path: 'renewalDate', message: e.message },
      });
      continue;
    }
    const key = renewalKey(source.dealId, renewalDate);
    if (seen.has(key)) continue;
    seen.add(key);
    const row = existing.get(key);
    contracts.push({
      dealId: source.dealId,
      renewalDate,
      ...(row ? { handoffCreatedOn: row.createdOn } : {}),
    });
  }
  const due = planRenewals({
    contracts,
    now,
    timeZone: settings.timeZone,
    settings: { leadDays: settings.renewals.leadDays, reminderDays: settings.renewals.reminderDays },
  });
  let unexpected: unknown = null;
  for (const item of due) {
    const outcome: RenewalOutcome = { dealId: item.dealId, renewalDate: item.renewalDate, handoffId: null, done: [] };
    outcomes.push(outcome);
    try {
      await renewContract(services, portalId, now, today, item, outcome, options);
    } catch (e) {
      if (isDomainError(e)) {
        outcome.error = { path: e.path, message: e.message };
      } else {
        services.logger.warn({ err: e, dealId: item.dealId }, 'renewal step failed; the sweep will be retried');
        outcome.error = { path: '', message: e instanceof Error ? e.message : String(e) };
        unexpected ??= e;
      }
    }
  }
  if (unexpected) throw unexpected;
  return { today, outcomes };
}

/**
 * The renewal date as HubSpot holds it now: someone may have moved it on the deal after the handoff was accepted.
 * One batch read per 100 contracts; a valid new date moves the stored handoffs' date (with a
 * `renewal_date_changed` event on each) and is what the sweep plans with. A date HubSpot holds that is not a real
 * day is not taken: the stored date stays and the sweep goes on with it (the log names the deal and the value).
 * A cleared date or a deleted deal changes nothing here.
 */
async function followHubSpotRenewalDates(
  services: AppServices,
  portalId: number,
  now: Date,
  sources: RenewalSource[],
): Promise<RenewalSource[]> {
  if (sources.length === 0) return sources;
  const properties = refsOf(HANDOFF_FIELD_PROPERTIES.renewalDate).map((r) => r.property);
  const records = await services.crm.batchReadDeals(
    sources.map((s) => s.dealId),
    properties,
  );
  const current = new Map(
    records.map((r) => [r.id, readHandoffData({ deal: r, company: null, billingContact: null }).renewalDate]),
  );
  const out: RenewalSource[] = [];
  for (const source of sources) {
    const held = current.get(source.dealId);
    if (held === undefined || held === null || held === '' || held === source.renewalDate) {
      out.push(source);
      continue;
    }
    let to: CalendarDay;
    try {
      to = parseRenewalDate(held, `deal ${source.dealId} ${properties.join(', ')}`);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      services.logger.warn({ dealId: source.dealId, value: held }, `${e.message}; the stored renewal date stays`);
      out.push(source);
      continue;
    }
    const from = source.renewalDate;
    await services.store.transaction(async (tx) => {
      const moved = await renewalStore(tx.db, portalId).moveRenewalDate(
        source.dealId,
        from,
        to,
        RENEWAL_TEMPLATE_ID,
        now,
      );
      await tx.events.append(
        moved.map((handoffId) => ({
          handoffId,
          type: 'renewal_date_changed',
          actor: 'system',
          at: now.toISOString(),
          payload: { from, to, message: `Renewal date changed in HubSpot: ${String(from)} → ${to}` },
        })),
      );
    });
    out.push({ dealId: source.dealId, renewalDate: to });
  }
  return out;
}

async function renewContract(
  services: AppServices,
  portalId: number,
  now: Date,
  today: CalendarDay,
  item: RenewalDue,
  outcome: RenewalOutcome,
  options: RenewalSweepOptions,
): Promise<void> {
  const { store, crm, settings } = services;
  const checkpoint = async (name: string) => options.checkpoint?.(name, item.dealId);
  const renewals = renewalStore(store.db, portalId);
  const { dealId, renewalDate } = item;
  const known = await renewals.get(dealId, renewalDate);
  if (known) {
    // Most sweeps find nothing to do: answer from the database alone, without reading HubSpot.
    const done = new Set(
      (await renewals.steps(dealId, renewalDate)).filter((s) => s.status === 'done').map((s) => s.step),
    );
    const wanted = [
      'prefill',
      'task',
      ...(settings.renewals.createDeal ? ['deal'] : []),
      ...(item.reminder !== null ? [`reminder:${item.reminder}`] : []),
    ];
    if (wanted.every((w) => done.has(w))) {
      outcome.handoffId = known.handoffId;
      return;
    }
  }
  const deal = await loadDealContext(crm, settings, dealId);
  const dealName = deal.deal.properties.dealname ?? `Deal ${dealId}`;

  let row = known;
  if (!row) {
    row = await createRenewalHandoff(store, portalId, now, today, item, deal);
    outcome.done.push('handoff');
  }
  outcome.handoffId = row.handoffId;
  await checkpoint('handoff');

  const steps = new Map((await renewals.steps(dealId, renewalDate)).map((s) => [s.step, s]));
  const step = async (
    name: string,
    detail: () => Promise<Record<string, unknown>>,
    run: (detail: Record<string, unknown>, retried: boolean) => Promise<string | null>,
  ): Promise<void> => {
    const before = steps.get(name);
    if (before?.status === 'done') return;
    const fixed = await renewals.start(dealId, renewalDate, name, before ? before.detail : await detail());
    await checkpoint(`${name}:started`);
    const id = await run(fixed, before !== undefined);
    await checkpoint(`${name}:performed`);
    await renewals.finish(dealId, renewalDate, name, id);
    outcome.done.push(name);
    await checkpoint(name);
  };

  const ctx: HandlerContext<AppServices> = { portalId, user: SYSTEM_USER, now, logger: services.logger, services };
  let summary: { usage: string; payment: string } | null = null;
  const figures = async () => {
    summary ??= await prefillFigures(ctx, deal, today);
    return summary;
  };

  await step(
    'prefill',
    async () => ({}),
    async () => {
      const { usage, payment } = await figures();
      const writes = writeHandoffData({ usageAgainstCommitment: usage, paymentHealth: payment });
      await crm.batchUpdateDeals([{ id: dealId, properties: writes.deals }]);
      return null;
    },
  );

  const ownerId = deal.deal.properties.hubspot_owner_id ?? undefined;
  const taskTo = { deals: [dealId], ...(deal.company ? { companies: [deal.company.id] } : {}) };
  const task = async (detail: Record<string, unknown>, retried: boolean): Promise<string> => {
    const subject = String(detail.subject);
    if (retried) {
      // The last attempt may have created it before we could record the id.
      const found = await crm.searchObjects('tasks', { hs_task_subject: subject, 'associations.deal': dealId }, [
        'hs_task_subject',
      ]);
      if (found[0]) return found[0].id;
    }
    const created = await crm.createTask({
      subject,
      body: String(detail.body),
      dueAt: new Date(String(detail.dueAt)),
      priority: 'MEDIUM',
      ...(ownerId ? { ownerId } : {}),
      associations: taskTo,
    });
    return created.id;
  };
  const dueDay = minDay(plusDays(today, 7), renewalDate);
  await step(
    'task',
    async () => {
      const { usage, payment } = await figures();
      return {
        subject: `Renewal handoff: ${dealName} renews on ${renewalDate}`,
        body: [
          `${dealName} renews on ${renewalDate} (${item.daysLeft} days). The renewal handoff is on the deal's Handoff checklist card: review it and accept it, or send it back with a reason.`,
          payment && `Payment health: ${payment}`,
          usage && `Usage against commitment: ${usage}`,
        ]
          .filter(Boolean)
          .join('\n\n'),
        dueAt: startOfDayIn(dueDay, settings.timeZone).toISOString(),
      };
    },
    task,
  );

  if (settings.renewals.createDeal) {
    await step(
      'deal',
      async () => ({ dealname: `${dealName} — renewal ${renewalDate}` }),
      async (detail, retried) => {
        const key = renewalKey(dealId, renewalDate);
        if (retried) {
          const found = await crm.searchObjects('deals', { rh_renewal_of: key }, ['dealname']);
          if (found[0]) return found[0].id;
        }
        await requirePipelineStage(services);
        const values = deal.values as HandoffDataInput;
        // Copied only when valid: a value someone typed into HubSpot by hand must not stop the renewal deal.
        const amount = validateField('contractValue', values.contractValue);
        const terms = validateField('renewalTerms', values.renewalTerms);
        const properties: Record<string, string> = {
          dealname: String(detail.dealname),
          pipeline: settings.renewals.pipelineId ?? '',
          dealstage: settings.renewals.stageId ?? '',
          closedate: startOfDayIn(renewalDate, settings.timeZone).toISOString(),
          rh_renewal_of: key,
        };
        if (ownerId) properties.hubspot_owner_id = ownerId;
        const copied = writeHandoffData({
          ...(amount.ok && amount.value ? { contractValue: amount.value as Money } : {}),
          ...(terms.ok && terms.value ? { renewalTerms: terms.value as string } : {}),
        }).deals;
        for (const [k, v] of Object.entries(copied)) if (v !== null && v !== '') properties[k] = String(v);
        const created = await crm.createDeal({
          properties,
          associations: deal.company ? { companies: [deal.company.id] } : {},
        });
        return created.id;
      },
    );
  }

  if (item.reminder !== null) {
    const r = item.reminder;
    await step(
      `reminder:${r}`,
      async () => ({
        subject: `Renewal in ${r} days: ${dealName} renews on ${renewalDate}`,
        body: `${dealName} renews on ${renewalDate}. The renewal handoff is on the deal's Handoff checklist card.\n\nPayment health: ${(await figures()).payment}`,
        dueAt: startOfDayIn(minDay(plusDays(today, 2), renewalDate), settings.timeZone).toISOString(),
      }),
      task,
    );
  }
}

async function requirePipelineStage(services: AppServices): Promise<void> {
  const { pipelineId, stageId } = services.settings.renewals;
  const pipelines = await dealPipelines(services.crm);
  const pipeline = pipelines.find((p) => p.id === pipelineId);
  if (!pipeline) {
    throw new DomainError(
      'invalid_input',
      `settings.renewals.pipelineId: "${pipelineId ?? ''}" is not a deal pipeline of this HubSpot account (pipelines: ${pipelines.map((p) => p.id).join(', ') || 'none'})`,
      'settings.renewals.pipelineId',
    );
  }
  if (!pipeline.stages.some((s) => s.id === stageId)) {
    throw new DomainError(
      'invalid_input',
      `settings.renewals.stageId: "${stageId ?? ''}" is not a stage of pipeline ${pipeline.label} (stages: ${pipeline.stages.map((s) => s.id).join(', ')})`,
      'settings.renewals.stageId',
    );
  }
}

async function renewalTemplate(store: PortalStore): Promise<HandoffTemplate> {
  const found = await store.templates.get(RENEWAL_TEMPLATE_ID);
  if (found) return found;
  // Portals installed before renewals existed get the default template the first time one is due.
  await store.templates.seed([DEFAULT_CS_TO_SALES_RENEWAL]);
  const seeded = await store.templates.get(RENEWAL_TEMPLATE_ID);
  if (!seeded) throw new Error('renewal template vanished after seeding');
  return seeded;
}

/** Claims the contract and inserts its handoff, audit event and metric fact in one transaction. */
async function createRenewalHandoff(
  store: PortalStore,
  portalId: number,
  now: Date,
  today: CalendarDay,
  item: RenewalDue,
  deal: DealContext,
): Promise<RenewalRow> {
  const template = await renewalTemplate(store);
  const ownerId = deal.deal.properties.hubspot_owner_id ?? null;
  const properties = Object.fromEntries(Object.entries(deal.deal.properties).map(([k, v]) => [k, v ?? null]));
  const handoff = createHandoff(
    { id: randomUUID(), dealId: item.dealId, deal: { ownerId, properties } },
    template,
    now,
  );
  const row: RenewalRow = {
    dealId: item.dealId,
    renewalDate: item.renewalDate,
    handoffId: handoff.id,
    companyId: deal.company?.id ?? null,
    ownerId,
    createdOn: today,
  };
  await store.transaction(async (tx) => {
    if (!(await renewalStore(tx.db, portalId).claim(row))) return;
    await tx.handoffs.insert(handoff, {}, null);
    await tx.events.append([
      {
        handoffId: handoff.id,
        type: 'created',
        actor: 'system',
        at: now.toISOString(),
        payload: {
          templateVersion: handoff.templateVersion,
          renewalDate: item.renewalDate,
          daysLeft: item.daysLeft,
          message: `Renewal on ${item.renewalDate}, ${item.daysLeft} days away: handed to the account owner.`,
        },
      },
    ]);
    await tx.db.query(`INSERT INTO metric_facts (portal_id, kind, subject_id, at, data) VALUES ($1, $2, $3, $4, $5)`, [
      portalId,
      RENEWAL_FACT,
      handoff.id,
      now,
      JSON.stringify({ dealId: item.dealId, renewalDate: item.renewalDate, daysLeft: item.daysLeft }),
    ]);
  });
  const stored = await renewalStore(store.db, portalId).get(item.dealId, item.renewalDate);
  if (!stored) throw new Error('renewal vanished after claiming it');
  return stored;
}

/**
 * The prefill of the renewal handoff: payment health as the banner shows it, and usage against the commitment
 * (what was invoiced against the contract value, with the committed volumes as CS recorded them).
 */
async function prefillFigures(
  ctx: HandlerContext<AppServices>,
  deal: DealContext,
  today: CalendarDay,
): Promise<{ usage: string; payment: string }> {
  const status = await getPaymentStatus(ctx, { objectType: 'deal', objectId: deal.deal.id });
  const invoiced = await invoicedToDate(ctx.services, deal, today);
  return { payment: paymentHealthText(status), usage: usageText(deal.values, invoiced) };
}

async function invoicedToDate(services: AppServices, deal: DealContext, today: CalendarDay) {
  const connection = await services.store.finance.connection();
  if (!connection || !deal.company) return null;
  const link = await services.store.finance.link(connection.system, deal.company.id);
  if (!link) return null;
  const { invoices } = await services.store.receivables.snapshots(connection.system, link.customerId);
  return invoices.filter((i) => i.issueDate <= today && i.status !== 'void' && i.status !== 'draft');
}

/**
 * The banner's figures in one paragraph.
 * @example paymentHealthText(view) // 'Overdue: 1 invoice 12 days past due. Outstanding $1,200.00, overdue $400.00, DSO 41 days. …'
 */
export function paymentHealthText(view: PaymentStatusView): string {
  if (!view.banner) return view.note ?? 'No payment history is available.';
  const b = view.banner;
  const parts = [`${b.title}. ${b.message}`];
  for (const s of view.statistics) {
    parts.push(
      `Outstanding ${formatMoney(s.outstanding)}, overdue ${formatMoney(s.overdue)}${s.dsoDays !== null ? `, DSO ${Math.round(s.dsoDays)} days` : ''}.`,
    );
  }
  if (b.creditHold) parts.push('The customer is on credit hold.');
  if (view.averageDaysToPay !== null)
    parts.push(`Pays on average ${Math.round(view.averageDaysToPay)} days after issue.`);
  if (view.lastPayment) parts.push(`Last payment ${formatMoney(view.lastPayment.amount)} on ${view.lastPayment.on}.`);
  if (view.asOf) parts.push(`As of ${view.asOf.slice(0, 10)}.`);
  return parts.join(' ');
}

function usageText(
  values: HandoffDataInput,
  invoiced: ReadonlyArray<{ total: Money; currency: string }> | null,
): string {
  const parts: string[] = [];
  const commitment = typeof values.usageCommitments === 'string' ? values.usageCommitments.trim() : '';
  if (commitment) parts.push(`Committed: ${commitment}.`);
  const value = values.contractValue as Money | undefined;
  if (value && Number.isSafeInteger(value.amount) && value.amount > 0) {
    if (invoiced) {
      const same = invoiced.filter((i) => i.currency === value.currency);
      const total = sumMoney(
        same.map((i) => i.total),
        value.currency,
      );
      const share = Math.round((total.amount / value.amount) * 100);
      parts.push(
        `Invoiced to date: ${formatMoney(total)} of the contract value ${formatMoney(value)} (${share}%) over ${same.length} invoice${same.length === 1 ? '' : 's'}.`,
      );
    } else {
      parts.push(`Contract value ${formatMoney(value)}; nothing invoiced is known to the app yet.`);
    }
  }
  parts.push('Actual product usage is not tracked by the app: correct this if you know it.');
  return parts.join(' ');
}
