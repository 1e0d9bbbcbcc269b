import { randomUUID } from 'node:crypto';
import type { CorrectionField, CorrectionValue, SyncedBaseline } from '../corrections/detect.js';
import type { Db } from './db.js';
import type { FinanceSystemId } from './portal-store.js';

/**
 * Manual corrections' repositories for one portal: the synced baseline per billing setup and the corrections found
 * against it. Every statement filters by the portal.
 */

export type CorrectionStatus = 'adopted' | 'flagged' | 'acknowledged' | 'superseded';

export interface CorrectionRow {
  id: string;
  setupId: string;
  dealId: string;
  companyId: string | null;
  system: FinanceSystemId;
  subject: string;
  subjectLabel: string | null;
  field: CorrectionField;
  before: CorrectionValue;
  after: CorrectionValue;
  vendorUpdatedAt: Date | null;
  by: string | null;
  detectedAt: Date;
  policy: 'adopt' | 'flag';
  status: CorrectionStatus;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  writebackNote: string | null;
}

type Raw = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function instant(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(v as string);
}

function toRow(r: Raw): CorrectionRow {
  return {
    id: String(r.id),
    setupId: String(r.setup_id),
    dealId: String(r.deal_id),
    companyId: (r.company_id as string | null) ?? null,
    system: r.system as FinanceSystemId,
    subject: String(r.subject),
    subjectLabel: (r.subject_label as string | null) ?? null,
    field: r.field as CorrectionField,
    before: (r.before_value as CorrectionValue) ?? null,
    after: (r.after_value as CorrectionValue) ?? null,
    vendorUpdatedAt: instant(r.vendor_updated_at),
    by: (r.vendor_user as string | null) ?? null,
    detectedAt: new Date(r.detected_at as string),
    policy: r.policy as 'adopt' | 'flag',
    status: r.status as CorrectionStatus,
    resolvedBy: (r.resolved_by as string | null) ?? null,
    resolvedAt: instant(r.resolved_at),
    writebackNote: (r.writeback_note as string | null) ?? null,
  };
}

/**
 * @example const cs = correctionsStore(db, 42); await cs.baselines.get(setupId);
 */
export function correctionsStore(db: Db, portalId: number) {
  const p = portalId;
  return {
    baselines: {
      async get(setupId: string): Promise<{ customerId: string; state: SyncedBaseline } | null> {
        const [row] = await db.query<{ customer_id: string; state: SyncedBaseline }>(
          'SELECT customer_id, state FROM synced_baselines WHERE portal_id = $1 AND setup_id = $2',
          [p, setupId],
        );
        return row ? { customerId: row.customer_id, state: row.state } : null;
      },
      /** Stores the baseline; `checkedAt` (default: now) records the comparison that produced it. */
      async put(
        setupId: string,
        system: FinanceSystemId,
        customerId: string,
        state: SyncedBaseline,
        checkedAt: Date = new Date(),
      ): Promise<void> {
        await db.query(
          `INSERT INTO synced_baselines (portal_id, setup_id, system, customer_id, state, updated_at, checked_at)
           VALUES ($1, $2, $3, $4, $5, now(), $6)
           ON CONFLICT (portal_id, setup_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, state = EXCLUDED.state,
             updated_at = now(), checked_at = GREATEST(synced_baselines.checked_at, EXCLUDED.checked_at)`,
          [p, setupId, system, customerId, JSON.stringify(state), checkedAt],
        );
      },

      /** Records a comparison that changed nothing. */
      async checked(setupId: string, at: Date): Promise<void> {
        await db.query(
          `UPDATE synced_baselines SET checked_at = GREATEST(checked_at, $3) WHERE portal_id = $1 AND setup_id = $2`,
          [p, setupId, at],
        );
      },

      /** Customers whose baselines were last compared before `before`, least recently checked first. */
      async dueForCheck(system: FinanceSystemId, before: Date, limit: number): Promise<string[]> {
        const rows = await db.query<{ customer_id: string }>(
          `SELECT customer_id FROM synced_baselines WHERE portal_id = $1 AND system = $2 AND checked_at < $3
           GROUP BY customer_id ORDER BY min(checked_at), customer_id LIMIT $4`,
          [p, system, before, limit],
        );
        return rows.map((r) => r.customer_id);
      },
    },

    corrections: {
      /** Records a correction once per dedupe key; null when it was already recorded. */
      async record(input: Omit<CorrectionRow, 'id' | 'resolvedBy' | 'resolvedAt'> & { dedupeKey: string }) {
        const id = randomUUID();
        const rows = await db.query<Raw>(
          `INSERT INTO manual_corrections (id, portal_id, setup_id, deal_id, company_id, system, subject, subject_label,
             field, before_value, after_value, vendor_updated_at, vendor_user, detected_at, policy, status,
             writeback_note, dedupe_key, resolved_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
             CASE WHEN $16 = 'adopted' THEN $14::timestamptz END)
           ON CONFLICT (portal_id, dedupe_key) DO NOTHING RETURNING *`,
          [
            id,
            p,
            input.setupId,
            input.dealId,
            input.companyId,
            input.system,
            input.subject,
            input.subjectLabel,
            input.field,
            JSON.stringify(input.before),
            JSON.stringify(input.after),
            input.vendorUpdatedAt,
            input.by,
            input.detectedAt,
            input.policy,
            input.status,
            input.writebackNote,
            input.dedupeKey,
          ],
        );
        return rows[0] ? toRow(rows[0]) : null;
      },

      /** Earlier flagged corrections of the same field that a newer change replaces. */
      async supersede(setupId: string, subject: string, field: string, exceptId: string): Promise<void> {
        await db.query(
          `UPDATE manual_corrections SET status = 'superseded'
           WHERE portal_id = $1 AND setup_id = $2 AND subject = $3 AND field = $4 AND status = 'flagged' AND id <> $5`,
          [p, setupId, subject, field, exceptId],
        );
      },

      /** Marks a flagged correction acknowledged; false when it is not flagged (any more). */
      async acknowledge(id: string, by: string, at: Date): Promise<CorrectionRow | null> {
        if (!UUID.test(id)) return null;
        const rows = await db.query<Raw>(
          `UPDATE manual_corrections SET status = 'acknowledged', resolved_by = $3, resolved_at = $4
           WHERE portal_id = $1 AND id = $2 AND status = 'flagged' RETURNING *`,
          [p, id, by, at],
        );
        return rows[0] ? toRow(rows[0]) : null;
      },

      async get(id: string): Promise<CorrectionRow | null> {
        if (!UUID.test(id)) return null;
        const [row] = await db.query<Raw>('SELECT * FROM manual_corrections WHERE portal_id = $1 AND id = $2', [p, id]);
        return row ? toRow(row) : null;
      },

      /** A deal's corrections, newest first. */
      async byDeal(dealId: string, limit = 20): Promise<CorrectionRow[]> {
        const rows = await db.query<Raw>(
          `SELECT * FROM manual_corrections WHERE portal_id = $1 AND deal_id = $2
           ORDER BY detected_at DESC, vendor_updated_at DESC NULLS LAST, id LIMIT $3`,
          [p, dealId, limit],
        );
        return rows.map(toRow);
      },

      async bySetup(setupId: string): Promise<CorrectionRow[]> {
        const rows = await db.query<Raw>(
          'SELECT * FROM manual_corrections WHERE portal_id = $1 AND setup_id = $2 ORDER BY detected_at, vendor_updated_at NULLS FIRST, id',
          [p, setupId],
        );
        return rows.map(toRow);
      },
    },
  };
}
