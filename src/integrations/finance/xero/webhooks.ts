/**
 * Xero webhooks: `x-xero-signature` is base64(HMAC-SHA256(webhook key, raw body)). The same check answers Xero's
 * intent-to-receive handshake — a delivery with an empty `events` array, once signed correctly and once not — for
 * which the route must answer 200 when verify() is true and 401 when it is false, within 5 seconds.
 *
 * Xero events carry no id. The dedupe id is built from the fields that identify one change:
 * `xero:<tenantId>:<eventCategory>:<eventType>:<resourceId>:<eventDateUtc>`. A redelivery of the same event gives
 * the same id; two changes to one resource within the same millisecond would share it, which is harmless because
 * an event only tells us to re-read the resource.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { zodIssues } from '../../../core/validate.js';
import type { FinanceWebhookEvent, FinanceWebhookVerifier } from '../port.js';
import { FinanceError } from '../port.js';
import { parseXeroDate } from './dates.js';

const EventSchema = z.object({
  resourceId: z.string().min(1),
  resourceUrl: z.string().optional(),
  eventDateUtc: z.string().min(1),
  eventType: z.string().min(1),
  eventCategory: z.string().min(1),
  tenantId: z.string().min(1),
  tenantType: z.string().optional(),
});
const PayloadSchema = z.object({ events: z.array(EventSchema) });

const ENTITY: Record<string, FinanceWebhookEvent['entity']> = {
  INVOICE: 'invoice',
  CONTACT: 'customer',
  CREDITNOTE: 'credit_note',
};

/**
 * base64(HMAC-SHA256(key, body)) — the value of `x-xero-signature` for a body.
 * @example signXeroWebhook('key', Buffer.from('{"events":[]}')) // 'base64…='
 */
export function signXeroWebhook(webhookKey: string, rawBody: Buffer | string): string {
  return createHmac('sha256', webhookKey).update(rawBody).digest('base64');
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * The verifier for one Xero app's webhook key (Xero developer portal → Webhooks → key).
 * @example const xeroHooks = createXeroWebhookVerifier({ webhookKey: config.xeroWebhookKey }); if (!xeroHooks.verify(req.headers, raw)) res.status(401)
 */
export function createXeroWebhookVerifier(options: { webhookKey: string }): FinanceWebhookVerifier {
  if (!options.webhookKey) throw new Error('createXeroWebhookVerifier needs the webhook key');
  return {
    verify(headers, rawBody) {
      const given = headerValue(headers, 'x-xero-signature');
      if (!given) return false;
      const expected = Buffer.from(signXeroWebhook(options.webhookKey, rawBody), 'utf8');
      const actual = Buffer.from(given, 'utf8');
      // Equal lengths first: timingSafeEqual throws otherwise, and the length of a base64 HMAC is public anyway.
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },

    parse(rawBody) {
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new FinanceError('xero', 'validation', 'Xero webhook body is not JSON');
      }
      const parsed = PayloadSchema.safeParse(json);
      if (!parsed.success) {
        const issue = zodIssues(parsed.error)[0];
        const where = issue?.path ? ` (${issue.path} ${issue.message})` : issue ? ` (${issue.message})` : '';
        throw new FinanceError('xero', 'validation', `Xero webhook body is not a Xero event list${where}`);
      }
      return parsed.data.events.map((e) => {
        const occurredAt = parseXeroDate(e.eventDateUtc);
        if (!occurredAt)
          throw new FinanceError('xero', 'validation', `Xero event date "${e.eventDateUtc}" is unreadable`);
        return {
          eventId: `xero:${e.tenantId}:${e.eventCategory}:${e.eventType}:${e.resourceId}:${e.eventDateUtc}`,
          tenantId: e.tenantId,
          entity: ENTITY[e.eventCategory] ?? 'other',
          entityId: e.resourceId,
          action: e.eventType.toLowerCase(),
          occurredAt,
        };
      });
    },
  };
}
