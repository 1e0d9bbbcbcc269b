import { describe, expect, it } from '@jest/globals';
import { CRM_OBJECT_SUBSCRIPTIONS, webhooksHsmeta } from '../../../src/integrations/hubspot/app-webhooks.js';
import { REVENUE_HANDOFF_PROPERTIES } from '../../../src/integrations/hubspot/properties.js';
import { classify, OBJECT_TYPE_IDS, parseWebhookBatch } from '../../../src/integrations/hubspot/webhooks.js';

describe('app webhook subscriptions', () => {
  it('subscribes to deal stage changes, deal creation and the company properties we act on', () => {
    expect(CRM_OBJECT_SUBSCRIPTIONS[0]).toEqual({
      subscriptionType: 'object.propertyChange',
      objectType: 'deal',
      propertyName: 'dealstage',
      active: true,
    });
    expect(CRM_OBJECT_SUBSCRIPTIONS).toContainEqual({
      subscriptionType: 'object.creation',
      objectType: 'deal',
      active: true,
    });
    expect(CRM_OBJECT_SUBSCRIPTIONS.filter((s) => s.objectType === 'company').map((s) => s.propertyName)).toContain(
      'rh_credit_hold',
    );
  });

  it('every subscription produces events the app classifies as something it handles', () => {
    for (const s of CRM_OBJECT_SUBSCRIPTIONS) {
      const [event] = parseWebhookBatch(
        JSON.stringify([
          {
            eventId: 1,
            subscriptionId: 2,
            portalId: 3,
            appId: 4,
            occurredAt: 5,
            attemptNumber: 0,
            subscriptionType: s.subscriptionType,
            objectTypeId: OBJECT_TYPE_IDS[s.objectType],
            objectId: 6,
            ...(s.propertyName ? { propertyName: s.propertyName, propertyValue: 'x' } : {}),
          },
        ]),
      );
      expect(event && classify(event)).not.toBe('other');
    }
  });

  it('watches only company properties that exist (standard or ours)', () => {
    const ours = new Set((REVENUE_HANDOFF_PROPERTIES.properties.companies ?? []).map((p) => p.name));
    const standard = new Set(['name', 'address', 'address2', 'city', 'state', 'zip', 'country']);
    for (const s of CRM_OBJECT_SUBSCRIPTIONS.filter((x) => x.objectType === 'company')) {
      expect(ours.has(s.propertyName ?? '') || standard.has(s.propertyName ?? '')).toBe(true);
    }
  });

  it('builds the webhooks hsmeta component', () => {
    const meta = webhooksHsmeta('https://handoff.example.com/webhooks/hubspot');
    expect(meta.type).toBe('webhooks');
    expect(meta.config.settings).toEqual({
      targetUrl: 'https://handoff.example.com/webhooks/hubspot',
      maxConcurrentRequests: 10,
    });
    expect(meta.config.subscriptions.crmObjects).toEqual(CRM_OBJECT_SUBSCRIPTIONS);
  });
});
