import express, { type Request, type Response, Router } from 'express';
import { UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '../core/validate.js';
import type { FinanceSystemId, FinanceWebhookEvent, FinanceWebhookVerifier } from '../integrations/finance/port.js';
import { createStripeWebhookVerifier } from '../integrations/finance/stripe/index.js';
import type { FinanceJobDeps } from '../jobs/finance-jobs.js';
import { dispatchFinanceEvents, type StoredFinanceEvent } from '../jobs/webhook-dispatch.js';
import {
  connectionById,
  connectionsForTenant,
  financeStore,
  type InboundEvent,
  storeInboundEvents,
} from '../store/finance-store.js';
import type { SecretBox } from '../store/secrets.js';

/** Longer ids than any vendor sends: refused, since they could not be keyed (PostgreSQL's index entry limit). */
const MAX_ID_LENGTH = 255;

/** What makes a parsed, signed delivery unstorable, in words for the sender; null when it can be stored. */
export function unstorableDelivery(events: FinanceWebhookEvent[]): string | null {
  for (const [i, e] of events.entries()) {
    for (const key of ['eventId', 'tenantId', 'entityId'] as const) {
      if (e[key].length > MAX_ID_LENGTH) {
        return `events[${i}].${key} is ${e[key].length} characters long; at most ${MAX_ID_LENGTH} are accepted`;
      }
    }
    if (Number.isNaN(e.occurredAt.getTime())) return `events[${i}] has no readable event time`;
  }
  const path = unstorableTextPath(events);
  return path ? `${path.replace(/^\[(\d+)\]/, 'events[$1]')} ${UNSTORABLE_TEXT_MESSAGE}` : null;
}

/**
 * Finance webhooks: POST /webhooks/quickbooks, /webhooks/xero, /webhooks/stripe (app-wide endpoints, secrets from
 * the config) and /webhooks/stripe/:connectionId (a Stripe account's own endpoint, its signing secret stored with
 * the connection).
 *
 * Order of work, because vendors retry slow or failed deliveries and some (Xero) disable an endpoint that answers
 * wrongly: the exact raw bytes are verified first (401 and nothing stored on a bad signature; Xero's
 * intent-to-receive probe is an empty, signed delivery and gets 200 only when the signature is right); each event
 * is stored once under `<tenant>:<vendor event id>`; the new ones are dispatched to the queue (database work only:
 * a refresh per customer, or a reconciliation when the customer is unknown); then 200. A redelivery stores
 * nothing and queues nothing. If dispatching fails after storing, we still answer 200: the events are kept
 * unprocessed and the reconciliation sweep dispatches them.
 */

export interface FinanceWebhookDeps extends FinanceJobDeps {
  box: SecretBox;
}

function headersOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function toStored(e: FinanceWebhookEvent, portalIds: number[]): StoredFinanceEvent {
  return { event: { ...e, occurredAt: e.occurredAt.toISOString() }, portalIds };
}

/**
 * The express router of the finance webhook endpoints. Mount it before any JSON body parser (signatures are over
 * the raw bytes): `app.use(financeWebhooksRouter(deps))`.
 * @example app.use(financeWebhooksRouter({ db, box, gateway, crmFor: runtime.crmFor, queue, logger }))
 */
export function financeWebhooksRouter(deps: FinanceWebhookDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const raw = express.raw({ type: () => true, limit: '2mb' });

  async function receive(
    req: Request,
    res: Response,
    system: FinanceSystemId,
    verifier: FinanceWebhookVerifier | null,
    portalsFor: (tenantId: string) => Promise<number[]>,
  ): Promise<void> {
    if (!verifier) {
      res.status(404).json({ code: 'not_configured', message: `${system} webhooks are not configured here` });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifier.verify(headersOf(req), body, now())) {
      deps.logger.warn({ system }, 'finance webhook refused: bad signature');
      res.status(401).json({ code: 'bad_signature', message: 'signature does not match' });
      return;
    }
    let events: FinanceWebhookEvent[];
    try {
      events = verifier.parse(body);
    } catch (e) {
      deps.logger.warn({ err: e, system }, 'finance webhook body could not be read');
      res.status(400).json({ code: 'bad_body', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const unstorable = unstorableDelivery(events);
    if (unstorable) {
      deps.logger.warn({ system }, 'finance webhook refused: unstorable delivery');
      res.status(400).json({ code: 'bad_body', message: unstorable });
      return;
    }
    if (events.length === 0) {
      // Xero's intent-to-receive probe (and any empty batch): a correct signature is all it asks.
      res.status(200).json({ received: 0, stored: 0 });
      return;
    }
    const portals = new Map<string, number[]>();
    for (const e of events) if (!portals.has(e.tenantId)) portals.set(e.tenantId, await portalsFor(e.tenantId));
    const inbound: InboundEvent[] = events.map((e) => {
      const portalIds = portals.get(e.tenantId) ?? [];
      return {
        dedupeKey: `${e.tenantId}:${e.eventId}`,
        portalId: portalIds[0] ?? null,
        payload: toStored(e, portalIds) as unknown as Record<string, unknown>,
      };
    });
    const fresh = await storeInboundEvents(deps.db, system, inbound);
    try {
      if (fresh.length > 0) await dispatchFinanceEvents(deps, system, fresh);
    } catch (e) {
      deps.logger.error({ err: e, system }, 'finance webhook stored but not dispatched; the sweep will dispatch it');
    }
    res.status(200).json({ received: events.length, stored: fresh.length });
  }

  const byTenant = (system: FinanceSystemId) => async (tenantId: string) =>
    (await connectionsForTenant(deps.db, system, tenantId)).map((c) => c.portalId);

  const handle =
    (system: FinanceSystemId) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await receive(req, res, system, deps.gateway.verifier(system), byTenant(system));
      } catch (e) {
        deps.logger.error({ err: e, system }, 'finance webhook failed');
        if (!res.headersSent) res.status(500).json({ code: 'internal', message: 'could not store the delivery' });
      }
    };

  router.post('/webhooks/quickbooks', raw, handle('quickbooks'));
  router.post('/webhooks/xero', raw, handle('xero'));
  router.post('/webhooks/stripe', raw, handle('stripe'));
  router.post('/webhooks/stripe/:connectionId', raw, async (req: Request, res: Response) => {
    try {
      const connection = await connectionById(deps.db, String(req.params.connectionId));
      const secret =
        connection?.system === 'stripe'
          ? await financeStore(deps.db, connection.portalId).connections.webhookSecret('stripe', deps.box)
          : null;
      if (!connection || !secret) {
        res.status(404).json({ code: 'not_found', message: 'no such Stripe webhook endpoint' });
        return;
      }
      const verifier = createStripeWebhookVerifier({ secret, accountId: connection.tenantId });
      // This endpoint belongs to one connection: its events are that portal's, whatever account they name.
      await receive(req, res, 'stripe', verifier, async () => [connection.portalId]);
    } catch (e) {
      deps.logger.error({ err: e }, 'Stripe connection webhook failed');
      if (!res.headersSent) res.status(500).json({ code: 'internal', message: 'could not store the delivery' });
    }
  });
  return router;
}
