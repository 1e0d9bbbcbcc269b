import type { Express } from 'express';
import request from 'supertest';
import { signHubSpotV3 } from '../../src/integrations/hubspot/signature.js';
import { TEST_BASE_URL, TEST_CLIENT_SECRET } from './signed.js';

let nextEventId = 1;

/** A deal stage change as HubSpot delivers it. */
export function stageChange(
  portalId: number,
  dealId: string,
  stage: string,
  extra: { occurredAt?: number; changeSource?: string; sourceId?: string; eventId?: number } = {},
) {
  return {
    eventId: extra.eventId ?? nextEventId++,
    subscriptionId: 11,
    portalId,
    appId: 4242,
    occurredAt: extra.occurredAt ?? Date.now(),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: Number(dealId),
    propertyName: 'dealstage',
    propertyValue: stage,
    changeSource: extra.changeSource ?? 'CRM_UI',
    sourceId: extra.sourceId ?? 'userId:1001',
  };
}

/** Posts a delivery to /webhooks/hubspot signed as HubSpot would (or tampered, for negative tests). */
export function deliver(
  app: Express,
  events: unknown[],
  opts: { secret?: string; timestamp?: number; tamper?: string; omitSignature?: boolean } = {},
) {
  const body = JSON.stringify(events);
  const timestamp = String(opts.timestamp ?? Date.now());
  const signature = signHubSpotV3({
    method: 'POST',
    uri: `${TEST_BASE_URL}/webhooks/hubspot`,
    body,
    timestamp,
    clientSecret: opts.secret ?? TEST_CLIENT_SECRET,
  });
  let req = request(app)
    .post('/webhooks/hubspot')
    .set('content-type', 'application/json')
    .set('x-hubspot-request-timestamp', timestamp);
  if (!opts.omitSignature) req = req.set('x-hubspot-signature-v3', signature);
  return req.send(opts.tamper ?? body);
}
