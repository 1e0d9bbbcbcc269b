import type { BooksTaxSetup } from '../billing/capabilities.js';
import { TaxSetupSchema } from '../billing/tax-feasibility.js';
import { DomainError } from '../core/errors.js';
import type { HandoffEvaluation } from '../handoff/evaluation.js';
import type { HandoffException } from '../handoff/exceptions.js';
import type { HandoffData } from '../handoff/fields.js';
import type { Handoff } from '../handoff/lifecycle.js';
import { type HandoffTemplate, validateTemplate } from '../handoff/template.js';
import type { InvoiceSnapshot } from '../receivables/invoice.js';
import { type PortalSettings, parsePortalSettings } from '../settings/portal-settings.js';
import type { Db } from './db.js';
import { estimateOf, type InvoiceEstimate } from './finance-store.js';

/** A handoff as stored: the domain record, the field values, the last evaluation and a revision for concurrency. */
export interface StoredHandoff {
  handoff: Handoff;
  data: HandoffData;
  evaluation: HandoffEvaluation | null;
  revision: number;
}

export type FinanceSystemId = 'quickbooks' | 'xero' | 'stripe';

export interface FinanceConnectionRow {
  system: FinanceSystemId;
  tenantId: string;
  status: 'connected' | 'reconnect_needed' | 'disconnected';
  lastError: string | null;
  updatedAt: string;
  /** The books' tax setup as last read (finance_connections.capabilities.tax), for feasibility before signature. */
  taxSetup?: BooksTaxSetup;
}

export interface BillingSetupRow {
  id: string;
  handoffId: string;
  dealId: string;
  companyId: string | null;
  system: FinanceSystemId;
  status: 'pending' | 'running' | 'live' | 'failed';
  plan: unknown;
  schedule: unknown;
  /** How the template wanted QuickBooks' scheduled invoices shown (fixed at acceptance): `estimate` also makes a
   * non-posting Estimate of each in QuickBooks. */
  scheduledAs: 'held' | 'estimate';
  lastError: { message: string; at: string; kind?: string } | null;
  attempts: number;
  liveAt: string | null;
  updatedAt: string;
}

export interface ScheduledInvoiceRow {
  setupId: string;
  key: string;
  issueDate: string | null;
  trigger: string;
  status: 'scheduled' | 'draft' | 'issued' | 'cancelled';
  total: { amount: number; currency: string };
  financeInvoiceId: string | null;
  url: string | null;
  /** The QuickBooks Estimate that shows this invoice ahead (template setting `quickbooksScheduledAs: 'estimate'`). */
  estimate: InvoiceEstimate | null;
}

/** One line of the audit trail and thread, whatever produced it (lifecycle, evaluation, exception, gate). */
export interface AuditEvent {
  id?: number;
  handoffId: string;
  type: string;
  actor: string;
  at: string;
  payload: Record<string, unknown>;
}

