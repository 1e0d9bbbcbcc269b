import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { storeHubSpotEvents } from '../app/gate.js';
import { isDomainError } from '../core/errors.js';
import { dedupeKey, parseWebhookBatch } from '../integrations/hubspot/webhooks.js';
import { type JobQueue, QUEUES } from '../jobs/queue.js';
import type { Db } from '../store/db.js';
import { hubspotSigned, signedBody } from './hubspot-signed.js';

/**
 * POST /webhooks/hubspot: verifies the v3 signature over the exact raw body, stores each event once (HubSpot's
 * event ids repeat, so by a composite key), answers 200 at once, and leaves the work to the `hubspot-events` queue —
 * HubSpot retries anything slower than 5 s or any non-2xx.
 * @example app.use(hubspotWebhookRouter({ db, queue, clientSecret, publicBaseUrl, logger }))
 */
export function hubspotWebhookRouter(deps: {
  db: Db;
  queue: Pick<JobQueue, 'send' | 'sendMany'>;
  clientSecret: string;
  publicBaseUrl: string;
  logger: Logger;
  now?: () => Date;
}): Router {
  const router = express.Router();
  const signed = hubspotSigned({ ...deps, what: 'Webhook' });
  router.post('/webhooks/hubspot', ...signed, async (_req, res) => {
    const body = signedBody(res);
    try {
      const events = parseWebhookBatch(body);
      const fresh = await storeHubSpotEvents(deps.db, events, dedupeKey);
      await deps.queue.sendMany(
        QUEUES.hubspotEvents.name,
        fresh.map((f) => ({ key: f.key })),
      );
      res.status(200).json({ received: events.length, new: fresh.length });
    } catch (e) {
      if (isDomainError(e)) {
        res.status(400).json(e.toJSON());
        return;
      }
      deps.logger.error({ err: e }, 'could not store a HubSpot webhook delivery');
      res.status(500).json({ code: 'internal', message: 'Could not store the delivery; HubSpot will retry it.' });
    }
  });
  return router;
}
