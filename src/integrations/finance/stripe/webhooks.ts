/**
 * Stripe webhooks: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, verified by the SDK's
 * own `webhooks.constructEvent` with a 300-second tolerance (Stripe's default) against replays of old deliveries.
 * Stripe events have unique ids (`evt_…`), used as the dedupe id. The entity comes from the event's object type
 * (`invoice.*`, `invoice.paid`, `customer.*` …), so customer.subscription.* events, whose object is a subscription,
 * are 'other'.
 */
import Stripe from 'stripe';
import type { FinanceWebhookEvent, FinanceWebhookVerifier } from '../port.js';
import { FinanceError } from '../port.js';

const ENTITY: Record<string, FinanceWebhookEvent['entity']> = {
  invoice: 'invoice',
  customer: 'customer',
  credit_note: 'credit_note',
  invoice_payment: 'payment',
  payment_intent: 'payment',
  charge: 'payment',
};

export interface StripeWebhookOptions {
  /** The endpoint's signing secret, `whsec_…`. */
  secret: string;
  /** Seconds a delivery may be old; default 300. */
  toleranceSeconds?: number;
  /** Tenant id for events of the account itself (Connect events carry their own `account`). */
  accountId?: string;
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * The verifier for one Stripe webhook endpoint.
 * @example const hooks = createStripeWebhookVerifier({ secret: config.stripeWebhookSecret, accountId: 'acct_123' });
 */
export function createStripeWebhookVerifier(options: StripeWebhookOptions): FinanceWebhookVerifier {
  if (!options.secret) throw new Error('createStripeWebhookVerifier needs the endpoint signing secret');
  const tolerance = options.toleranceSeconds ?? 300;
  return {
    verify(headers, rawBody, now) {
      const signature = headerValue(headers, 'stripe-signature');
      if (!signature) return false;
      try {
        Stripe.webhooks.constructEvent(rawBody, signature, options.secret, tolerance, undefined, now?.getTime());
        return true;
      } catch {
        return false;
      }
    },

    parse(rawBody) {
      let event: Stripe.Event;
      try {
        // Parsed by hand: verify() has already checked the signature over these exact bytes.
        event = JSON.parse(rawBody.toString('utf8')) as Stripe.Event;
      } catch {
        throw new FinanceError('stripe', 'validation', 'Stripe webhook body is not JSON');
      }
      const object = event?.data?.object as { object?: string; id?: string } | undefined;
      if (typeof event?.id !== 'string' || !event.id || typeof event.type !== 'string' || !object) {
        throw new FinanceError('stripe', 'validation', 'Stripe webhook body is not a Stripe event');
      }
      if (typeof event.created !== 'number' || !Number.isFinite(event.created) || Math.abs(event.created) > 8.64e12) {
        throw new FinanceError('stripe', 'validation', 'Stripe event `created` must be a Unix time in seconds');
      }
      const type = event.type as string;
      return [
        {
          eventId: event.id,
          tenantId: event.account ?? options.accountId ?? 'stripe',
          entity: ENTITY[object.object ?? ''] ?? 'other',
          entityId: object.id ?? '',
          action: type.slice(type.indexOf('.') + 1),
          occurredAt: new Date(event.created * 1000),
        },
      ];
    },
  };
}
