import type { Express } from 'express';
import request from 'supertest';
import { signHubSpotV3 } from '../../src/integrations/hubspot/signature.js';

export const TEST_CLIENT_SECRET = 'test-client-secret';
export const TEST_BASE_URL = 'https://handoff.test';

/**
 * Sends a request exactly as `hubspot.fetch` would: query carries portalId/userId/userEmail, signed v3 over
 * method + full URI + raw body + timestamp. Options tamper with any part for negative tests.
 */
export function signedPost(
  app: Express,
  path: string,
  body: unknown,
  opts: {
    portalId?: number;
    userId?: string;
    userEmail?: string;
    secret?: string;
    timestamp?: number;
    tamperBody?: string;
    tamperQuery?: string;
    omitSignature?: boolean;
    /** Send (and sign) this exact text instead of JSON.stringify(body). */
    raw?: string;
  } = {},
) {
  const query = new URLSearchParams({
    portalId: String(opts.portalId ?? 42),
    userId: opts.userId ?? '1001',
    ...(opts.userEmail ? { userEmail: opts.userEmail } : {}),
  }).toString();
  const url = `${path}?${query}`;
  const raw = opts.raw ?? JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Date.now());
  const signature = signHubSpotV3({
    method: 'POST',
    uri: `${TEST_BASE_URL}${url}`,
    body: raw,
    timestamp,
    clientSecret: opts.secret ?? TEST_CLIENT_SECRET,
  });
  let req = request(app)
    .post(opts.tamperQuery ? `${path}?${opts.tamperQuery}` : url)
    .set('content-type', 'application/json')
    .set('x-hubspot-request-timestamp', timestamp);
  if (!opts.omitSignature) req = req.set('x-hubspot-signature-v3', signature);
  return req.send(opts.tamperBody ?? raw);
}
