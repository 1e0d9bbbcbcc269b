import type { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import type { GetMonthlyAuditInput, MonthlyAuditView } from '../api/contracts.js';
import { DomainError } from '../core/errors.js';
import { MANUAL_CORRECTION_FACT } from '../jobs/corrections.js';
import { type AuditFactsInput, type MonthlyAudit, monthlyAudit } from '../metrics/audit.js';
import type { Db } from '../store/db.js';
import { financeStore } from '../store/finance-store.js';
import { postMortemStore } from '../store/post-mortem-store.js';
import { revenueFacts } from './metrics-service.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

/** Who may read the audit: it names people's corrections and bad debts, so finance and RevOps only. */
export const AUDIT_ROLES = ['revops', 'finance'];

/**
 * Everything the monthly audit reads for one portal: the revenue facts (handoff events, invoice timings, invoice
 * snapshots) plus the manual corrections and the bad-debt post-mortems.
 * @example const facts = await auditFacts(db, 42, 'Europe/Berlin')
 */
export async function auditFacts(db: Db, portalId: number, timeZone: string): Promise<AuditFactsInput> {
  const [base, corrections, postMortems] = await Promise.all([
    revenueFacts(db, portalId, timeZone),
    financeStore(db, portalId).facts.list(MANUAL_CORRECTION_FACT),
    postMortemStore(db, portalId).list(),
  ]);
  return {
    handoffEvents: base.handoffEvents ?? [],
    invoiceTimings: base.invoiceTimings ?? [],
    invoices: base.invoices ?? [],
    manualCorrections: corrections.flatMap((c) =>
      typeof c.data.system === 'string' && typeof c.data.field === 'string'
        ? [{ system: c.data.system, field: c.data.field, at: c.at }]
        : [],
    ),
    postMortems: postMortems.map((p) => ({
      invoiceId: `${p.system}:${p.invoiceId}`,
      trigger: p.trigger,
      at: p.recordedAt,
    })),
  };
}

/**
 * The monthly audit of one portal as JSON, for the app home page and the CLI.
 * @example await monthlyAuditOf(db, 42, { month: '2026-03', now: new Date(), timeZone: 'Europe/Berlin' })
 */
export async function monthlyAuditOf(
  db: Db,
  portalId: number,
  options: { month: string; now: Date; timeZone: string },
): Promise<MonthlyAudit> {
  const facts = await auditFacts(db, portalId, options.timeZone);
  return monthlyAudit(facts, options);
}

/**
 * The getMonthlyAudit function: finance and RevOps only.
 * @example await getMonthlyAudit(ctx, { month: '2026-03' })
 */
export async function getMonthlyAudit(
  ctx: Ctx,
  input: z.output<typeof GetMonthlyAuditInput>,
): Promise<MonthlyAuditView> {
  if (!ctx.user.roles.some((r) => AUDIT_ROLES.includes(r))) {
    throw new DomainError(
      'forbidden',
      'Only finance or RevOps (the finance or revops role) can read the monthly audit',
      'user.roles',
    );
  }
  const { store, settings } = ctx.services;
  const audit = await monthlyAuditOf(store.db, ctx.portalId, {
    month: input.month,
    now: ctx.now,
    timeZone: settings.timeZone,
  });
  return JSON.parse(JSON.stringify(audit)) as MonthlyAuditView;
}
