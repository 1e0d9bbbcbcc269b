import { createHmac, timingSafeEqual } from 'node:crypto';
import { FinanceError, type FinanceWebhookEvent, type FinanceWebhookVerifier } from '../port.js';
import { QBO_LENIENT } from './schemas.js';
import type { QboCloudEvent, QboLegacyEntityChange, QboLegacyWebhook } from './types.js';

/**
 * QuickBooks webhook deliveries: `intuit-signature` = base64(HMAC-SHA256(verifier token, raw body)). The
 * signature covers no timestamp, so a replayed delivery verifies: dedupe on the event id (at-least-once delivery
 * makes that necessary anyway).
 *
 * Bodies come in two shapes and we accept both:
 * - CloudEvents 1.0 (current): a JSON array of `{id, type: "qbo.invoice.updated.v1", intuitentityid,
 *   intuitaccountid, time, …}` — the event id is Intuit's `id`;
 * - legacy: `{eventNotifications:[{realmId, dataChangeEvent:{entities:[{name, id, operation, lastUpdated}]}}]}`,
 *   which has no event id, so we build one from what identifies the change:
 *   `legacy:<realm>:<entity>:<id>:<operation>:<lastUpdated>` — a redelivery gives the same id, a later change a new one.
 */

const ENTITY: Record<string, FinanceWebhookEvent['entity']> = {
  invoice: 'invoice',
  payment: 'payment',
  customer: 'customer',
  creditmemo: 'credit_note',
};

/** Legacy operations in the CloudEvents vocabulary, so consumers see one set of actions. */
const LEGACY_ACTION: Record<QboLegacyEntityChange['operation'], string> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  Merge: 'merged',
  Void: 'voided',
  Emailed: 'emailed',
};

/**
 * The signature QuickBooks sends for a body (used by the sandbox's webhook emitter and by tests).
 * @example signQuickBooksWebhook('verifier-token', Buffer.from('[]')) // base64 HMAC-SHA256
 */
export function signQuickBooksWebhook(verifierToken: string, rawBody: Buffer | string): string {
  return createHmac('sha256', verifierToken).update(rawBody).digest('base64');
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function date(value: string, what: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new FinanceError('quickbooks', 'validation', `webhook ${what} "${value}" is not a time`);
  return d;
}

function fromCloudEvent(e: QboCloudEvent): FinanceWebhookEvent {
  // qbo.<entity>.<action>.v<n>
  const m = /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/i.exec(e.type);
  const entityName = (m?.[1] ?? '').toLowerCase();
  return {
    eventId: e.id,
    tenantId: e.intuitaccountid,
    entity: ENTITY[entityName] ?? 'other',
    entityId: e.intuitentityid,
    action: (m?.[2] ?? e.type).toLowerCase(),
    occurredAt: date(e.time, 'time'),
  };
}

function fromLegacy(body: QboLegacyWebhook): FinanceWebhookEvent[] {
  return body.eventNotifications.flatMap((n) =>
    n.dataChangeEvent.entities.map((c) => ({
      eventId: `legacy:${n.realmId}:${c.name}:${c.id}:${c.operation}:${c.lastUpdated}`,
      tenantId: n.realmId,
      entity: ENTITY[c.name.toLowerCase()] ?? 'other',
      entityId: c.id,
      action: LEGACY_ACTION[c.operation],
      occurredAt: date(c.lastUpdated, 'lastUpdated'),
    })),
  );
}

/**
 * Parses a delivery body of either shape into events; throws a validation FinanceError for anything else.
 * @example parseQuickBooksWebhook(Buffer.from(JSON.stringify([cloudEvent])))
 */
export function parseQuickBooksWebhook(rawBody: Buffer): FinanceWebhookEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new FinanceError('quickbooks', 'validation', 'webhook body is not JSON');
  }
  if (Array.isArray(body)) {
    const parsed = QBO_LENIENT.CloudEventBatch.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FinanceError(
        'quickbooks',
        'validation',
        `webhook CloudEvent [${issue?.path.join('.')}] ${issue?.message ?? 'is invalid'}`,
      );
    }
    return parsed.data.map(fromCloudEvent);
  }
  const legacy = QBO_LENIENT.LegacyWebhook.safeParse(body);
  if (legacy.success) return fromLegacy(legacy.data);
  throw new FinanceError(
    'quickbooks',
    'validation',
    'webhook body is neither a CloudEvents array nor an eventNotifications object',
  );
}

/**
 * The verifier for one app's webhook verifier token (Intuit developer portal → Webhooks; not the client secret).
 * @example const v = createQuickBooksWebhookVerifier(process.env.QBO_WEBHOOK_VERIFIER!); v.verify(req.headers, raw)
 */
export function createQuickBooksWebhookVerifier(verifierToken: string): FinanceWebhookVerifier {
  if (!verifierToken) throw new Error('QuickBooks webhook verifier token is empty');
  return {
    verify(headers, rawBody) {
      const given = header(headers, 'intuit-signature');
      if (!given) return false;
      // Compared as the base64 text: decoding first would let differently padded strings match.
      const expected = Buffer.from(signQuickBooksWebhook(verifierToken, rawBody));
      const actual = Buffer.from(given.trim());
      // Length first (timingSafeEqual throws on unequal lengths); the digest length is public anyway.
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
    parse: parseQuickBooksWebhook,
  };
}