interface HandoffRow {
  record: Handoff;
  data: HandoffData;
  evaluation: HandoffEvaluation | null;
  revision: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function repositories(db: Db, portalId: number) {
  const p = portalId;
  const toStored = (r: HandoffRow): StoredHandoff => ({
    handoff: r.record,
    data: r.data ?? {},
    evaluation: r.evaluation,
    revision: Number(r.revision),
  });

  return {
    portalId: p,
    db,

    installation: {
      async exists(): Promise<boolean> {
        const rows = await db.query('SELECT 1 FROM installations WHERE portal_id = $1 AND uninstalled_at IS NULL', [p]);
        return rows.length > 0;
      },
      async settings(): Promise<PortalSettings> {
        const [row] = await db.query<{ settings: unknown; time_zone: string }>(
          'SELECT settings, time_zone FROM installations WHERE portal_id = $1',
          [p],
        );
        if (!row) throw new DomainError('forbidden', `Revenue Handoff is not installed in portal ${p}`);
        return parsePortalSettings(row.settings);
      },
      async saveSettings(settings: PortalSettings): Promise<void> {
        await db.query(
          'UPDATE installations SET settings = $2, time_zone = $3, updated_at = now() WHERE portal_id = $1',
          [p, JSON.stringify(settings), settings.timeZone],
        );
      },
    },

    templates: {
      /** The newest version of every template of the portal. */
      async latest(): Promise<HandoffTemplate[]> {
        const rows = await db.query<{ definition: unknown }>(
          `SELECT DISTINCT ON (template_id) definition FROM handoff_templates
           WHERE portal_id = $1 ORDER BY template_id, version DESC`,
          [p],
        );
        return rows.map((r) => validateTemplate(r.definition));
      },
      async get(templateId: string, version?: number): Promise<HandoffTemplate | null> {
        const rows = await db.query<{ definition: unknown }>(
          version === undefined
            ? 'SELECT definition FROM handoff_templates WHERE portal_id = $1 AND template_id = $2 ORDER BY version DESC LIMIT 1'
            : 'SELECT definition FROM handoff_templates WHERE portal_id = $1 AND template_id = $2 AND version = $3',
          version === undefined ? [p, templateId] : [p, templateId, version],
        );
        return rows[0] ? validateTemplate(rows[0].definition) : null;
      },
      /** Saves an edit as the next version; earlier versions stay, since handoffs record the version they used. */
      async saveNewVersion(input: unknown, createdBy: string): Promise<HandoffTemplate> {
        const draft = validateTemplate(input);
        const [row] = await db.query<{ v: number | null }>(
          'SELECT max(version) AS v FROM handoff_templates WHERE portal_id = $1 AND template_id = $2',
          [p, draft.id],
        );
        const template = validateTemplate({ ...draft, version: Number(row?.v ?? 0) + 1 });
        await db.query(
          'INSERT INTO handoff_templates (portal_id, template_id, version, definition, created_by) VALUES ($1, $2, $3, $4, $5)',
          [p, template.id, template.version, JSON.stringify(template), createdBy],
        );
        return template;
      },
      /** Stores the given templates as they are, unless a version of that template exists (install, demo seed). */
      async seed(templates: ReadonlyArray<HandoffTemplate>): Promise<void> {
        for (const t of templates) {
          await db.query(
            `INSERT INTO handoff_templates (portal_id, template_id, version, definition, created_by)
             SELECT $1, $2, $3, $4, 'install'
             WHERE NOT EXISTS (SELECT 1 FROM handoff_templates WHERE portal_id = $1 AND template_id = $2)`,
            [p, t.id, t.version, JSON.stringify(t)],
          );
        }
      },
    },

    handoffs: {
      async byDeal(dealId: string): Promise<StoredHandoff[]> {
        const rows = await db.query<HandoffRow>(
          'SELECT record, data, evaluation, revision FROM handoffs WHERE portal_id = $1 AND deal_id = $2 ORDER BY created_at',
          [p, dealId],
        );
        return rows.map(toStored);
      },
      async get(handoffId: string): Promise<StoredHandoff | null> {
        // Handoff ids are UUIDs: anything else (a caller's typo or worse) is simply not found, not a database error.
        if (!UUID.test(handoffId)) return null;
        const rows = await db.query<HandoffRow>(
          'SELECT record, data, evaluation, revision FROM handoffs WHERE portal_id = $1 AND id = $2',
          [p, handoffId],
        );
        return rows[0] ? toStored(rows[0]) : null;
      },
      async insert(h: Handoff, data: HandoffData, evaluation: HandoffEvaluation | null): Promise<StoredHandoff> {
        await db.query(
          `INSERT INTO handoffs (id, portal_id, deal_id, template_id, template_version, state, data, evaluation,
             percent_complete, submitted_at, decided_at, record, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
          [
            h.id,
            p,
            h.dealId,
            h.templateId,
            h.templateVersion,
            h.state,
            JSON.stringify(data),
            evaluation ? JSON.stringify(evaluation) : null,
            evaluation?.percentComplete ?? 0,
            h.submittedAt,
            h.decidedAt,
            JSON.stringify(h),
            h.createdAt,
          ],
        );
        return { handoff: h, data, evaluation, revision: 0 };
      },
      /**
       * Writes a new state of a handoff if nobody else wrote since `revision` was read; otherwise a conflict
       * error asks the person to reload, so two concurrent edits never silently overwrite each other.
       */
      async update(next: StoredHandoff): Promise<StoredHandoff> {
        const h = next.handoff;
        const rows = await db.query<{ revision: number }>(
          `UPDATE handoffs SET state = $4, template_version = $5, data = $6, evaluation = $7, percent_complete = $8,
             submitted_at = $9, decided_at = $10, record = $11, revision = revision + 1, updated_at = $12
           WHERE portal_id = $1 AND id = $2 AND revision = $3 RETURNING revision`,
          [
            p,
            h.id,
            next.revision,
            h.state,
            h.templateVersion,
            JSON.stringify(next.data),
            next.evaluation ? JSON.stringify(next.evaluation) : null,
            next.evaluation?.percentComplete ?? 0,
            h.submittedAt,
            h.decidedAt,
            JSON.stringify(h),
            h.updatedAt,
          ],
        );
        if (!rows[0]) {
          throw new DomainError(
            'conflict',
            'This handoff was changed by someone else since you opened it; reload to see their changes',
            'handoff',
          );
        }
        return { ...next, revision: Number(rows[0].revision) };
      },
      async countByState(): Promise<Record<string, number>> {
        const rows = await db.query<{ state: string; n: string }>(
          'SELECT state, count(*) AS n FROM handoffs WHERE portal_id = $1 GROUP BY state',
          [p],
        );
        return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
      },
    },

    finance: {
      /** The portal's finance connection (one system at a time), or null when none was ever connected. */
      async connection(): Promise<FinanceConnectionRow | null> {
        const rows = await db.query<{
          system: FinanceSystemId;
          tenant_id: string;
          status: FinanceConnectionRow['status'];
          last_error: string | null;
          updated_at: Date;
          tax: unknown;
        }>(
          `SELECT system, tenant_id, status, last_error, updated_at, capabilities -> 'tax' AS tax FROM finance_connections
           WHERE portal_id = $1 AND status <> 'disconnected' ORDER BY updated_at DESC LIMIT 1`,
          [p],
        );
        const r = rows[0];
        // A stored setup that no longer parses (an older shape) is ignored: the next billing setup reads it again.
        const tax = r?.tax ? TaxSetupSchema.safeParse(r.tax) : undefined;
        return r
          ? {
              system: r.system,
              tenantId: r.tenant_id,
              status: r.status,
              lastError: r.last_error,
              updatedAt: new Date(r.updated_at).toISOString(),
              ...(tax?.success ? { taxSetup: tax.data as BooksTaxSetup } : {}),
            }
          : null;
      },
      /** Remembers the books' tax setup read from the finance system (without touching updated_at). */
      async rememberTaxSetup(system: FinanceSystemId, tenantId: string, setup: BooksTaxSetup): Promise<void> {
        await db.query(
          `UPDATE finance_connections SET capabilities = jsonb_set(capabilities, '{tax}', $4::jsonb)
           WHERE portal_id = $1 AND system = $2 AND tenant_id = $3`,
          [p, system, tenantId, JSON.stringify(setup)],
        );
      },
      /** The finance customer linked to a HubSpot company, if any. */
      async link(
        system: FinanceSystemId,
        companyId: string,
      ): Promise<{ customerId: string; url: string | null } | null> {
        const rows = await db.query<{ customer_id: string; customer_url: string | null }>(
          'SELECT customer_id, customer_url FROM finance_links WHERE portal_id = $1 AND system = $2 AND company_id = $3',
          [p, system, companyId],
        );
        return rows[0] ? { customerId: rows[0].customer_id, url: rows[0].customer_url } : null;
      },
    },

    billing: {
      async setupByHandoff(handoffId: string): Promise<BillingSetupRow | null> {
        if (!UUID.test(handoffId)) return null;
        const rows = await db.query<Record<string, unknown>>(
          'SELECT * FROM billing_setups WHERE portal_id = $1 AND handoff_id = $2',
          [p, handoffId],
        );
        return rows[0] ? toSetup(rows[0]) : null;
      },
      async setup(setupId: string): Promise<BillingSetupRow | null> {
        const rows = await db.query<Record<string, unknown>>(
          'SELECT * FROM billing_setups WHERE portal_id = $1 AND id = $2',
          [p, setupId],
        );
        return rows[0] ? toSetup(rows[0]) : null;
      },
      /**
       * Creates the billing setup of a handoff, or returns the existing one: one setup per handoff, however often
       * acceptance or a retry asks for it.
       */
      async ensureSetup(input: {
        handoffId: string;
        dealId: string;
        companyId: string | null;
        system: FinanceSystemId;
        plan: unknown;
        schedule: unknown;
        scheduledAs?: BillingSetupRow['scheduledAs'];
      }): Promise<BillingSetupRow> {
        await db.query(
          `INSERT INTO billing_setups (portal_id, handoff_id, deal_id, company_id, system, status, plan, schedule,
             scheduled_as)
           VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8)
           ON CONFLICT (portal_id, handoff_id) DO NOTHING`,
          [
            p,
            input.handoffId,
            input.dealId,
            input.companyId,
            input.system,
            JSON.stringify(input.plan),
            JSON.stringify(input.schedule),
            input.scheduledAs ?? 'held',
          ],
        );
        const row = await this.setupByHandoff(input.handoffId);
        if (!row) throw new Error('billing setup vanished after insert');
        return row;
      },
      async markStatus(
        setupId: string,
        status: BillingSetupRow['status'],
        error: BillingSetupRow['lastError'] = null,
      ): Promise<void> {
        await db.query(
          `UPDATE billing_setups SET status = $3, last_error = $4, updated_at = now(),
             attempts = attempts + CASE WHEN $3 = 'running' THEN 1 ELSE 0 END,
             live_at = CASE WHEN $3 = 'live' THEN now() ELSE live_at END
           WHERE portal_id = $1 AND id = $2`,
          [p, setupId, status, error ? JSON.stringify(error) : null],
        );
      },
      async failedSetups(limit = 50): Promise<BillingSetupRow[]> {
        const rows = await db.query<Record<string, unknown>>(
          `SELECT * FROM billing_setups WHERE portal_id = $1 AND status = 'failed' ORDER BY updated_at DESC LIMIT $2`,
          [p, limit],
        );
        return rows.map(toSetup);
      },
      /**
       * Finance calls retried for a setup (429s waited out, 5xx backed off), as the finance gateway records them;
       * the admin page shows the count next to a slow or failed setup.
       */
      async retries(setupId: string): Promise<{ count: number; rateLimited: number; lastAt: string | null }> {
        const [row] = await db.query<{ n: string; limited: string; last: Date | null }>(
          `SELECT count(*) AS n, count(*) FILTER (WHERE data->>'kind' = 'rate_limited') AS limited, max(at) AS last
           FROM metric_facts WHERE portal_id = $1 AND kind = 'finance_retry' AND subject_id = $2`,
          [p, setupId],
        );
        return {
          count: Number(row?.n ?? 0),
          rateLimited: Number(row?.limited ?? 0),
          lastAt: row?.last ? new Date(row.last).toISOString() : null,
        };
      },
      async invoices(setupId: string): Promise<ScheduledInvoiceRow[]> {
        const rows = await db.query<{
          setup_id: string;
          invoice_key: string;
          issue_date: Date | string | null;
          trigger: string;
          status: ScheduledInvoiceRow['status'];
          total_amount: string | number;
          currency: string;
          finance_invoice_id: string | null;
          url: string | null;
          finance_estimate_id: string | null;
          finance_estimate_number: string | null;
          finance_estimate_url: string | null;
          estimate_status: 'open' | 'closed' | 'deleted' | null;
        }>(
          `SELECT s.*, i.url FROM scheduled_invoices s
           LEFT JOIN invoice_snapshots i ON i.portal_id = s.portal_id AND i.invoice_id = s.finance_invoice_id
           WHERE s.portal_id = $1 AND s.setup_id = $2 ORDER BY s.issue_date NULLS LAST, s.invoice_key`,
          [p, setupId],
        );
        return rows.map((r) => ({
          setupId: r.setup_id,
          key: r.invoice_key,
          issueDate: r.issue_date === null ? null : dayOf(r.issue_date),
          trigger: r.trigger,
          status: r.status,
          total: { amount: Number(r.total_amount), currency: r.currency },
          financeInvoiceId: r.finance_invoice_id,
          url: r.url,
          estimate: estimateOf(r),
        }));
      },
    },

    receivables: {
      /** A customer's invoice snapshots in the receivables domain's shape, and when they were last refreshed. */
      async snapshots(
        system: FinanceSystemId,
        customerId: string,
      ): Promise<{ invoices: InvoiceSnapshot[]; asOf: string | null }> {
        const rows = await db.query<Record<string, unknown>>(
          'SELECT * FROM invoice_snapshots WHERE portal_id = $1 AND system = $2 AND customer_id = $3 ORDER BY due_date',
          [p, system, customerId],
        );
        let asOf: string | null = null;
        const invoices = rows.map((r) => {
          const updated = new Date(r.updated_at as string).toISOString();
          if (!asOf || updated > asOf) asOf = updated;
          const currency = String(r.currency);
          const inv: InvoiceSnapshot = {
            id: String(r.invoice_id),
            number: String(r.number ?? r.invoice_id),
            customerId: String(r.customer_id),
            issueDate: dayOf(r.issue_date as Date | string),
            dueDate: dayOf(r.due_date as Date | string),
            currency,
            total: { amount: Number(r.total_amount), currency },
            amountDue: { amount: Number(r.amount_due), currency },
            status: r.status as InvoiceSnapshot['status'],
            payments: (r.payments as InvoiceSnapshot['payments']) ?? [],
            source: system,
          };
          if (r.url) inv.url = String(r.url);
          if (r.paid_on) inv.paidOn = dayOf(r.paid_on as Date | string);
          return inv;
        });
        return { invoices, asOf };
      },
      /**
       * Makes the stored snapshots of one customer exactly the given complete list: upserts each and deletes the
       * customer's invoices the finance system no longer lists (deleted drafts, merged or removed invoices).
       */
      async replaceCustomer(
        system: FinanceSystemId,
        customerId: string,
        invoices: ReadonlyArray<InvoiceSnapshot>,
      ): Promise<{ removed: number }> {
        await this.upsert(invoices);
        const removed = await db.query(
          `DELETE FROM invoice_snapshots WHERE portal_id = $1 AND system = $2 AND customer_id = $3
             AND NOT (invoice_id = ANY($4::text[])) RETURNING invoice_id`,
          [p, system, customerId, invoices.map((i) => i.id)],
        );
        return { removed: removed.length };
      },
      /** Replaces the stored snapshot of each given invoice (one statement per invoice, in one transaction). */
      async upsert(invoices: ReadonlyArray<InvoiceSnapshot>): Promise<void> {
        for (const i of invoices) {
          await db.query(
            `INSERT INTO invoice_snapshots (portal_id, system, invoice_id, customer_id, number, issue_date, due_date,
               total_amount, amount_due, currency, status, url, paid_on, payments, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
             ON CONFLICT (portal_id, system, invoice_id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
               number = EXCLUDED.number, issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date,
               total_amount = EXCLUDED.total_amount, amount_due = EXCLUDED.amount_due, currency = EXCLUDED.currency,
               status = EXCLUDED.status, url = EXCLUDED.url, paid_on = EXCLUDED.paid_on, payments = EXCLUDED.payments,
               updated_at = now()`,
            [
              p,
              i.source,
              i.id,
              i.customerId,
              i.number,
              i.issueDate,
              i.dueDate,
              i.total.amount,
              i.amountDue.amount,
              i.currency,
              i.status,
              i.url ?? null,
              i.paidOn ?? null,
              JSON.stringify(i.payments ?? []),
            ],
          );
        }
      },
    },

    events: {
      async append(events: ReadonlyArray<AuditEvent>): Promise<void> {
        for (const e of events) {
          await db.query(
            'INSERT INTO handoff_events (portal_id, handoff_id, type, actor, at, payload) VALUES ($1, $2, $3, $4, $5, $6)',
            [p, e.handoffId, e.type, JSON.stringify({ userId: e.actor }), e.at, JSON.stringify(e.payload)],
          );
        }
      },
      /** The newest `limit` events of a handoff, oldest first. */
      async list(handoffId: string, limit = 50): Promise<AuditEvent[]> {
        const rows = await db.query<{
          id: number;
          type: string;
          actor: { userId: string };
          at: Date;
          payload: Record<string, unknown>;
        }>(
          `SELECT * FROM (SELECT id, type, actor, at, payload FROM handoff_events
             WHERE portal_id = $1 AND handoff_id = $2 ORDER BY id DESC LIMIT $3) recent ORDER BY id`,
          [p, handoffId, limit],
        );
        return rows.map((r) => ({
          id: Number(r.id),
          handoffId,
          type: r.type,
          actor: r.actor.userId,
          at: new Date(r.at).toISOString(),
          payload: r.payload,
        }));
      },
    },

    exceptions: {
      async list(handoffId: string): Promise<HandoffException[]> {
        const rows = await db.query<{ record: HandoffException }>(
          'SELECT record FROM handoff_exceptions WHERE portal_id = $1 AND handoff_id = $2 ORDER BY created_at',
          [p, handoffId],
        );
        return rows.map((r) => r.record);
      },
      async get(exceptionId: string): Promise<HandoffException | null> {
        const rows = await db.query<{ record: HandoffException }>(
          'SELECT record FROM handoff_exceptions WHERE portal_id = $1 AND id::text = $2',
          [p, exceptionId],
        );
        return rows[0]?.record ?? null;
      },
      async save(ex: HandoffException): Promise<void> {
        await db.query(
          `INSERT INTO handoff_exceptions (id, portal_id, handoff_id, status, fields, reason, approver_role, expires_at,
             decided_at, record)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, decided_at = EXCLUDED.decided_at,
             record = EXCLUDED.record
           WHERE handoff_exceptions.portal_id = EXCLUDED.portal_id`,
          [
            ex.id,
            p,
            ex.handoffId,
            ex.status,
            ex.waives,
            ex.reason,
            ex.approverRole,
            ex.expiresAt,
            ex.decidedAt ?? null,
            JSON.stringify(ex),
          ],
        );
      },
    },
  };
}

function dayOf(v: Date | string): string {
  return typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);
}

function toSetup(r: Record<string, unknown>): BillingSetupRow {
  return {
    id: String(r.id),
    handoffId: String(r.handoff_id),
    dealId: String(r.deal_id),
    companyId: (r.company_id as string | null) ?? null,
    system: r.system as FinanceSystemId,
    status: r.status as BillingSetupRow['status'],
    plan: r.plan,
    schedule: r.schedule,
    scheduledAs: r.scheduled_as === 'estimate' ? 'estimate' : 'held',
    lastError: (r.last_error as BillingSetupRow['lastError']) ?? null,
    attempts: Number(r.attempts),
    liveAt: r.live_at ? new Date(r.live_at as string).toISOString() : null,
    updatedAt: new Date(r.updated_at as string).toISOString(),
  };
}

/** The repositories of one portal, all statements inside one transaction. */
export type PortalRepositories = ReturnType<typeof repositories>;

/**
 * Every repository a request needs, bound to one portal: each statement filters by that portal id, so a handler
 * cannot reach another portal's rows whatever ids it is given.
 * @example const store = portalStore(db, 42); await store.handoffs.byDeal('1001');
 */
export function portalStore(db: Db, portalId: number) {
  return {
    ...repositories(db, portalId),
    /** Runs `fn` with repositories whose statements share one transaction: all of its writes land, or none. */
    transaction<T>(fn: (tx: PortalRepositories) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(repositories(tx, portalId)));
    },
  };
}

export type PortalStore = ReturnType<typeof portalStore>;
