import type { BillingSchedule } from '../billing/schedule-model.js';
import type { Db } from './db.js';
import type { FinanceSystemId } from './portal-store.js';
import type { SecretBox } from './secrets.js';
import { type FreshTokens, saveTokens, tokenContext } from './tokens.js';

/**
 * Repositories of the finance sync engine: connections, customer links, billing steps, held invoices, metric
 * facts, inbound webhook events and OAuth states. Portal-scoped ones filter every statement by the portal;
 * the few cross-portal lookups (a webhook's tenant → portals, the sweeps) say so in their names.
 */

export interface FinanceConnection {
  id: string;
  portalId: number;
  system: FinanceSystemId;
  tenantId: string;
  status: 'connected' | 'reconnect_needed' | 'disconnected';
  lastError: string | null;
  reconciledThrough: Date | null;
}

export type MatchedBy = 'stored' | 'email' | 'name' | 'created' | 'manual';

export interface StepRow {
  step: string;
  key: string;
  status: 'pending' | 'done' | 'failed';
  outcome: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  attempts: number;
}

export interface HeldInvoiceRow {
  setupId: string;
  key: string;
  portalId: number;
  issueDate: string | null;
  dueDate: string | null;
  trigger: 'date' | 'milestone' | 'acceptance';
  status: 'scheduled' | 'draft' | 'issued' | 'cancelled';
  total: { amount: number; currency: string };
  financeInvoiceId: string | null;
  financeInvoiceNumber: string | null;
  triggeredAt: Date | null;
  issuedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  lastError: string | null;
  /** The QuickBooks Estimate showing it ahead: open until the invoice made from it closes it (or a cancel deletes it). */
  estimate: InvoiceEstimate | null;
}

/** A held invoice's QuickBooks Estimate, as stored on its scheduled_invoices row. */
export interface InvoiceEstimate {
  id: string;
  number: string | null;
  url: string | null;
  status: 'open' | 'closed' | 'deleted';
}

type Raw = Record<string, unknown>;

/**
 * The estimate stored on a scheduled_invoices row (finance_estimate_id/number/url, estimate_status; open unless
 * recorded otherwise), or null when it has none.
 * @example estimateOf({ finance_estimate_id: '41', finance_estimate_number: '1001', finance_estimate_url: null, estimate_status: null }) // { id: '41', number: '1001', url: null, status: 'open' }
 */
export function estimateOf(r: Raw): InvoiceEstimate | null {
  return r.finance_estimate_id
    ? {
        id: String(r.finance_estimate_id),
        number: (r.finance_estimate_number as string | null) ?? null,
        url: (r.finance_estimate_url as string | null) ?? null,
        status: (r.estimate_status as InvoiceEstimate['status'] | null) ?? 'open',
      }
    : null;
}

