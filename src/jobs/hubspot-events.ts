import type { Logger } from 'pino';
import { processHubSpotEvent } from '../app/gate.js';
import type { AppServices } from '../app/services.js';
import type { Db } from '../store/db.js';
import { type JobQueue, QUEUES } from './queue.js';

export interface HubSpotEventsDeps {
  db: Db;
  queue: JobQueue;
  services: (portalId: number) => Promise<AppServices>;
  appId: string;
  logger: Logger;
  now?: () => Date;
}

/**
 * Works the `hubspot-events` queue: each job is one stored event (by dedupe key), processed once.
 * @example await startHubSpotEventsWorker({ db, queue, services: runtime.services, appId, logger })
 */
export async function startHubSpotEventsWorker(deps: HubSpotEventsDeps): Promise<void> {
  await deps.queue.work<{ key: string }>(QUEUES.hubspotEvents.name, async (job) => {
    const outcome = await processHubSpotEvent(deps, job.data.key, deps.now?.() ?? new Date());
    deps.logger.debug({ key: job.data.key, outcome }, 'hubspot event processed');
  });
}

/**
 * Queues again every stored event still unprocessed after `olderThanMs` — covers a crash between storing a
 * delivery and queueing its jobs, so an acknowledged event is never lost.
 * @example await requeueUnprocessedEvents(db, queue, 60_000)
 */
export async function requeueUnprocessedEvents(
  db: Db,
  queue: Pick<JobQueue, 'send'>,
  olderThanMs: number,
): Promise<number> {
  const rows = await db.query<{ dedupe_key: string }>(
    `SELECT dedupe_key FROM inbound_events WHERE source = 'hubspot' AND processed_at IS NULL
       AND received_at < now() - make_interval(secs => $1::float / 1000) ORDER BY received_at LIMIT 1000`,
    [olderThanMs],
  );
  for (const r of rows) await queue.send(QUEUES.hubspotEvents.name, { key: r.dedupe_key });
  return rows.length;
}
