import { addBusinessDays } from 'date-fns';
import type { Logger } from 'pino';
import type { CallingUser, HandlerContext } from '../../serverless/handler.js';
import { type GateDecision, gateDecision } from '../handoff/exceptions.js';
import type { DealPipeline } from '../integrations/hubspot/client.js';
import { classify, isOwnWrite, type WebhookEvent } from '../integrations/hubspot/webhooks.js';
import type { Db } from '../store/db.js';
import { dealPipelines, findStage, isWonStage } from './deal-context.js';
import { isRenewalTemplate, loadDealHandoffs } from './handoff-service.js';
import type { AppServices } from './services.js';

const GATE_USER: CallingUser = { id: 'system', roles: ['system'], teams: [] };

export type GateOutcome =
  | { action: 'ignored'; reason: string }
  | { action: 'remembered'; stage: string }
  | { action: 'allowed'; waivedBy: string[] }
  | { action: 'reverted'; to: string; missing: Array<{ handoff: string; fields: string[] }> };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where a won deal goes back to: the configured holding stage, else where it was, else the last open stage. */
function revertTarget(
  pipelines: ReadonlyArray<DealPipeline>,
  pipelineId: string | null,
  holding: string | undefined,
  remembered: string | undefined,
): string | null {
  if (holding) return holding;
  if (remembered) return remembered;
  const pipeline = pipelines.find((p) => p.id === pipelineId) ?? pipelines[0];
  const open = pipeline?.stages.filter((s) => !s.isClosed) ?? [];
  return open.at(-1)?.id ?? null;
}

/**
 * The Closed Won gate, run for each stored HubSpot event (deal stage change or deal creation, whatever the source:
 * UI, API, import, workflow). It reads the deal's *current* stage from HubSpot, so duplicate or out-of-order
 * deliveries cannot act on a stale stage. A deal in a won stage whose handoffs have blocking gaps not waived by an
 * approved exception is moved back (holding stage, or where it was), with a note and a task for its owner listing
 * what is missing, and an audit event on each handoff. Our own revert comes back as a webhook and is ignored.
 * @example await runGate(services, event, { appId: '4242', now: new Date(), logger })
 */
export async function runGate(
  services: AppServices,
  event: WebhookEvent,
  options: { appId: string; now: Date; logger: Logger },
): Promise<GateOutcome> {
  const kind = classify(event);
  if (kind !== 'deal_stage_changed' && kind !== 'deal_created') return { action: 'ignored', reason: kind };
  if (isOwnWrite(event, options.appId)) return { action: 'ignored', reason: 'own write' };
  const dealId = event.objectId;
  if (!dealId) return { action: 'ignored', reason: 'no deal id' };
  const { crm, settings, store } = services;
  const portalId = store.portalId;

  const [deals, pipelines] = await Promise.all([
    crm.batchReadDeals([dealId], ['dealstage', 'pipeline', 'dealname', 'hubspot_owner_id']),
    dealPipelines(crm),
  ]);
  const deal = deals[0];
  if (!deal) return { action: 'ignored', reason: 'deal no longer exists' };
  const stageId = deal.properties.dealstage ?? null;
  const stage = findStage(pipelines, stageId);
  if (!isWonStage(settings, stage, stageId)) {
    if (stageId && !stage?.isClosed) {
      await store.db.query(
        `INSERT INTO deal_stage_memory (portal_id, deal_id, last_open_stage) VALUES ($1, $2, $3)
         ON CONFLICT (portal_id, deal_id) DO UPDATE SET last_open_stage = EXCLUDED.last_open_stage, updated_at = now()`,
        [portalId, dealId, stageId],
      );
      return { action: 'remembered', stage: stageId };
    }
    return { action: 'ignored', reason: 'not a won stage' };
  }

  const ctx: HandlerContext<AppServices> = {
    portalId,
    user: GATE_USER,
    now: options.now,
    logger: options.logger,
    services,
  };
  const loaded = await loadDealHandoffs(ctx, dealId);
  const decisions: Array<{ name: string; handoffId: string; decision: GateDecision }> = [];
  for (const { stored, template, evaluation } of loaded.handoffs) {
    // A renewal handoff is about the next contract, not about closing this one.
    if (isRenewalTemplate(template)) continue;
    const exceptions = await store.exceptions.list(stored.handoff.id);
    decisions.push({
      name: template.name,
      handoffId: stored.handoff.id,
      decision: gateDecision(evaluation, exceptions, options.now),
    });
  }
  const failing = decisions.filter((d) => !d.decision.allowWon);
  const at = options.now.toISOString();
  if (failing.length === 0) {
    // The close that counts for revenue readiness: the first time the deal stands won with its handoff in order.
    await store.db.query(
      `INSERT INTO metric_facts (portal_id, kind, subject_id, at, data)
       SELECT $1, 'deal_closed', $2, $3, '{}'::jsonb
       WHERE NOT EXISTS (SELECT 1 FROM metric_facts WHERE portal_id = $1 AND kind = 'deal_closed' AND subject_id = $2)`,
      [portalId, dealId, new Date(event.occurredAt)],
    );
    const waivedBy = decisions.flatMap((d) => (d.decision.waivedBy ?? []).map((w) => w.id));
    if (waivedBy.length > 0) {
      await store.events.append(
        decisions.map((d) => ({
          handoffId: d.handoffId,
          type: 'gate_allowed',
          actor: 'system',
          at,
          payload: {
            stage: stageId,
            waivedBy: (d.decision.waivedBy ?? []).map((w) => w.id),
            message: 'Closed Won allowed by an approved exception',
          },
        })),
      );
    }
    return { action: 'allowed', waivedBy };
  }

  const [memory] = await store.db.query<{ last_open_stage: string }>(
    'SELECT last_open_stage FROM deal_stage_memory WHERE portal_id = $1 AND deal_id = $2',
    [portalId, dealId],
  );
  const target = revertTarget(
    pipelines,
    deal.properties.pipeline ?? null,
    settings.holdingStageId,
    memory?.last_open_stage,
  );
  if (!target) {
    options.logger.error({ dealId }, 'gate found no stage to move the deal back to');
    return { action: 'ignored', reason: 'no open stage to revert to' };
  }
  const targetLabel = findStage(pipelines, target)?.label ?? target;
  const dealName = deal.properties.dealname ?? `Deal ${dealId}`;
  const missing = failing.map((f) => ({
    handoff: f.name,
    fields: f.decision.missing.map((m) => m.label),
    reasons: f.decision.missing.map((m) => `${m.label}: ${m.reason}`),
  }));

  await crm.updateDealStage(dealId, target);
  const list = missing
    .map(
      (m) =>
        `<p><strong>${escapeHtml(m.handoff)}</strong></p><ul>${m.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`,
    )
    .join('');
  await crm.createNote({
    body: `<p>Revenue Handoff moved <strong>${escapeHtml(dealName)}</strong> back to <strong>${escapeHtml(targetLabel)}</strong>: it cannot be Closed Won while its handoff is incomplete.</p>${list}<p>Complete these in the Handoff checklist on the deal, or request an exception.</p>`,
    associations: { deals: [dealId] },
    timestamp: options.now,
  });
  const ownerId = deal.properties.hubspot_owner_id ?? undefined;
  await crm.createTask({
    subject: `Complete the handoff for ${dealName}`,
    body: `Missing before the deal can be Closed Won: ${missing.flatMap((m) => m.fields).join(', ')}.`,
    ...(ownerId ? { ownerId } : {}),
    dueAt: addBusinessDays(options.now, 1),
    priority: 'HIGH',
    associations: { deals: [dealId] },
  });
  await store.events.append(
    failing.map((f) => ({
      handoffId: f.handoffId,
      type: 'gate_reverted',
      actor: 'system',
      at,
      payload: {
        from: stageId,
        to: target,
        message: `Moved back to ${targetLabel}: ${f.decision.missing.map((m) => m.label).join(', ')} missing`,
        missing: f.decision.missing.map((m) => ({ key: m.key, reason: m.reason })),
      },
    })),
  );
  options.logger.info({ dealId, to: target }, 'gate moved an incomplete won deal back');
  return { action: 'reverted', to: target, missing: missing.map(({ handoff, fields }) => ({ handoff, fields })) };
}