function day(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

function instant(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(v as string);
}

function toConnection(r: Raw): FinanceConnection {
  return {
    id: String(r.id),
    portalId: Number(r.portal_id),
    system: r.system as FinanceSystemId,
    tenantId: String(r.tenant_id),
    status: r.status as FinanceConnection['status'],
    lastError: (r.last_error as string | null) ?? null,
    reconciledThrough: instant(r.reconciled_through),
  };
}

function toHeld(r: Raw): HeldInvoiceRow {
  return {
    setupId: String(r.setup_id),
    key: String(r.invoice_key),
    portalId: Number(r.portal_id),
    issueDate: day(r.issue_date),
    dueDate: day(r.due_date),
    trigger: r.trigger as HeldInvoiceRow['trigger'],
    status: r.status as HeldInvoiceRow['status'],
    total: { amount: Number(r.total_amount), currency: String(r.currency) },
    financeInvoiceId: (r.finance_invoice_id as string | null) ?? null,
    financeInvoiceNumber: (r.finance_invoice_number as string | null) ?? null,
    triggeredAt: instant(r.triggered_at),
    issuedAt: instant(r.issued_at),
    cancelledAt: instant(r.cancelled_at),
    cancelReason: (r.cancel_reason as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    estimate: estimateOf(r),
  };
}

const CONNECTION_COLUMNS = 'id, portal_id, system, tenant_id, status, last_error, reconciled_through';

/**
 * The finance sync engine's repositories for one portal.
 * @example const fs = financeStore(db, 42); await fs.steps.all(setupId);
 */
export function financeStore(db: Db, portalId: number) {
  const p = portalId;
  return {
    connections: {
      /** The portal's connection to `system`, or its active one when no system is named; null when none. */
      async active(system?: FinanceSystemId): Promise<FinanceConnection | null> {
        const rows = await db.query<Raw>(
          system
            ? `SELECT ${CONNECTION_COLUMNS} FROM finance_connections
               WHERE portal_id = $1 AND system = $2 AND status <> 'disconnected'`
            : `SELECT ${CONNECTION_COLUMNS} FROM finance_connections
               WHERE portal_id = $1 AND status <> 'disconnected' ORDER BY connected_at DESC LIMIT 1`,
          system ? [p, system] : [p],
        );
        return rows[0] ? toConnection(rows[0]) : null;
      },

      /**
       * Records a freshly authorised connection with its tokens (encrypted) and retires any other system of the
       * portal: the app bills through one finance system at a time, and a stale second one would take over the
       * card's status.
       */
      async connect(input: {
        system: FinanceSystemId;
        tenantId: string;
        tokens: FreshTokens;
        box: SecretBox;
        webhookSecret?: string;
      }): Promise<FinanceConnection> {
        return db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO finance_connections (portal_id, system, tenant_id, status, connected_at, updated_at)
             VALUES ($1, $2, $3, 'connected', now(), now())
             ON CONFLICT (portal_id, system) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, status = 'connected',
               last_error = NULL, connected_at = now(), updated_at = now(),
               reconciled_through = CASE WHEN finance_connections.tenant_id = EXCLUDED.tenant_id
                 THEN finance_connections.reconciled_through END`,
            [p, input.system, input.tenantId],
          );
          const owner = { table: 'finance_connections' as const, portalId: p, system: input.system };
          await saveTokens(tx, input.box, owner, input.tokens);
          if (input.webhookSecret) {
            await tx.query(
              'UPDATE finance_connections SET webhook_secret_enc = $3 WHERE portal_id = $1 AND system = $2',
              [p, input.system, input.box.encrypt(input.webhookSecret, webhookSecretContext(p, input.system))],
            );
          }
          await tx.query(
            `UPDATE finance_connections SET status = 'disconnected', updated_at = now()
             WHERE portal_id = $1 AND system <> $2 AND status <> 'disconnected'`,
            [p, input.system],
          );
          const [row] = await tx.query<Raw>(
            `SELECT ${CONNECTION_COLUMNS} FROM finance_connections WHERE portal_id = $1 AND system = $2`,
            [p, input.system],
          );
          if (!row) throw new Error('finance connection vanished after insert');
          return toConnection(row);
        });
      },

      /** Moves the reconciliation cursor: every change up to `through` has been read. */
      async reconciled(system: FinanceSystemId, through: Date, at: Date): Promise<void> {
        await db.query(
          `UPDATE finance_connections SET reconciled_through = $3, reconciled_at = $4
           WHERE portal_id = $1 AND system = $2`,
          [p, system, through, at],
        );
      },

      /** The decrypted per-connection webhook signing secret (Stripe), or null. */
      async webhookSecret(system: FinanceSystemId, box: SecretBox): Promise<string | null> {
        const [row] = await db.query<{ webhook_secret_enc: string | null }>(
          'SELECT webhook_secret_enc FROM finance_connections WHERE portal_id = $1 AND system = $2',
          [p, system],
        );
        return row?.webhook_secret_enc ? box.decrypt(row.webhook_secret_enc, webhookSecretContext(p, system)) : null;
      },
    },

    links: {
      /**
       * Links a HubSpot company to a finance customer. A company is re-pointed when its customer changed (the old
       * one was deleted in the finance system); a customer already linked to another company is refused, because
       * one customer's invoices would then show on two companies.
       */
      async save(input: {
        system: FinanceSystemId;
        companyId: string;
        customerId: string;
        url: string | null;
        matchedBy: MatchedBy;
      }): Promise<{ ok: true } | { ok: false; linkedCompanyId: string }> {
        const [taken] = await db.query<{ company_id: string }>(
          `SELECT company_id FROM finance_links WHERE portal_id = $1 AND system = $2 AND customer_id = $3
             AND company_id <> $4`,
          [p, input.system, input.customerId, input.companyId],
        );
        if (taken) return { ok: false, linkedCompanyId: taken.company_id };
        await db.query(
          `INSERT INTO finance_links (portal_id, system, company_id, customer_id, customer_url, matched_by)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (portal_id, system, company_id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
             customer_url = EXCLUDED.customer_url,
             matched_by = CASE WHEN finance_links.customer_id = EXCLUDED.customer_id THEN finance_links.matched_by
                               ELSE EXCLUDED.matched_by END,
             updated_at = now()`,
          [p, input.system, input.companyId, input.customerId, input.url, input.matchedBy],
        );
        return { ok: true };
      },

      /** The HubSpot company linked to a finance customer, if any. */
      async byCustomer(
        system: FinanceSystemId,
        customerId: string,
      ): Promise<{ companyId: string; url: string | null } | null> {
        const [row] = await db.query<{ company_id: string; customer_url: string | null }>(
          'SELECT company_id, customer_url FROM finance_links WHERE portal_id = $1 AND system = $2 AND customer_id = $3',
          [p, system, customerId],
        );
        return row ? { companyId: row.company_id, url: row.customer_url } : null;
      },

      /** Every linked customer id of the portal in `system`. */
      async customerIds(system: FinanceSystemId): Promise<Set<string>> {
        const rows = await db.query<{ customer_id: string }>(
          'SELECT customer_id FROM finance_links WHERE portal_id = $1 AND system = $2',
          [p, system],
        );
        return new Set(rows.map((r) => r.customer_id));
      },
    },

    steps: {
      /** Every recorded step of a setup, by step name. */
      async all(setupId: string): Promise<Map<string, StepRow>> {
        const rows = await db.query<Raw>(
          `SELECT s.* FROM billing_steps s JOIN billing_setups b ON b.id = s.setup_id
           WHERE b.portal_id = $1 AND s.setup_id = $2`,
          [p, setupId],
        );
        return new Map(
          rows.map((r) => [
            String(r.step),
            {
              step: String(r.step),
              key: String(r.idempotency_key),
              status: r.status as StepRow['status'],
              outcome: (r.outcome as StepRow['outcome']) ?? null,
              error: (r.error as StepRow['error']) ?? null,
              attempts: Number(r.attempts),
            },
          ]),
        );
      },

      /**
       * Records an attempt at a step before anything reaches the vendor and returns the key to use and whether an
       * earlier attempt may already have written there (then the caller looks before it writes). After a recorded
       * failure the key gets a `:retry<n>` suffix: a vendor that remembers the refused request under the old key
       * (Stripe does, for 24 hours) would otherwise refuse the corrected one.
       */
      async begin(setupId: string, step: string): Promise<{ key: string; earlierAttempt: boolean }> {
        const base = `${setupId}:${step}`;
        const [row] = await db.query<{ idempotency_key: string; status: string; attempts: number }>(
          'SELECT idempotency_key, status, attempts FROM billing_steps WHERE setup_id = $1 AND step = $2',
          [setupId, step],
        );
        if (!row) {
          await db.query(
            `INSERT INTO billing_steps (setup_id, step, idempotency_key, status, attempts, updated_at)
             VALUES ($1, $2, $3, 'pending', 1, now())`,
            [setupId, step, base],
          );
          return { key: base, earlierAttempt: false };
        }
        const attempts = Number(row.attempts) + 1;
        const key = row.status === 'failed' ? `${base}:retry${attempts}` : row.idempotency_key;
        await db.query(
          `UPDATE billing_steps SET status = 'pending', idempotency_key = $3, attempts = $4, error = NULL,
             updated_at = now()
           WHERE setup_id = $1 AND step = $2`,
          [setupId, step, key, attempts],
        );
        return { key, earlierAttempt: true };
      },

      async done(setupId: string, step: string, outcome: Record<string, unknown>): Promise<void> {
        await db.query(
          `UPDATE billing_steps SET status = 'done', outcome = $3, error = NULL, updated_at = now()
           WHERE setup_id = $1 AND step = $2`,
          [setupId, step, JSON.stringify(outcome)],
        );
      },

      async failed(setupId: string, step: string, error: Record<string, unknown>): Promise<void> {
        await db.query(
          `UPDATE billing_steps SET status = 'failed', error = $3, updated_at = now()
           WHERE setup_id = $1 AND step = $2 AND status <> 'done'`,
          [setupId, step, JSON.stringify(error)],
        );
      },
    },

    held: {
      /** Stores every invoice of a schedule once, as `scheduled`; re-running changes nothing already stored. */
      async seed(setupId: string, schedule: BillingSchedule): Promise<void> {
        for (const inv of schedule.invoices) {
          await db.query(
            `INSERT INTO scheduled_invoices (setup_id, invoice_key, portal_id, issue_date, due_date, trigger, status,
               total_amount, currency)
             VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8)
             ON CONFLICT (setup_id, invoice_key) DO NOTHING`,
            [setupId, inv.key, p, inv.issueDate, inv.dueDate, inv.trigger, inv.total.amount, inv.total.currency],
          );
        }
      },

      async list(setupId: string): Promise<HeldInvoiceRow[]> {
        const rows = await db.query<Raw>(
          `SELECT * FROM scheduled_invoices WHERE portal_id = $1 AND setup_id = $2
           ORDER BY issue_date NULLS LAST, invoice_key`,
          [p, setupId],
        );
        return rows.map(toHeld);
      },

      async get(setupId: string, key: string): Promise<HeldInvoiceRow | null> {
        const [row] = await db.query<Raw>(
          'SELECT * FROM scheduled_invoices WHERE portal_id = $1 AND setup_id = $2 AND invoice_key = $3',
          [p, setupId, key],
        );
        return row ? toHeld(row) : null;
      },

      /** Held invoices of live setups whose issue date has come (`today` in the portal's zone), oldest first. */
      async due(today: string): Promise<HeldInvoiceRow[]> {
        const rows = await db.query<Raw>(
          `SELECT s.* FROM scheduled_invoices s JOIN billing_setups b ON b.id = s.setup_id
           WHERE s.portal_id = $1 AND b.portal_id = $1 AND b.status = 'live' AND s.status = 'scheduled'
             AND s.issue_date IS NOT NULL AND s.issue_date <= $2
           ORDER BY s.issue_date, s.setup_id, s.invoice_key`,
          [p, today],
        );
        return rows.map(toHeld);
      },

      /** The invoice exists in the finance system now (issued, or a draft there). */
      async created(
        setupId: string,
        key: string,
        input: { status: 'draft' | 'issued'; financeInvoiceId: string; number: string | null; at: Date },
      ): Promise<void> {
        // An invoice made from our estimate converts it: QuickBooks closes the estimate.
        await db.query(
          `UPDATE scheduled_invoices SET status = $4, finance_invoice_id = $5, finance_invoice_number = $6,
             issued_at = $7, last_error = NULL, updated_at = now(),
             estimate_status = CASE WHEN estimate_status = 'open' THEN 'closed' ELSE estimate_status END
           WHERE portal_id = $1 AND setup_id = $2 AND invoice_key = $3`,
          [p, setupId, key, input.status, input.financeInvoiceId, input.number, input.at],
        );
      },

      /** The held invoice is shown ahead as an estimate in the finance system (QuickBooks Estimate). */
      async estimated(
        setupId: string,
        key: string,
        input: { estimateId: string; number: string | null; url: string },
      ): Promise<void> {
        await db.query(
          `UPDATE scheduled_invoices SET finance_estimate_id = $4, finance_estimate_number = $5,
             finance_estimate_url = $6, estimate_status = 'open', last_error = NULL, updated_at = now()
           WHERE portal_id = $1 AND setup_id = $2 AND invoice_key = $3`,
          [p, setupId, key, input.estimateId, input.number, input.url],
        );
      },

      /** The estimate of a cancelled invoice is gone from the finance system. */
      async estimateDeleted(setupId: string, key: string): Promise<void> {
        await db.query(
          `UPDATE scheduled_invoices SET estimate_status = 'deleted', updated_at = now()
           WHERE portal_id = $1 AND setup_id = $2 AND invoice_key = $3 AND estimate_status = 'open'`,
          [p, setupId, key],
        );
      },

      /** Cancelled invoices whose estimate is still open in the finance system (to delete), oldest first. */
      async estimatesToDelete(): Promise<HeldInvoiceRow[]> {
        const rows = await db.query<Raw>(
          `SELECT * FROM scheduled_invoices
           WHERE portal_id = $1 AND status = 'cancelled' AND estimate_status = 'open'
           ORDER BY cancelled_at, setup_id, invoice_key`,
          [p],
        );
        return rows.map(toHeld);
      },

      /** A milestone or delivery was accepted: the invoice gets its dates and waits to be issued. */
      async trigger(
        setupId: string,
        key: string,
        input: { issueDate: string; dueDate: string; at: Date },
      ): Promise<void> {
        await db.query(
          `UPDATE scheduled_invoices SET issue_date = $4, due_date = $5, triggered_at = $6, updated_at = now()
           WHERE portal_id = $1 AND setup_id = $2 AND invoice_key = $3 AND status = 'scheduled'`,
          [p, setupId, key, input.issueDate, input.dueDate, input.at],
        );
      },

      /** Cancels a held invoice; false when it is no longer held (already issued or cancelled). */
      async cancel(setupId: string, key: string, input: { reason: string; at: Date }): Promise<boolean> {
        const rows = await db.query(
          `UPDATE scheduled_invoices SET status = 'cancelled', cancelled_at = $4, cancel_reason = $5, updated_at = now()
           WHERE portal_id = $1 AND setup_id = $2 AND invoice_key = $3 AND status = 'scheduled'
           RETURNING invoice_key`,
          [p, setupId, key, input.at, input.reason],
        );
        return rows.length > 0;
      },

      /** The last attempt to issue failed; kept on the row so the card and admin page can say why. */
      async failed(setupId: string, key: string, message: string): Promise<void> {
        await db.query(
          `UPDATE scheduled_invoices SET last_error = $4, updated_at = now()
           WHERE portal_id = $1 AND setup_id = $2 AND invoice_key = $3`,
          [p, setupId, key, message],
        );
      },

      /** The finance customer of an invoice we created, through its setup's company link. */
      async customerOfInvoice(system: FinanceSystemId, financeInvoiceId: string): Promise<string | null> {
        const [row] = await db.query<{ customer_id: string }>(
          `SELECT l.customer_id FROM scheduled_invoices s
           JOIN billing_setups b ON b.id = s.setup_id
           JOIN finance_links l ON l.portal_id = b.portal_id AND l.system = b.system AND l.company_id = b.company_id
           WHERE s.portal_id = $1 AND b.system = $2 AND s.finance_invoice_id = $3 LIMIT 1`,
          [p, system, financeInvoiceId],
        );
        return row?.customer_id ?? null;
      },
    },

    snapshots: {
      /** The customer a stored invoice snapshot belongs to. */
      async customerOfInvoice(system: FinanceSystemId, invoiceId: string): Promise<string | null> {
        const [row] = await db.query<{ customer_id: string }>(
          'SELECT customer_id FROM invoice_snapshots WHERE portal_id = $1 AND system = $2 AND invoice_id = $3',
          [p, system, invoiceId],
        );
        return row?.customer_id ?? null;
      },
    },

    setups: {
      /** The billing setups of a company (their deals carry the billing status on the deal record). */
      async byCompany(companyId: string): Promise<Array<{ id: string; dealId: string; status: string }>> {
        const rows = await db.query<{ id: string; deal_id: string; status: string }>(
          'SELECT id, deal_id, status FROM billing_setups WHERE portal_id = $1 AND company_id = $2 ORDER BY created_at',
          [p, companyId],
        );
        return rows.map((r) => ({ id: String(r.id), dealId: r.deal_id, status: r.status }));
      },
    },

    facts: {
      async append(kind: string, subjectId: string, at: Date, data: Record<string, unknown>): Promise<void> {
        await db.query('INSERT INTO metric_facts (portal_id, kind, subject_id, at, data) VALUES ($1, $2, $3, $4, $5)', [
          p,
          kind,
          subjectId,
          at,
          JSON.stringify(data),
        ]);
      },
      /** Facts of one kind (optionally of one subject), oldest first. */
      async list(
        kind: string,
        subjectId?: string,
      ): Promise<Array<{ subjectId: string; at: Date; data: Record<string, unknown> }>> {
        const rows = await db.query<{ subject_id: string; at: Date; data: Record<string, unknown> }>(
          subjectId === undefined
            ? 'SELECT subject_id, at, data FROM metric_facts WHERE portal_id = $1 AND kind = $2 ORDER BY at, id'
            : 'SELECT subject_id, at, data FROM metric_facts WHERE portal_id = $1 AND kind = $2 AND subject_id = $3 ORDER BY at, id',
          subjectId === undefined ? [p, kind] : [p, kind, subjectId],
        );
        return rows.map((r) => ({ subjectId: r.subject_id, at: new Date(r.at), data: r.data }));
      },
    },
  };
}

export type FinanceStore = ReturnType<typeof financeStore>;

/**
 * The encryption context of a connection's webhook secret (binds the ciphertext to its row).
 * @example webhookSecretContext(42, 'stripe') // 'finance_connections:42:stripe:access:webhook'
 */
export function webhookSecretContext(portalId: number, system: FinanceSystemId): string {
  return `${tokenContext({ table: 'finance_connections', portalId, system }, 'access')}:webhook`;
}

// --- cross-portal lookups (webhooks, sweeps) -----------------------------------------------------------------------

/**
 * Cross-portal: the connections of a vendor tenant (a webhook names the realm/organisation/account, not the portal;
 * two portals may connect the same books).
 * @example await connectionsForTenant(db, 'quickbooks', realmId) // [{ portalId: 42, … }]
 */
export async function connectionsForTenant(
  db: Db,
  system: FinanceSystemId,
  tenantId: string,
): Promise<FinanceConnection[]> {
  const rows = await db.query<Raw>(
    `SELECT ${CONNECTION_COLUMNS} FROM finance_connections
     WHERE system = $1 AND tenant_id = $2 AND status <> 'disconnected' ORDER BY portal_id`,
    [system, tenantId],
  );
  return rows.map(toConnection);
}

/**
 * Cross-portal: one connection by its id (the per-connection webhook route names it).
 * @example await connectionById(db, '6a0c…')
 */
export async function connectionById(db: Db, id: string): Promise<FinanceConnection | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const rows = await db.query<Raw>(`SELECT ${CONNECTION_COLUMNS} FROM finance_connections WHERE id = $1`, [id]);
  return rows[0] ? toConnection(rows[0]) : null;
}

/**
 * Cross-portal: every connection the reconciliation sweep should visit (connected ones only: a connection that
 * needs reconnecting would only fail again).
 * @example for (const c of await sweepableConnections(db)) await queue.send(…)
 */
export async function sweepableConnections(db: Db): Promise<FinanceConnection[]> {
  const rows = await db.query<Raw>(
    `SELECT ${CONNECTION_COLUMNS} FROM finance_connections c
     WHERE status = 'connected'
       AND EXISTS (SELECT 1 FROM installations i WHERE i.portal_id = c.portal_id AND i.uninstalled_at IS NULL)
     ORDER BY portal_id`,
  );
  return rows.map(toConnection);
}

/**
 * Cross-portal: portals holding a scheduled invoice whose issue date has come in the portal's own time zone, or a
 * cancelled invoice whose estimate is still to be deleted from the finance system.
 * @example await portalsWithDueInvoices(db, new Date()) // [42]
 */
export async function portalsWithDueInvoices(db: Db, now: Date): Promise<number[]> {
  const rows = await db.query<{ portal_id: string | number }>(
    `SELECT DISTINCT s.portal_id FROM scheduled_invoices s
     JOIN billing_setups b ON b.id = s.setup_id
     JOIN installations i ON i.portal_id = s.portal_id
     WHERE (s.status = 'scheduled' AND b.status = 'live' AND s.issue_date IS NOT NULL
         AND s.issue_date <= ($1::timestamptz AT TIME ZONE i.time_zone)::date)
       OR (s.status = 'cancelled' AND s.estimate_status = 'open')
     ORDER BY s.portal_id`,
    [now],
  );
  return rows.map((r) => Number(r.portal_id));
}

// --- inbound webhook events -----------------------------------------------------------------------------------------

export interface InboundEvent {
  dedupeKey: string;
  portalId: number | null;
  payload: Record<string, unknown>;
}

/**
 * Stores webhook events once each (source + dedupe key) and returns those not seen before, in order. A redelivery
 * returns nothing, so it triggers nothing.
 * @example const fresh = await storeInboundEvents(db, 'quickbooks', events)
 */
export async function storeInboundEvents(
  db: Db,
  source: string,
  events: ReadonlyArray<InboundEvent>,
): Promise<InboundEvent[]> {
  return db.transaction(async (tx) => {
    const fresh: InboundEvent[] = [];
    for (const e of events) {
      const rows = await tx.query(
        `INSERT INTO inbound_events (source, dedupe_key, portal_id, payload) VALUES ($1, $2, $3, $4)
         ON CONFLICT (source, dedupe_key) DO NOTHING RETURNING dedupe_key`,
        [source, e.dedupeKey, e.portalId, JSON.stringify(e.payload)],
      );
      if (rows.length > 0) fresh.push(e);
    }
    return fresh;
  });
}

/**
 * Marks stored events as handled (their jobs are queued).
 * @example await markInboundProcessed(db, 'xero', ['t1:e1'], new Date())
 */
export async function markInboundProcessed(db: Db, source: string, keys: ReadonlyArray<string>, at: Date) {
  for (const key of keys) {
    await db.query('UPDATE inbound_events SET processed_at = $3 WHERE source = $1 AND dedupe_key = $2', [
      source,
      key,
      at,
    ]);
  }
}

/**
 * Finance events stored but never handled (the process died between storing and queueing), older than `before`.
 * @example await unprocessedFinanceEvents(db, new Date(Date.now() - 60_000))
 */
export async function unprocessedFinanceEvents(
  db: Db,
  before: Date,
  limit = 500,
): Promise<Array<InboundEvent & { source: FinanceSystemId }>> {
  const rows = await db.query<{ source: FinanceSystemId; dedupe_key: string; portal_id: string | null; payload: Raw }>(
    `SELECT source, dedupe_key, portal_id, payload FROM inbound_events
     WHERE processed_at IS NULL AND source IN ('quickbooks', 'xero', 'stripe') AND received_at < $1
     ORDER BY received_at LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => ({
    source: r.source,
    dedupeKey: r.dedupe_key,
    portalId: r.portal_id === null ? null : Number(r.portal_id),
    payload: r.payload,
  }));
}
