import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../../core/errors.js';
import { parseInput, UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '../../core/validate.js';

/**
 * HubSpot webhook deliveries: a JSON array of up to 100 events, delivered at least once, in any order, with
 * eventIds that are not guaranteed unique (VENDOR-FACTS.md). Parse, dedupe on a composite key, classify, and
 * recognise our own writes so that the gate's stage revert does not trigger the gate again.
 */

/** HubSpot sends at most this many events per request. */
export const MAX_EVENTS_PER_DELIVERY = 100;

/** Object type ids in generic `object.*` events. */
export const OBJECT_TYPE_IDS = { contact: '0-1', company: '0-2', deal: '0-3' } as const;

const count = (what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .int(`must be a whole number (${what})`)
    .nonnegative();

// CRM ids arrive as JSON numbers; the app keeps record ids as strings (as the CRM API returns them).
const objectId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)], {
    error: 'must be a record id (a whole number)',
  })
  .transform(String);

const optionalText = z.string({ error: 'must be text' }).optional();

const EventSchema = z
  .looseObject({
    eventId: count('the event id'),
    subscriptionId: count('the subscription id'),
    portalId: count('the HubSpot account id'),
    appId: count('the app id'),
    occurredAt: count('milliseconds since 1970'),
    subscriptionType: z
      .string({ error: 'must be text such as deal.propertyChange' })
      .regex(/^[a-z_]+\.[A-Za-z]+$/, 'must look like deal.propertyChange or object.creation'),
    attemptNumber: count('the delivery attempt'),
    objectId: objectId.optional(),
    objectTypeId: z
      .string({ error: 'must be an object type id such as 0-3' })
      .regex(/^\d+-\d+$/, 'must be an object type id such as 0-3')
      .optional(),
    propertyName: optionalText,
    // HubSpot sends the new value as a string; a cleared property arrives as ''.
    propertyValue: optionalText,
    changeSource: optionalText,
    sourceId: optionalText,
    changeFlag: optionalText,
  })
  .superRefine((e, ctx) => {
    const action = e.subscriptionType.split('.')[1] ?? '';
    const needsObject = action === 'propertyChange' || action === 'creation' || action === 'deletion';
    if (needsObject && e.objectId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['objectId'], message: `is required for ${e.subscriptionType} events` });
    }
    if (action === 'propertyChange' && e.propertyName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['propertyName'], message: 'is required for propertyChange events' });
    }
    if (e.subscriptionType.startsWith('object.') && e.objectTypeId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['objectTypeId'], message: 'is required for generic object.* events' });
    }
  });

/** One webhook event, with record ids as strings and `occurredAt` in milliseconds since 1970. */
export type WebhookEvent = z.output<typeof EventSchema>;

/**
 * Parses a raw delivery body, or throws one DomainError('invalid_input') naming what is wrong (path like `[3].portalId`).
 * @example parseWebhookBatch('[{"eventId":1,"subscriptionId":2,"portalId":3,"appId":4,"occurredAt":5,"subscriptionType":"deal.creation","attemptNumber":0,"objectId":6}]')[0].objectId // '6'
 */
export function parseWebhookBatch(raw: string): WebhookEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (e) {
    throw new DomainError('invalid_input', `is not JSON (${e instanceof Error ? e.message : String(e)})`, 'body');
  }
  if (!Array.isArray(body)) {
    throw new DomainError('invalid_input', 'must be a JSON array of webhook events', 'body');
  }
  if (body.length > MAX_EVENTS_PER_DELIVERY) {
    throw new DomainError(
      'invalid_input',
      `has ${body.length} events; HubSpot sends at most ${MAX_EVENTS_PER_DELIVERY} per delivery`,
      'body',
    );
  }
  const events = parseInput(z.array(EventSchema), body);
  // Stored as jsonb: a NUL or a lone surrogate in any value (or extra key) would fail the insert, and the retries.
  const unstorable = unstorableTextPath(events);
  if (unstorable !== null) throw new DomainError('invalid_input', UNSTORABLE_TEXT_MESSAGE, unstorable);
  return events;
}

/**
 * The deduplication key: portal, subscription, object, property, value and time of change. Not eventId (HubSpot
 * repeats it) and not attemptNumber (a retry of the same change must collapse onto the first delivery).
 * @example dedupeKey(event) // 'hubspot:62515:9f86d081884c7d65…'
 */
export function dedupeKey(event: WebhookEvent): string {
  const parts = [
    event.portalId,
    event.subscriptionId,
    event.objectTypeId ?? event.subscriptionType.split('.')[0],
    event.objectId ?? null,
    event.propertyName ?? null,
    event.propertyValue ?? null,
    event.occurredAt,
  ];
  // Hashed because propertyValue can be long text; JSON keeps 'a:b'+'c' and 'a'+'b:c' apart.
  return `hubspot:${event.portalId}:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`;
}

export type WebhookEventKind = 'deal_stage_changed' | 'deal_created' | 'company_changed' | 'other';

/** 'deal' | 'company' | … for both the legacy `deal.*` and the generic `object.*` (by objectTypeId) events. */
function objectOf(event: WebhookEvent): string | undefined {
  const [prefix] = event.subscriptionType.split('.');
  if (prefix !== 'object') return prefix;
  const entry = Object.entries(OBJECT_TYPE_IDS).find(([, id]) => id === event.objectTypeId);
  return entry?.[0];
}

/**
 * What an event means for the app.
 * @example classify({ ...event, subscriptionType: 'object.propertyChange', objectTypeId: '0-3', propertyName: 'dealstage' }) // 'deal_stage_changed'
 */
export function classify(event: WebhookEvent): WebhookEventKind {
  const object = objectOf(event);
  const action = event.subscriptionType.split('.')[1];
  if (object === 'deal' && action === 'propertyChange' && event.propertyName === 'dealstage') {
    return 'deal_stage_changed';
  }
  if (object === 'deal' && action === 'creation') return 'deal_created';
  if (object === 'company' && action === 'propertyChange') return 'company_changed';
  return 'other';
}

/**
 * True when the change was made by our app (its API writes carry our app id as sourceId), e.g. the gate moving a
 * deal back: the webhook for that revert must not run the gate again. Strict on purpose: treating someone else's
 * change as ours would let a won stage through unchecked, while missing one of ours only costs one more evaluation
 * (which finds a stage that is no longer won and does nothing).
 * @example isOwnWrite({ ...event, changeSource: 'INTEGRATION', sourceId: '1234' }, 1234) // true
 */
export function isOwnWrite(event: WebhookEvent, appId: number | string): boolean {
  if (event.sourceId === undefined) return false;
  const source = event.sourceId.trim().replace(/^(app|appId|integration|integrationAppId):/i, '');
  return source !== '' && source === String(appId).trim();
}
