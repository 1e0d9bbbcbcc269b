import type { Logger } from 'pino';
import { DomainError } from '../core/errors.js';
import { financeSystemName } from '../core/finance-systems.js';
import { causeOf, type FinanceGateway, FinanceNotConnected } from '../integrations/finance/factory.js';
import { FinanceError, type FinanceSystemId } from '../integrations/finance/port.js';
import type { HubSpotCrm } from '../integrations/hubspot/client.js';
import type { Db } from '../store/db.js';
import { ReconnectNeeded } from '../store/tokens.js';
import { type JobQueue, QUEUES } from './queue.js';
import { RateBudgetExhausted } from './rate-limit.js';

/**
 * What every finance job shares: the data of each queue, their singleton keys, the dependencies a worker gets,
 * and the one classification of failures into "fail now, visibly" and "let the queue retry later".
 */

export interface FinanceJobDeps {
  db: Db;
  gateway: FinanceGateway;
  crmFor: (portalId: number) => HubSpotCrm;
  queue: Pick<JobQueue, 'send'> | null;
  logger: Logger;
  now?: () => Date;
}

export interface BillingSetupJobData {
  portalId: number;
  setupId: string;
  handoffId: string;
}

export interface ReceivablesRefreshJobData {
  portalId: number;
  system: FinanceSystemId;
  customerId: string;
}

/** No portal: the hourly sweep that fans out per portal. A portal (and optionally one setup): issue what is due. */
export interface ScheduledInvoicesJobData {
  portalId?: number;
  setupId?: string;
}

/** No portal: the sweep that fans out per connection. */
export interface ReconciliationJobData {
  portalId?: number;
}

/** Singleton keys: at most one queued and one running job per key (stately queues). */
export const JOB_KEYS = {
  receivables: (portalId: number, system: FinanceSystemId, customerId: string) => `${portalId}:${system}:${customerId}`,
  issue: (portalId: number, setupId?: string) => (setupId ? `issue:${portalId}:${setupId}` : `issue:${portalId}`),
  reconcile: (portalId: number) => `reconcile:${portalId}`,
} as const;

/**
 * Queues a refresh of one customer's invoices (no-op without a queue).
 * @example await queueReceivablesRefresh(queue, { portalId: 42, system: 'xero', customerId: 'c-1' })
 */
export async function queueReceivablesRefresh(
  queue: Pick<JobQueue, 'send'> | null,
  data: ReceivablesRefreshJobData,
): Promise<void> {
  await queue?.send(QUEUES.receivablesRefresh.name, data, {
    singletonKey: JOB_KEYS.receivables(data.portalId, data.system, data.customerId),
  });
}

/**
 * Queues issuing what is due of one setup's held invoices, and deleting its cancelled ones' estimates (no-op
 * without a queue).
 * @example await queueIssueHeldInvoices(queue, 42, setupId)
 */
export async function queueIssueHeldInvoices(
  queue: Pick<JobQueue, 'send'> | null,
  portalId: number,
  setupId: string,
): Promise<void> {
  await queue?.send(
    QUEUES.scheduledInvoices.name,
    { portalId, setupId },
    { singletonKey: JOB_KEYS.issue(portalId, setupId) },
  );
}

/** A problem with the setup's own data or state, found before or without a vendor call; a person must fix it. */
export class SetupProblem extends Error {
  constructor(
    message: string,
    readonly kind: 'validation' | 'conflict' | 'not_found' = 'validation',
  ) {
    super(message);
    this.name = 'SetupProblem';
  }
}

/** How a failed finance job ends. */
export interface FailureVerdict {
  /** true: record the failure now (a person must act); false: throw, so the queue retries with backoff. */
  final: boolean;
  kind: string;
  /** In words a finance person can act on: the vendor's own message where there is one. */
  message: string;
  vendorMessage?: string;
  reconnect: boolean;
}

/**
 * Sorts a failure: a person must act (auth, validation, conflict, not found, a reconnect, our own data problems,
 * an answer we do not understand) → final; the vendor is busy or down, the shared budget is spent, or anything
 * unexpected (a crash, the database) → the queue retries, until its last attempt.
 * @example classifyFailure(new FinanceError('xero', 'validation', 'Email is invalid')).final // true
 */
export function classifyFailure(e: unknown): FailureVerdict {
  const reconnect = causeOf(e, ReconnectNeeded);
  if (e instanceof FinanceNotConnected) {
    return { final: true, kind: e.reason, message: e.message, reconnect: e.reason === 'reconnect_needed' };
  }
  if (reconnect) {
    const system = reconnect.owner.table === 'finance_connections' ? reconnect.owner.system : 'quickbooks';
    return {
      final: true,
      kind: 'reconnect_needed',
      message: `${financeSystemName(system)} needs to be reconnected: it refused our authorisation (${reconnect.reason}). Reconnect ${financeSystemName(system)} in the app settings, then retry billing setup.`,
      reconnect: true,
    };
  }
  if (e instanceof SetupProblem) return { final: true, kind: e.kind, message: e.message, reconnect: false };
  if (causeOf(e, RateBudgetExhausted)) {
    return { final: false, kind: 'rate_limited', message: (e as Error).message, reconnect: false };
  }
  if (e instanceof FinanceError) {
    const final = !e.retryable;
    const message =
      e.kind === 'auth'
        ? `${financeSystemName(e.system)} refused the request (${e.vendorMessage}). Reconnect ${financeSystemName(e.system)} in the app settings if this persists.`
        : `${financeSystemName(e.system)}: ${e.vendorMessage}`;
    return { final, kind: e.kind, message, vendorMessage: e.vendorMessage, reconnect: false };
  }
  if (e instanceof DomainError && e.code !== 'conflict') {
    return { final: true, kind: e.code, message: e.message, reconnect: false };
  }
  return { final: false, kind: 'unexpected', message: e instanceof Error ? e.message : String(e), reconnect: false };
}
