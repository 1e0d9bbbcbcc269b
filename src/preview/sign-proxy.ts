import type { AddressInfo } from 'node:net';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { signHubSpotV3 } from '../integrations/hubspot/signature.js';
import { PREVIEW_USER_HEADER, type PreviewPerson } from './bootstrap.js';

/** How long the proxy waits for the card API before answering 504 (HubSpot's own limit is 15 s). */
const FORWARD_TIMEOUT_MS = 15_000;

/**
 * Refuses unless this is the demo: the proxy signs whatever it is sent, so it exists only while the app has no
 * HubSpot credentials (config.demo), when the signing secret is the demo's (DEMO_CLIENT_SECRET) and no real app's.
 */
export function assertDemo(config: AppConfig): void {
  if (!config.demo) {
    throw new Error(
      'The card preview signs requests with the demo client secret; it is mounted only in demo mode (no HubSpot credentials)',
    );
  }
}

/** Where this request reached the server: the proxy calls the card API back on the same address and port. */
function selfOrigin(req: Request): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  const port = req.socket.localPort ?? (req.socket.address() as AddressInfo).port;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * POST /preview/api/:name — the demo-only stand-in for HubSpot's side of `hubspot.fetch`: takes the card's JSON
 * body and the demo person named in the x-rh-preview-user header, puts portalId, userId, userEmail and appId in the
 * query, signs method + full URI + body + timestamp with the demo client secret (X-HubSpot-Signature-v3) and
 * forwards the request over loopback to POST /api/:name, which verifies it like any request from HubSpot.
 * Throws at mount time unless config.demo.
 * @example router.use(signingProxy({ config, people, portalId, logger }))
 */
export function signingProxy(options: {
  config: AppConfig;
  people: ReadonlyArray<PreviewPerson>;
  portalId: number;
  logger: Logger;
}): Router {
  assertDemo(options.config);
  const { config, logger } = options;
  const router = express.Router();
  router.post(
    '/preview/api/:name',
    express.raw({ type: () => true, limit: '1mb' }),
    async (req: Request, res: Response) => {
      const name = String(req.params.name);
      const person = options.people.find((p) => p.id === req.header(PREVIEW_USER_HEADER));
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name) || !person) {
        res.status(400).json({
          code: 'invalid_input',
          message: `The preview proxy needs a backend function name and a demo person in ${PREVIEW_USER_HEADER}`,
        });
        return;
      }
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const query = new URLSearchParams({
        portalId: String(options.portalId),
        userId: person.id,
        userEmail: person.email,
        appId: config.hubspot.appId,
      });
      const path = `/api/${name}?${query.toString()}`;
      const timestamp = String(Date.now());
      const signature = signHubSpotV3({
        method: 'POST',
        uri: `${config.publicBaseUrl}${path}`,
        body,
        timestamp,
        clientSecret: config.hubspot.clientSecret,
      });
      try {
        const answer = await fetch(`${selfOrigin(req)}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hubspot-signature-v3': signature,
            'x-hubspot-request-timestamp': timestamp,
          },
          body,
          signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        });
        res
          .status(answer.status)
          .type(answer.headers.get('content-type') ?? 'application/json')
          .send(Buffer.from(await answer.arrayBuffer()));
      } catch (e) {
        logger.warn({ err: e, name }, 'preview proxy: the card API did not answer');
        res.status(504).json({ code: 'unavailable', message: 'The card API did not answer the preview proxy in time' });
      }
    },
  );
  return router;
}