/**
 * Stores each event of a verified delivery once (by its composite dedupe key) and returns the keys that are new,
 * so the caller acks HubSpot fast and queues only new work.
 * @example const fresh = await storeHubSpotEvents(db, events, dedupeKey)
 */
export async function storeHubSpotEvents(
  db: Db,
  events: ReadonlyArray<WebhookEvent>,
  keyOf: (e: WebhookEvent) => string,
): Promise<Array<{ key: string; event: WebhookEvent }>> {
  if (events.length === 0) return [];
  // One statement for the whole delivery: a batch is stored entirely or not at all, and a key seen before (or twice
  // in the batch) is stored once.
  const keyed = events.map((event) => ({ key: keyOf(event), event }));
  const rows = await db.query<{ dedupe_key: string }>(
    `INSERT INTO inbound_events (source, dedupe_key, portal_id, payload)
     SELECT 'hubspot', k, p, j::jsonb FROM unnest($1::text[], $2::bigint[], $3::text[]) AS e(k, p, j)
     ON CONFLICT (source, dedupe_key) DO NOTHING RETURNING dedupe_key`,
    [keyed.map((e) => e.key), keyed.map((e) => e.event.portalId), keyed.map((e) => JSON.stringify(e.event))],
  );
  const stored = new Set(rows.map((r) => r.dedupe_key));
  // In delivery order, each stored key once.
  return keyed.filter((e) => stored.delete(e.key));
}

/**
 * Processes one stored HubSpot event exactly once: runs the gate, then marks it processed. An event for a portal
 * that uninstalled the app is marked processed and dropped.
 * @example await processHubSpotEvent({ db, services: runtime.services, appId, logger }, key, new Date())
 */
export async function processHubSpotEvent(
  deps: { db: Db; services: (portalId: number) => Promise<AppServices>; appId: string; logger: Logger },
  key: string,
  now: Date,
): Promise<GateOutcome> {
  const [row] = await deps.db.query<{ payload: WebhookEvent; processed_at: Date | null; portal_id: string }>(
    `SELECT payload, processed_at, portal_id FROM inbound_events WHERE source = 'hubspot' AND dedupe_key = $1`,
    [key],
  );
  if (!row) return { action: 'ignored', reason: 'unknown event' };
  if (row.processed_at) return { action: 'ignored', reason: 'already processed' };
  let outcome: GateOutcome;
  try {
    const services = await deps.services(Number(row.portal_id));
    outcome = await runGate(services, row.payload, { appId: deps.appId, now, logger: deps.logger });
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e as { code: unknown }).code === 'forbidden') {
      outcome = { action: 'ignored', reason: 'portal not installed' };
    } else {
      throw e; // the job retries with backoff
    }
  }
  await deps.db.query(`UPDATE inbound_events SET processed_at = now() WHERE source = 'hubspot' AND dedupe_key = $1`, [
    key,
  ]);
  return outcome;
}
