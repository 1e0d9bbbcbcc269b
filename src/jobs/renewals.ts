import { type RenewalSweepOptions, type RenewalSweepResult, sweepRenewals } from '../app/renewals.js';
import type { AppServices } from '../app/services.js';
import { VENDOR_CAPABILITIES } from '../billing/vendor-capabilities.js';
import { portalStore } from '../store/portal-store.js';
import type { FinanceJobDeps } from './finance-jobs.js';
import { QUEUES } from './queue.js';

/**
 * The renewal sweep (src/app/renewals.ts) as a job: hourly without a portal it queues one sweep per installed
 * portal (each judges "today" in its own time zone, so an hourly run catches every portal's midnight); with a
 * portal it sweeps that portal. The queue is stately per portal, so two sweeps of one portal never run at once.
 */

/** No portal: fan out. A portal: sweep it. */
export interface RenewalsJobData {
  portalId?: number;
}

export type RenewalJobDeps = Pick<FinanceJobDeps, 'db' | 'crmFor' | 'queue' | 'logger' | 'now'>;

export const RENEWAL_JOB_KEY = (portalId?: number) => (portalId === undefined ? 'sweep' : `renew:${portalId}`);

/**
 * The services a renewal sweep needs for one portal, built the way the server builds them for a request.
 * @example const services = await renewalServices(deps, 42);
 */
export async function renewalServices(deps: RenewalJobDeps, portalId: number): Promise<AppServices> {
  const store = portalStore(deps.db, portalId);
  return {
    store,
    crm: deps.crmFor(portalId),
    settings: await store.installation.settings(),
    queue: deps.queue,
    capabilities: (system) => VENDOR_CAPABILITIES[system],
    logger: deps.logger.child({ portalId, job: 'renewals' }),
  };
}

/**
 * The `renewals` worker.
 * @example await runRenewals(deps, {}) // { queued: [42, 43] }
 */
export async function runRenewals(
  deps: RenewalJobDeps,
  data: RenewalsJobData,
  options: RenewalSweepOptions = {},
): Promise<RenewalSweepResult | { queued: number[] }> {
  const now = (deps.now ?? (() => new Date()))();
  if (data.portalId !== undefined) {
    const services = await renewalServices(deps, data.portalId);
    return sweepRenewals(services, data.portalId, now, options);
  }
  const rows = await deps.db.query<{ portal_id: string | number }>(
    'SELECT portal_id FROM installations WHERE uninstalled_at IS NULL ORDER BY portal_id',
  );
  const portals = rows.map((r) => Number(r.portal_id));
  for (const portalId of portals) {
    await deps.queue?.send(QUEUES.renewals.name, { portalId }, { singletonKey: RENEWAL_JOB_KEY(portalId) });
  }
  return { queued: portals };
}
