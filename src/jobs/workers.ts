import type { Logger } from 'pino';
import { createFinanceGateway, type FinanceConfig, type FinanceGateway } from '../integrations/finance/factory.js';
import type { HubSpotCrm } from '../integrations/hubspot/client.js';
import type { Db } from '../store/db.js';
import type { SecretBox } from '../store/secrets.js';
import { runBillingSetup } from './billing-setup.js';
import type {
  BillingSetupJobData,
  FinanceJobDeps,
  ReceivablesRefreshJobData,
  ReconciliationJobData,
  ScheduledInvoicesJobData,
} from './finance-jobs.js';
import { type JobQueue, QUEUES } from './queue.js';
import { refreshReceivables } from './receivables.js';
import { runReconciliation } from './reconciliation.js';
import { RENEWAL_JOB_KEY, type RenewalsJobData, runRenewals } from './renewals.js';
import { runScheduledInvoices } from './scheduled-invoices.js';

/** When the sweeps run (cron, UTC): held invoices hourly (each portal's "today" begins at its own midnight), reconciliation every 15 minutes. */
export const SWEEP_SCHEDULES = {
  scheduledInvoices: '5 * * * *',
  reconciliation: '*/15 * * * *',
  renewals: '20 * * * *',
} as const;

export interface WorkerDeps {
  db: Db;
  box: SecretBox;
  queue: JobQueue;
  runtime: { crmFor(portalId: number): HubSpotCrm };
  financeConfig: FinanceConfig;
  /** The gateway the web routes already use (one set of OAuth clients per process); built from financeConfig when absent. */
  gateway?: FinanceGateway;
  logger: Logger;
  now?: () => Date;
  /** Register the cron sweeps (default true; tests run sweeps by hand). */
  schedules?: boolean;
  /** Jobs of one queue run at once in this process (default 2); the rate budget is shared across processes anyway. */
  localConcurrency?: number;
}

export interface Workers {
  gateway: FinanceGateway;
  /** What every job handler was given; tests call handlers with it directly. */
  jobDeps: FinanceJobDeps;
}

/**
 * Registers every finance worker on the queue (used in-process by `npm start` and by `npm run worker`) and the
 * cron sweeps. The billing-setup handler records a failure as final on the queue's last attempt, so a job never
 * ends in pg-boss's failed state without the setup saying so on the card.
 * @example const { gateway } = await startWorkers({ db, box, queue, runtime, financeConfig, logger });
 */
export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const gateway =
    deps.gateway ??
    createFinanceGateway({ db: deps.db, box: deps.box, config: deps.financeConfig, logger: deps.logger });
  const jobDeps: FinanceJobDeps = {
    db: deps.db,
    gateway,
    crmFor: (portalId) => deps.runtime.crmFor(portalId),
    queue: deps.queue,
    logger: deps.logger,
    ...(deps.now ? { now: deps.now } : {}),
  };
  const localConcurrency = deps.localConcurrency ?? 2;
  const log = (queue: string) => (e: unknown) => {
    deps.logger.warn({ err: e, queue }, 'finance job failed; the queue will retry it');
    throw e;
  };

  await deps.queue.work<BillingSetupJobData>(
    QUEUES.billingSetup.name,
    (job) =>
      runBillingSetup(jobDeps, job.data, { lastAttempt: job.retryCount >= QUEUES.billingSetup.retryLimit }).catch(
        log(QUEUES.billingSetup.name),
      ),
    { localConcurrency },
  );
  await deps.queue.work<ReceivablesRefreshJobData>(
    QUEUES.receivablesRefresh.name,
    (job) => refreshReceivables(jobDeps, job.data).catch(log(QUEUES.receivablesRefresh.name)),
    { localConcurrency },
  );
  await deps.queue.work<ScheduledInvoicesJobData>(
    QUEUES.scheduledInvoices.name,
    (job) => runScheduledInvoices(jobDeps, job.data).catch(log(QUEUES.scheduledInvoices.name)),
    { localConcurrency },
  );
  await deps.queue.work<ReconciliationJobData>(
    QUEUES.reconciliation.name,
    (job) => runReconciliation(jobDeps, job.data).catch(log(QUEUES.reconciliation.name)),
    { localConcurrency: 1 },
  );

  await deps.queue.work<RenewalsJobData>(
    QUEUES.renewals.name,
    (job) => runRenewals(jobDeps, job.data).catch(log(QUEUES.renewals.name)),
    { localConcurrency: 1 },
  );

  if (deps.schedules !== false) {
    // Stately queues need a singleton key on every job, scheduled ones included.
    await deps.queue.boss.schedule(
      QUEUES.scheduledInvoices.name,
      SWEEP_SCHEDULES.scheduledInvoices,
      {},
      {
        singletonKey: 'sweep',
        tz: 'UTC',
      },
    );
    await deps.queue.boss.schedule(
      QUEUES.renewals.name,
      SWEEP_SCHEDULES.renewals,
      {},
      { singletonKey: RENEWAL_JOB_KEY(), tz: 'UTC' },
    );
    await deps.queue.boss.schedule(
      QUEUES.reconciliation.name,
      SWEEP_SCHEDULES.reconciliation,
      {},
      {
        singletonKey: 'sweep',
        tz: 'UTC',
      },
    );
  }
  return { gateway, jobDeps };
}
