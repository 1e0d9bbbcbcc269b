import { describe, expect, it } from '@jest/globals';
import { createStripeSandbox } from '../../../../src/integrations/finance/stripe/sandbox/index.js';
import { createStripeWebhookVerifier } from '../../../../src/integrations/finance/stripe/webhooks.js';

const secret = 'whsec_test_secret';
const now = new Date('2026-03-02T09:00:00Z');
const verifier = createStripeWebhookVerifier({ secret, accountId: 'acct_123' });

function sandboxWithEvents() {
  const sandbox = createStripeSandbox({ webhookSecret: secret, now: () => now });
  sandbox.addCustomer({ name: 'Acme' });
  return sandbox;
}

describe('Stripe webhook verification (SDK constructEvent, 300 s tolerance)', () => {
  it('accepts a correctly signed delivery (header name in any case)', () => {
    const [delivery] = sandboxWithEvents().webhooks.flush();
    expect(delivery).toBeDefined();
    if (!delivery) return;
    expect(verifier.verify(delivery.headers, delivery.body, now)).toBe(true);
    expect(verifier.verify({ 'Stripe-Signature': delivery.headers['stripe-signature'] }, delivery.body, now)).toBe(
      true,
    );
  });

  it('refuses another secret, an altered body, a missing header', () => {
    const sandbox = sandboxWithEvents();
    const event = sandbox.state.events[0];
    if (!event) throw new Error('no event');
    const wrong = sandbox.webhooks.deliver(event, { secret: 'whsec_other' });
    expect(verifier.verify(wrong.headers, wrong.body, now)).toBe(false);
    const good = sandbox.webhooks.deliver(event);
    const altered = Buffer.from(good.body.toString('utf8').replace('customer.created', 'customer.updated'));
    expect(verifier.verify(good.headers, altered, now)).toBe(false);
    expect(verifier.verify({}, good.body, now)).toBe(false);
  });

  it('refuses a delivery signed more than 300 s before it arrived (replay), accepts one at 300 s', () => {
    const sandbox = sandboxWithEvents();
    const event = sandbox.state.events[0];
    if (!event) throw new Error('no event');
    const signedAt = Math.floor(now.getTime() / 1000);
    const d = sandbox.webhooks.deliver(event, { timestamp: signedAt });
    expect(verifier.verify(d.headers, d.body, new Date(now.getTime() + 300_000))).toBe(true);
    expect(verifier.verify(d.headers, d.body, new Date(now.getTime() + 301_000))).toBe(false);
  });
});

describe('Stripe webhook parsing', () => {
  it('turns invoice.*, invoice.paid and customer.* events into FinanceWebhookEvents keyed by Stripe’s event id', () => {
    const sandbox = createStripeSandbox({ webhookSecret: secret, now: () => now });
    const customer = sandbox.addCustomer({ name: 'Acme' });
    sandbox.setCustomerTerms(customer, 'net_45');
    const events = sandbox.webhooks.flush().flatMap((d) => verifier.parse(d.body));
    expect(events).toEqual([
      {
        eventId: expect.stringMatching(/^evt_/),
        tenantId: 'acct_123',
        entity: 'customer',
        entityId: customer,
        action: 'created',
        occurredAt: now,
      },
      expect.objectContaining({ entity: 'customer', action: 'updated', entityId: customer }),
    ]);
  });

  it('maps the entity from the event’s object, so invoice.paid is an invoice event and subscriptions are other', () => {
    const body = (type: string, object: Record<string, unknown>, account?: string) =>
      Buffer.from(
        JSON.stringify({
          id: 'evt_1',
          object: 'event',
          type,
          created: 1772442000,
          data: { object },
          ...(account ? { account } : {}),
        }),
      );
    expect(verifier.parse(body('invoice.paid', { object: 'invoice', id: 'in_1' }))[0]).toMatchObject({
      entity: 'invoice',
      entityId: 'in_1',
      action: 'paid',
      occurredAt: new Date(1772442000 * 1000),
    });
    expect(verifier.parse(body('invoice.payment_succeeded', { object: 'invoice', id: 'in_1' }))[0]?.action).toBe(
      'payment_succeeded',
    );
    expect(
      verifier.parse(body('customer.subscription.updated', { object: 'subscription', id: 'sub_1' }))[0],
    ).toMatchObject({
      entity: 'other',
      action: 'subscription.updated',
    });
    expect(
      verifier.parse(body('invoice.created', { object: 'invoice', id: 'in_2' }, 'acct_connected'))[0]?.tenantId,
    ).toBe('acct_connected');
  });

  it('refuses a body that is not a Stripe event', () => {
    expect(() => verifier.parse(Buffer.from('nope'))).toThrow(expect.objectContaining({ kind: 'validation' }));
    expect(() => verifier.parse(Buffer.from('{"id":"x"}'))).toThrow(/not a Stripe event/);
  });
});
