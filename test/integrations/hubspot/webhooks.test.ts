import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../../src/core/errors.js';
import {
  classify,
  dedupeKey,
  isOwnWrite,
  parseWebhookBatch,
  type WebhookEvent,
} from '../../../src/integrations/hubspot/webhooks.js';

const APP_ID = 7001;

const stageChange = {
  eventId: 1001,
  subscriptionId: 2001,
  portalId: 62515,
  appId: APP_ID,
  occurredAt: 1_762_077_600_000,
  subscriptionType: 'deal.propertyChange',
  attemptNumber: 0,
  objectId: 123456,
  propertyName: 'dealstage',
  propertyValue: 'closedwon',
  changeSource: 'CRM_UI',
  sourceId: 'userId:901',
};

const parseOne = (event: object): WebhookEvent => {
  const [parsed] = parseWebhookBatch(JSON.stringify([event]));
  if (!parsed) throw new Error('no event');
  return parsed;
};

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('parseWebhookBatch', () => {
  it('parses a delivery into typed events with record ids as strings', () => {
    const events = parseWebhookBatch(JSON.stringify([stageChange, { ...stageChange, eventId: 1002, objectId: 7 }]));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      objectId: '123456',
      portalId: 62515,
      propertyName: 'dealstage',
      propertyValue: 'closedwon',
      occurredAt: 1_762_077_600_000,
    });
  });

  it('keeps fields HubSpot adds that we do not know yet', () => {
    expect(parseOne({ ...stageChange, isSensitive: false })).toMatchObject({ isSensitive: false });
  });

  it('accepts generic object.* events with their objectTypeId', () => {
    const event = parseOne({ ...stageChange, subscriptionType: 'object.propertyChange', objectTypeId: '0-3' });
    expect(event.objectTypeId).toBe('0-3');
  });

  it('accepts an empty delivery', () => {
    expect(parseWebhookBatch('[]')).toEqual([]);
  });

  it('says the body is not JSON', () => {
    const e = domainError(() => parseWebhookBatch('{"eventId":'));
    expect(e.code).toBe('invalid_input');
    expect(e.path).toBe('body');
    expect(e.message).toMatch(/^body: is not JSON/);
  });

  it('says the body must be an array', () => {
    expect(domainError(() => parseWebhookBatch(JSON.stringify(stageChange))).message).toBe(
      'body: must be a JSON array of webhook events',
    );
  });

  it('refuses more than 100 events', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ ...stageChange, eventId: i }));
    expect(domainError(() => parseWebhookBatch(JSON.stringify(many))).message).toContain(
      'has 101 events; HubSpot sends at most 100',
    );
  });

  it('names the event and field at fault', () => {
    const { portalId: _drop, ...noPortal } = stageChange;
    const e = domainError(() =>
      parseWebhookBatch(JSON.stringify([stageChange, noPortal, { ...stageChange, occurredAt: 'yesterday' }])),
    );
    expect(e.path).toBe('[1].portalId');
    expect(e.issues.map((i) => i.path)).toEqual(['[1].portalId', '[2].occurredAt']);
  });

  it('requires a property name on property changes and an objectTypeId on generic events', () => {
    const { propertyName: _p, ...noProperty } = stageChange;
    expect(domainError(() => parseOne(noProperty)).issues[0]).toEqual({
      path: '[0].propertyName',
      message: 'is required for propertyChange events',
    });
    expect(domainError(() => parseOne({ ...stageChange, subscriptionType: 'object.creation' })).issues[0]?.path).toBe(
      '[0].objectTypeId',
    );
  });
});

describe('dedupeKey', () => {
  it('gives the same event delivered three times one key', () => {
    const events = parseWebhookBatch(
      JSON.stringify([stageChange, { ...stageChange, attemptNumber: 1 }, { ...stageChange, attemptNumber: 2 }]),
    );
    expect(new Set(events.map(dedupeKey)).size).toBe(1);
  });

  it('gives two events that differ only by eventId the same key (HubSpot repeats and reuses eventIds)', () => {
    expect(dedupeKey(parseOne(stageChange))).toBe(dedupeKey(parseOne({ ...stageChange, eventId: 99_999 })));
  });

  it('keeps apart changes that differ in value, time, object, property, subscription or portal', () => {
    const base = dedupeKey(parseOne(stageChange));
    for (const change of [
      { propertyValue: 'closedlost' },
      { occurredAt: stageChange.occurredAt + 1 },
      { objectId: 654321 },
      { propertyName: 'amount' },
      { subscriptionId: 2002 },
      { portalId: 62516 },
    ]) {
      expect(dedupeKey(parseOne({ ...stageChange, ...change }))).not.toBe(base);
    }
  });

  it('starts with the portal so keys can be listed per portal', () => {
    expect(dedupeKey(parseOne(stageChange))).toMatch(/^hubspot:62515:[0-9a-f]{64}$/);
  });
});

describe('classify', () => {
  it('recognises a deal stage change, legacy and generic', () => {
    expect(classify(parseOne(stageChange))).toBe('deal_stage_changed');
    expect(classify(parseOne({ ...stageChange, subscriptionType: 'object.propertyChange', objectTypeId: '0-3' }))).toBe(
      'deal_stage_changed',
    );
  });

  it('recognises a new deal', () => {
    const { propertyName: _p, propertyValue: _v, ...created } = stageChange;
    expect(classify(parseOne({ ...created, subscriptionType: 'deal.creation' }))).toBe('deal_created');
    expect(classify(parseOne({ ...created, subscriptionType: 'object.creation', objectTypeId: '0-3' }))).toBe(
      'deal_created',
    );
  });

  it('recognises a company property change', () => {
    const company = { ...stageChange, propertyName: 'rh_credit_hold', propertyValue: 'true' };
    expect(classify(parseOne({ ...company, subscriptionType: 'company.propertyChange' }))).toBe('company_changed');
    expect(classify(parseOne({ ...company, subscriptionType: 'object.propertyChange', objectTypeId: '0-2' }))).toBe(
      'company_changed',
    );
  });

  it('files anything else under other', () => {
    expect(classify(parseOne({ ...stageChange, propertyName: 'amount' }))).toBe('other');
    expect(classify(parseOne({ ...stageChange, subscriptionType: 'contact.propertyChange' }))).toBe('other');
    expect(classify(parseOne({ ...stageChange, subscriptionType: 'object.propertyChange', objectTypeId: '0-1' }))).toBe(
      'other',
    );
  });
});

describe('isOwnWrite', () => {
  it('is true when the change carries our app id as its source', () => {
    expect(isOwnWrite(parseOne({ ...stageChange, changeSource: 'INTEGRATION', sourceId: '7001' }), APP_ID)).toBe(true);
    expect(isOwnWrite(parseOne({ ...stageChange, changeSource: 'API', sourceId: 'app:7001' }), '7001')).toBe(true);
  });

  it('is false for people, other apps, and events without a source', () => {
    expect(isOwnWrite(parseOne(stageChange), APP_ID)).toBe(false);
    expect(isOwnWrite(parseOne({ ...stageChange, changeSource: 'INTEGRATION', sourceId: '7002' }), APP_ID)).toBe(false);
    expect(isOwnWrite(parseOne({ ...stageChange, sourceId: 'userId:7001' }), APP_ID)).toBe(false);
    const { sourceId: _s, ...noSource } = stageChange;
    expect(isOwnWrite(parseOne(noSource), APP_ID)).toBe(false);
  });
});
