import express, { type Request, type RequestHandler, type Response } from 'express';
import { verifyHubSpotSignatureV3 } from '../integrations/hubspot/signature.js';

export interface HubSpotSignedOptions {
  clientSecret: string;
  /** Public origin HubSpot called (https://…); the signature covers the full URI. */
  publicBaseUrl: string;
  now?: () => Date;
  /** What the request is, for the 401 message: 'Request', 'Webhook'. */
  what: string;
}

/**
 * The middleware pair of every route HubSpot calls: reads the exact raw body (at most 1 MB) and checks HubSpot's
 * v3 signature over method, full URI, body and timestamp (5-minute window, constant time). A refused request gets
 * a 401 that says why and goes no further; an accepted one finds the body text with `signedBody(res)`.
 * @example router.post('/webhooks/hubspot', ...hubspotSigned({ clientSecret, publicBaseUrl, what: 'Webhook' }), handler)
 */
export function hubspotSigned(options: HubSpotSignedOptions): RequestHandler[] {
  const check: RequestHandler = (req: Request, res: Response, next) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const result = verifyHubSpotSignatureV3({
      method: req.method,
      uri: `${options.publicBaseUrl}${req.originalUrl}`,
      body,
      signature: req.header('x-hubspot-signature-v3'),
      timestamp: req.header('x-hubspot-request-timestamp'),
      clientSecret: options.clientSecret,
      now: options.now?.() ?? new Date(),
    });
    if (!result.ok) {
      res.status(401).json({ code: 'unauthorized', message: `${options.what} signature rejected (${result.reason})` });
      return;
    }
    res.locals.signedBody = body;
    next();
  };
  return [express.raw({ type: () => true, limit: '1mb' }), check];
}

/** The raw body text of a request `hubspotSigned` accepted. */
export function signedBody(res: Response): string {
  return typeof res.locals.signedBody === 'string' ? res.locals.signedBody : '';
}
