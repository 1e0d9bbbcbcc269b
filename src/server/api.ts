import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { CallingUser, Handler } from '../../serverless/handler.js';
import { DomainError, domainErrorIn } from '../core/errors.js';
import { parseInput, UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '../core/validate.js';
import { hubspotSigned, signedBody } from './hubspot-signed.js';

type AnyHandler<S> = Handler<z.ZodType, z.ZodType, S>;

export interface ApiOptions<S> {
  handlers: ReadonlyArray<AnyHandler<S>>;
  clientSecret: string;
  /** Public origin HubSpot called (https://…); the signature covers the full URI. */
  publicBaseUrl: string;
  logger: Logger;
  now?: () => Date;
  /** Builds the per-request services for a portal, and the caller's roles. Throws DomainError('forbidden') for a
   * portal that has not installed the app. */
  resolve(portalId: number, userId: string, email: string | undefined): Promise<{ services: S; user: CallingUser }>;
}

const STATUS: Record<string, number> = {
  invalid_input: 400,
  invalid_transition: 409,
  conflict: 409,
  infeasible: 422,
  currency_mismatch: 400,
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
};

/**
 * POST /api/<handler> for cards calling through `hubspot.fetch`: verifies HubSpot's v3 signature over the exact
 * raw body, takes the portal and user only from the signed query string, validates input and output with the
 * handler's schemas, and maps errors to 4xx with a message a person can act on.
 * @example app.use('/api', apiRouter({ handlers, clientSecret, publicBaseUrl, logger, resolve }));
 */
export function apiRouter<S>(options: ApiOptions<S>): Router {
  const router = express.Router();
  const byName = new Map(options.handlers.map((h) => [h.name, h]));
  const now = options.now ?? (() => new Date());

  const signed = hubspotSigned({ ...options, now, what: 'Request' });
  router.post('/:name', ...signed, async (req: Request, res: Response) => {
    const body = signedBody(res);
    const handler = byName.get(String(req.params.name));
    if (!handler) {
      res.status(404).json({ code: 'not_found', message: `No backend function named ${req.params.name}` });
      return;
    }
    const portalId = Number(req.query.portalId);
    // HubSpot user ids are numbers (portal settings accept no other kind); anything else cannot be a caller.
    const userId = typeof req.query.userId === 'string' && /^\d{1,20}$/.test(req.query.userId) ? req.query.userId : '';
    if (!Number.isSafeInteger(portalId) || portalId <= 0 || !userId) {
      res.status(400).json({ code: 'invalid_input', message: 'portalId and userId are required in the signed URL' });
      return;
    }
    try {
      let parsedBody: unknown = {};
      if (body.trim()) {
        try {
          parsedBody = JSON.parse(body);
        } catch {
          res.status(400).json({ code: 'invalid_input', path: '', message: 'Request body is not valid JSON' });
          return;
        }
      }
      const unstorable = unstorableTextPath(parsedBody);
      if (unstorable !== null) throw new DomainError('invalid_input', UNSTORABLE_TEXT_MESSAGE, unstorable);
      const input = parseInput(handler.input, parsedBody);
      const email = typeof req.query.userEmail === 'string' ? req.query.userEmail : undefined;
      const { services, user } = await options.resolve(portalId, userId, email);
      const started = Date.now();
      const result = await handler.handle(input, {
        portalId,
        user,
        now: now(),
        logger: options.logger.child({ handler: handler.name, portalId }),
        services,
      });
      const out = handler.output.safeParse(result);
      if (!out.success) {
        options.logger.error({ handler: handler.name, issues: out.error.issues }, 'handler returned an invalid result');
        res.status(500).json({ code: 'internal', message: 'The backend produced an invalid answer; it was logged.' });
        return;
      }
      options.logger.debug({ handler: handler.name, ms: Date.now() - started }, 'handled');
      res.status(200).json(out.data);
    } catch (e) {
      const domain = domainErrorIn(e);
      if (domain) {
        res.status(STATUS[domain.code] ?? 400).json(domain.toJSON());
        return;
      }
      options.logger.error({ err: e, handler: handler.name }, 'handler failed');
      res.status(500).json({ code: 'internal', message: 'Something went wrong on our side; it was logged.' });
    }
  });
  return router;
}
