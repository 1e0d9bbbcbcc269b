import { describe, expect, it } from '@jest/globals';
import { FinanceError } from '../../../../src/integrations/finance/port.js';
import {
  CLOUD_EVENT,
  FIXTURE_REALM_ID,
  LEGACY_WEBHOOK,
} from '../../../../src/integrations/finance/quickbooks/fixtures.js';
import { createQuickBooksSandbox } from '../../../../src/integrations/finance/quickbooks/sandbox/index.js';
import {
  createQuickBooksWebhookVerifier,
  parseQuickBooksWebhook,
  signQuickBooksWebhook,
} from '../../../../src/integrations/finance/quickbooks/webhooks.js';

const TOKEN = 'verifier-token-from-the-developer-portal';
const verifier = createQuickBooksWebhookVerifier(TOKEN);
const body = Buffer.from(JSON.stringify([CLOUD_EVENT]));

describe('QuickBooks webhook verifier', () => {
  it('accepts the intuit-signature of the exact raw body (header name in any case)', () => {
    const signature = signQuickBooksWebhook(TOKEN, body);
    expect(verifier.verify({ 'intuit-signature': signature }, body)).toBe(true);
    expect(verifier.verify({ 'Intuit-Signature': signature }, body)).toBe(true);
  });

  it('rejects a signature made with another verifier token', () => {
    expect(verifier.verify({ 'intuit-signature': signQuickBooksWebhook('wrong-token', body) }, body)).toBe(false);
  });

  it('rejects an altered body, even by one byte or re-serialised JSON', () => {
    const signature = signQuickBooksWebhook(TOKEN, body);
    const altered = Buffer.from(body.toString().replace('"130"', '"131"'));
    expect(verifier.verify({ 'intuit-signature': signature }, altered)).toBe(false);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifier.verify({ 'intuit-signature': signature }, reserialised)).toBe(false);
  });

  it('rejects a missing, empty or truncated signature', () => {
    const signature = signQuickBooksWebhook(TOKEN, body);
    expect(verifier.verify({}, body)).toBe(false);
    expect(verifier.verify({ 'intuit-signature': '' }, body)).toBe(false);
    expect(verifier.verify({ 'intuit-signature': signature.slice(0, -2) }, body)).toBe(false);
  });

  it('verifies what the sandbox emits', () => {
    const qbo = createQuickBooksSandbox({ webhookVerifierToken: TOKEN });
    const delivery = qbo.webhooks.deliver([CLOUD_EVENT]);
    expect(verifier.verify(delivery.headers, Buffer.from(delivery.body))).toBe(true);
  });
});

describe('QuickBooks webhook parser', () => {
  it('parses a CloudEvents array: the event id is Intuit’s id, the realm the tenant', () => {
    expect(verifier.parse(body)).toEqual([
      {
        eventId: '88cd52aa-33b6-4351-9aa4-47572edbd068',
        tenantId: FIXTURE_REALM_ID,
        entity: 'invoice',
        entityId: '130',
        action: 'updated',
        occurredAt: new Date('2026-03-20T21:31:25.179Z'),
      },
    ]);
  });

  it('maps entity names and keeps unknown ones as other', () => {
    const events = parseQuickBooksWebhook(
      Buffer.from(
        JSON.stringify([
          { ...CLOUD_EVENT, id: 'a', type: 'qbo.payment.created.v1' },
          { ...CLOUD_EVENT, id: 'b', type: 'qbo.customer.merged.v1' },
          { ...CLOUD_EVENT, id: 'c', type: 'qbo.creditmemo.voided.v1' },
          { ...CLOUD_EVENT, id: 'd', type: 'qbo.account.created.v1' },
        ]),
      ),
    );
    expect(events.map((e) => [e.entity, e.action])).toEqual([
      ['payment', 'created'],
      ['customer', 'merged'],
      ['credit_note', 'voided'],
      ['other', 'created'],
    ]);
  });

  it('parses the legacy eventNotifications shape with a stable dedupe id built from realm, entity, id, operation and time', () => {
    const events = parseQuickBooksWebhook(Buffer.from(JSON.stringify(LEGACY_WEBHOOK)));
    expect(events).toEqual([
      {
        eventId: `legacy:${FIXTURE_REALM_ID}:Invoice:130:Update:2026-03-20T21:31:25.000Z`,
        tenantId: FIXTURE_REALM_ID,
        entity: 'invoice',
        entityId: '130',
        action: 'updated',
        occurredAt: new Date('2026-03-20T21:31:25.000Z'),
      },
      {
        eventId: `legacy:${FIXTURE_REALM_ID}:Payment:201:Create:2026-03-20T21:31:24.000Z`,
        tenantId: FIXTURE_REALM_ID,
        entity: 'payment',
        entityId: '201',
        action: 'created',
        occurredAt: new Date('2026-03-20T21:31:24.000Z'),
      },
    ]);
    // a redelivery dedupes to the same ids
    expect(parseQuickBooksWebhook(Buffer.from(JSON.stringify(LEGACY_WEBHOOK))).map((e) => e.eventId)).toEqual(
      events.map((e) => e.eventId),
    );
  });

  it('tolerates fields Intuit may add, and rejects bodies of neither shape', () => {
    expect(parseQuickBooksWebhook(Buffer.from(JSON.stringify([{ ...CLOUD_EVENT, newField: 1 }])))).toHaveLength(1);
    expect(() => parseQuickBooksWebhook(Buffer.from('not json'))).toThrow(FinanceError);
    expect(() => parseQuickBooksWebhook(Buffer.from('{"hello":1}'))).toThrow(/neither/);
    expect(() =>
      parseQuickBooksWebhook(Buffer.from(JSON.stringify([{ ...CLOUD_EVENT, intuitaccountid: undefined }]))),
    ).toThrow(/intuitaccountid/);
  });

  it('parses an empty CloudEvents array to no events', () => {
    expect(parseQuickBooksWebhook(Buffer.from('[]'))).toEqual([]);
  });
});
