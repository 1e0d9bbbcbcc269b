import { describe, expect, it } from '@jest/globals';
import express from 'express';
import { z } from 'zod';
import { defineHandler } from '../../serverless/handler.js';
import { DomainError } from '../../src/core/errors.js';
import { apiRouter } from '../../src/server/api.js';
import { createLogger } from '../../src/server/logger.js';
import { signedPost, TEST_BASE_URL, TEST_CLIENT_SECRET } from '../support/signed.js';

const seen: Array<{ portalId: number; userId: string; roles: string[] }> = [];

const echo = defineHandler({
  name: 'echoDeal',
  input: z.object({ dealId: z.string().regex(/^\d+$/, 'must be a HubSpot record id') }),
  output: z.object({ dealId: z.string(), portalId: z.number() }),
  async handle(input, ctx) {
    seen.push({ portalId: ctx.portalId, userId: ctx.user.id, roles: ctx.user.roles });
    if (input.dealId === '404') throw new DomainError('not_found', 'Deal 404 does not exist', 'dealId');
    if (input.dealId === '500') throw new Error('boom with secret=abc');
    return { dealId: input.dealId, portalId: ctx.portalId };
  },
});

const broken = defineHandler({
  name: 'broken',
  input: z.object({}),
  output: z.object({ n: z.number() }),
  async handle() {
    return { n: 'not a number' } as unknown as { n: number };
  },
});

function app() {
  const a = express();
  a.use(
    '/api',
    apiRouter({
      handlers: [echo, broken],
      clientSecret: TEST_CLIENT_SECRET,
      publicBaseUrl: TEST_BASE_URL,
      logger: createLogger('silent'),
      resolve: async (portalId, userId) => {
        if (portalId === 99) throw new DomainError('forbidden', 'Revenue Handoff is not installed in portal 99');
        return { services: {}, user: { id: userId, roles: ['finance'], teams: [] } };
      },
    }),
  );
  return a;
}

describe('POST /api/<handler> (hubspot.fetch)', () => {
  it('runs the handler for a correctly signed request, with portal and user from the signed URL', async () => {
    const res = await signedPost(app(), '/api/echoDeal', { dealId: '7' }, { portalId: 42, userId: '555' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dealId: '7', portalId: 42 });
    expect(seen.at(-1)).toEqual({ portalId: 42, userId: '555', roles: ['finance'] });
  });

  it.each([
    ['a wrong client secret', { secret: 'nope' }, 'bad_signature'],
    ['an altered body', { tamperBody: JSON.stringify({ dealId: '8' }) }, 'bad_signature'],
    ['an altered query (another portal)', { tamperQuery: 'portalId=43&userId=1001' }, 'bad_signature'],
    ['a stale timestamp (replay)', { timestamp: Date.now() - 6 * 60 * 1000 }, 'stale_timestamp'],
    ['no signature header', { omitSignature: true }, 'missing_signature'],
  ])('rejects %s with 401 and runs nothing', async (_label, opts, reason) => {
    const before = seen.length;
    const res = await signedPost(app(), '/api/echoDeal', { dealId: '7' }, opts);
    expect(res.status).toBe(401);
    expect(res.body.message).toContain(reason);
    expect(seen.length).toBe(before);
  });

  it('answers bad input with 400 naming the field', async () => {
    const res = await signedPost(app(), '/api/echoDeal', { dealId: 'abc' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'invalid_input',
      path: 'dealId',
      message: 'dealId: must be a HubSpot record id',
    });
  });

  it('answers a correctly signed body that is not JSON with 400', async () => {
    const res = await signedPost(app(), '/api/echoDeal', {}, { raw: '{not json' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Request body is not valid JSON');
  });

  it('maps domain errors to their status with the message', async () => {
    const res = await signedPost(app(), '/api/echoDeal', { dealId: '404' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', message: 'dealId: Deal 404 does not exist' });
  });

  it('refuses a portal that has not installed the app', async () => {
    const res = await signedPost(app(), '/api/echoDeal', { dealId: '7' }, { portalId: 99 });
    expect(res.status).toBe(403);
  });

  it('answers an unexpected failure with a 500 that leaks nothing', async () => {
    const res = await signedPost(app(), '/api/echoDeal', { dealId: '500' });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret=abc');
  });

  it('never returns a result that breaks its own output schema', async () => {
    const res = await signedPost(app(), '/api/broken', {});
    expect(res.status).toBe(500);
  });

  it('answers an unknown function with 404', async () => {
    const res = await signedPost(app(), '/api/nope', {});
    expect(res.status).toBe(404);
  });
});
