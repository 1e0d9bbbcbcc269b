import { describe, expect, it } from '@jest/globals';
import { createXeroSandbox } from '../../../../src/integrations/finance/xero/sandbox/index.js';
import { createXeroWebhookVerifier, signXeroWebhook } from '../../../../src/integrations/finance/xero/webhooks.js';

const key = 'xero-webhook-key';
const verifier = createXeroWebhookVerifier({ webhookKey: key });

const body = Buffer.from(
  JSON.stringify({
    events: [
      {
        resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/717f2bfc-c6d4-41fd-b238-3f2f0c0cf777',
        resourceId: '717f2bfc-c6d4-41fd-b238-3f2f0c0cf777',
        eventDateUtc: '2024-06-21T01:15:39.902',
        eventType: 'UPDATE',
        eventCategory: 'INVOICE',
        tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
        tenantType: 'ORGANISATION',
      },
      {
        resourceUrl: 'https://api.xero.com/api.xro/2.0/Contacts/11111111-c6d4-41fd-b238-3f2f0c0cf777',
        resourceId: '11111111-c6d4-41fd-b238-3f2f0c0cf777',
        eventDateUtc: '2024-06-21T01:15:40.000',
        eventType: 'CREATE',
        eventCategory: 'CONTACT',
        tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
        tenantType: 'ORGANISATION',
      },
    ],
    firstEventSequence: 1,
    lastEventSequence: 2,
    entropy: 'S0m3r4Nd0mt3xt',
  }),
);

describe('Xero webhook verification', () => {
  it('accepts the right signature over the exact raw body (header name in any case)', () => {
    const signature = signXeroWebhook(key, body);
    expect(verifier.verify({ 'x-xero-signature': signature }, body)).toBe(true);
    expect(verifier.verify({ 'X-Xero-Signature': signature }, body)).toBe(true);
  });

  it('refuses a signature made with another key', () => {
    expect(verifier.verify({ 'x-xero-signature': signXeroWebhook('other-key', body) }, body)).toBe(false);
  });

  it('refuses an altered body, even by one byte of whitespace', () => {
    const signature = signXeroWebhook(key, body);
    const altered = Buffer.from(body.toString('utf8').replace('UPDATE', 'CREATE'));
    expect(verifier.verify({ 'x-xero-signature': signature }, altered)).toBe(false);
    expect(verifier.verify({ 'x-xero-signature': signature }, Buffer.concat([body, Buffer.from(' ')]))).toBe(false);
  });

  it('refuses a missing or malformed header', () => {
    expect(verifier.verify({}, body)).toBe(false);
    expect(verifier.verify({ 'x-xero-signature': 'not-base64' }, body)).toBe(false);
  });

  it('answers the intent-to-receive handshake: correct signature → true (200), wrong → false (401)', () => {
    const sandbox = createXeroSandbox({ webhookKey: key });
    const good = sandbox.webhooks.intentToReceive(true);
    const bad = sandbox.webhooks.intentToReceive(false);
    expect(good.payload.events).toEqual([]);
    expect(verifier.verify(good.headers, good.body)).toBe(true);
    expect(verifier.verify(bad.headers, bad.body)).toBe(false);
    expect(verifier.parse(good.body)).toEqual([]);
  });
});

describe('Xero webhook parsing', () => {
  it('turns events[] into FinanceWebhookEvents with a composite dedupe id', () => {
    expect(verifier.parse(body)).toEqual([
      {
        eventId:
          'xero:c2cc9b6e-9458-4c7d-93cc-f02b81b0594f:INVOICE:UPDATE:717f2bfc-c6d4-41fd-b238-3f2f0c0cf777:2024-06-21T01:15:39.902',
        tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
        entity: 'invoice',
        entityId: '717f2bfc-c6d4-41fd-b238-3f2f0c0cf777',
        action: 'update',
        occurredAt: new Date('2024-06-21T01:15:39.902Z'),
      },
      expect.objectContaining({
        entity: 'customer',
        action: 'create',
        entityId: '11111111-c6d4-41fd-b238-3f2f0c0cf777',
      }),
    ]);
  });

  it('gives a redelivery the same id (so the inbox dedupes it)', () => {
    expect(verifier.parse(body)[0]?.eventId).toBe(verifier.parse(Buffer.from(body))[0]?.eventId);
  });

  it('refuses a body that is not a Xero event list', () => {
    expect(() => verifier.parse(Buffer.from('nope'))).toThrow(expect.objectContaining({ kind: 'validation' }));
    expect(() => verifier.parse(Buffer.from('{"events":[{"resourceId":1}]}'))).toThrow(/not a Xero event list/);
  });

  it('the sandbox emits signed deliveries for what changed, which verify and parse', () => {
    const sandbox = createXeroSandbox({ webhookKey: key, now: () => new Date('2026-03-02T09:00:00Z') });
    const contactId = sandbox.addContact({ Name: 'Acme' });
    sandbox.setContactTerms(contactId, 'net_45');
    const delivery = sandbox.webhooks.flush();
    expect(delivery).not.toBeNull();
    expect(verifier.verify(delivery?.headers ?? {}, delivery?.body ?? Buffer.alloc(0))).toBe(true);
    const events = verifier.parse(delivery?.body ?? Buffer.alloc(0));
    expect(events.map((e) => [e.entity, e.action, e.entityId])).toEqual([
      ['customer', 'create', contactId],
      ['customer', 'update', contactId],
    ]);
    expect(delivery?.payload).toMatchObject({ firstEventSequence: 1, lastEventSequence: 2 });
    expect(sandbox.webhooks.flush()).toBeNull();
  });
});
