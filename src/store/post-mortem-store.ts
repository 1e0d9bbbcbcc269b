import type { BadDebtPostMortem } from '../receivables/post-mortem.js';
import type { Db } from './db.js';
import type { FinanceSystemId } from './portal-store.js';

/**
 * Bad-debt post-mortems, one per invoice, kept as metric facts (kind `bad_debt_postmortem`, subject
 * `<system>:<invoiceId>`) so that the audit counts them like every other fact. "Exactly one per invoice" under
 * repeated webhooks, sweeps and racing workers comes from a transaction-scoped advisory lock on the subject around
 * the existence check and the insert — the same on PGlite and PostgreSQL, and no schema change.
 */

export const POST_MORTEM_KIND = 'bad_debt_postmortem';
// A constant class id keeps these locks apart from the migrator's and any other advisory lock of the app.
const LOCK_CLASS = 724_010;

/** The sale a billing setup stands for. */
export interface SaleSetup {
  setupId: string;
  dealId: string;
  handoffId: string;
  createdAt: Date;
}

/**
 * The post-mortem repository of one portal.
 * @example await postMortemStore(db, 42).recordOnce('xero', 'inv-1', record)
 */
export function postMortemStore(db: Db, portalId: number) {
  const p = portalId;
  const subject = (system: string, invoiceId: string) => `${system}:${invoiceId}`;
  return {
    /** Stores the record unless this invoice already has one; true when it was stored now. */
    async recordOnce(system: FinanceSystemId, invoiceId: string, record: BadDebtPostMortem): Promise<boolean> {
      const s = subject(system, invoiceId);
      return db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, `${p}:${s}`]);
        const existing = await tx.query(
          'SELECT 1 FROM metric_facts WHERE portal_id = $1 AND kind = $2 AND subject_id = $3 LIMIT 1',
          [p, POST_MORTEM_KIND, s],
        );
        if (existing.length > 0) return false;
        await tx.query('INSERT INTO metric_facts (portal_id, kind, subject_id, at, data) VALUES ($1, $2, $3, $4, $5)', [
          p,
          POST_MORTEM_KIND,
          s,
          new Date(record.recordedAt),
          JSON.stringify(record),
        ]);
        return true;
      });
    },

    /** The invoice ids of `system` that already have a post-mortem. */
    async recordedInvoiceIds(system: FinanceSystemId): Promise<Set<string>> {
      const rows = await db.query<{ subject_id: string }>(
        'SELECT subject_id FROM metric_facts WHERE portal_id = $1 AND kind = $2 AND subject_id LIKE $3',
        [p, POST_MORTEM_KIND, `${system}:%`],
      );
      return new Set(rows.map((r) => r.subject_id.slice(system.length + 1)));
    },

    /** Every post-mortem of the portal, oldest first. */
    async list(): Promise<BadDebtPostMortem[]> {
      const rows = await db.query<{ data: BadDebtPostMortem }>(
        'SELECT data FROM metric_facts WHERE portal_id = $1 AND kind = $2 ORDER BY at, id',
        [p, POST_MORTEM_KIND],
      );
      return rows.map((r) => r.data);
    },

    /** The post-mortems of one HubSpot company, newest first. */
    async byCompany(companyId: string): Promise<BadDebtPostMortem[]> {
      const rows = await db.query<{ data: BadDebtPostMortem }>(
        `SELECT data FROM metric_facts WHERE portal_id = $1 AND kind = $2 AND data->>'companyId' = $3
         ORDER BY at DESC, id DESC`,
        [p, POST_MORTEM_KIND, companyId],
      );
      return rows.map((r) => r.data);
    },

    /** The billing setup that created this finance invoice, if we created it. */
    async setupOfInvoice(system: FinanceSystemId, financeInvoiceId: string): Promise<SaleSetup | null> {
      const [row] = await db.query<Record<string, unknown>>(
        `SELECT b.id, b.deal_id, b.handoff_id, b.created_at FROM scheduled_invoices s
         JOIN billing_setups b ON b.id = s.setup_id
         WHERE s.portal_id = $1 AND b.portal_id = $1 AND b.system = $2 AND s.finance_invoice_id = $3 LIMIT 1`,
        [p, system, financeInvoiceId],
      );
      return row ? toSetup(row) : null;
    },

    /** The finance invoice ids a billing setup created (they are the sale's own invoices, not its history). */
    async invoiceIdsOfSetup(setupId: string): Promise<Set<string>> {
      const rows = await db.query<{ finance_invoice_id: string }>(
        `SELECT finance_invoice_id FROM scheduled_invoices
         WHERE portal_id = $1 AND setup_id = $2 AND finance_invoice_id IS NOT NULL`,
        [p, setupId],
      );
      return new Set(rows.map((r) => r.finance_invoice_id));
    },

    /** A company's billing setups, oldest first. */
    async setupsOfCompany(companyId: string): Promise<SaleSetup[]> {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT id, deal_id, handoff_id, created_at FROM billing_setups WHERE portal_id = $1 AND company_id = $2
         ORDER BY created_at, id`,
        [p, companyId],
      );
      return rows.map(toSetup);
    },

    /** When the deal was won, as the gate recorded it. */
    async dealClosedAt(dealId: string): Promise<Date | null> {
      const [row] = await db.query<{ at: Date }>(
        `SELECT at FROM metric_facts WHERE portal_id = $1 AND kind = 'deal_closed' AND subject_id = $2
         ORDER BY at LIMIT 1`,
        [p, dealId],
      );
      return row ? new Date(row.at) : null;
    },

    /** Customers of `system` with a stored invoice that may need a post-mortem without any change at the vendor. */
    async customersWithBadDebtCandidates(system: FinanceSystemId, overdueBefore: string): Promise<string[]> {
      const rows = await db.query<{ customer_id: string }>(
        `SELECT DISTINCT customer_id FROM invoice_snapshots WHERE portal_id = $1 AND system = $2
           AND (status = 'written_off' OR (status = 'open' AND amount_due > 0 AND due_date < $3))
         ORDER BY customer_id`,
        [p, system, overdueBefore],
      );
      return rows.map((r) => r.customer_id);
    },
  };
}

function toSetup(r: Record<string, unknown>): SaleSetup {
  return {
    setupId: String(r.id),
    dealId: String(r.deal_id),
    handoffId: String(r.handoff_id),
    createdAt: new Date(r.created_at as string),
  };
}

export type PostMortemStore = ReturnType<typeof postMortemStore>;
