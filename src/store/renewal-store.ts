import type { Db } from './db.js';

/**
 * Renewal bookkeeping of one portal (migration 008): the renewal handoff of each contract and renewal date, and
 * the steps taken for it in HubSpot. Every statement filters by the portal id.
 */

export interface RenewalRow {
  dealId: string;
  renewalDate: string;
  handoffId: string;
  companyId: string | null;
  ownerId: string | null;
  createdOn: string;
}

export interface RenewalStepRow {
  step: string;
  status: 'started' | 'done';
  externalId: string | null;
  detail: Record<string, unknown>;
  attempts: number;
}

/** A contract the renewal sweep looks at: a deal whose accepted handoff carries a renewal date. */
export interface RenewalSource {
  dealId: string;
  /** As stored in the handoff's data; the sweep validates it. */
  renewalDate: unknown;
}

function day(v: Date | string): string {
  return typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);
}

/**
 * The renewal repositories of one portal.
 * @example const renewals = renewalStore(db, 42); await renewals.sources('default-cs-to-sales-renewal');
 */
export function renewalStore(db: Db, portalId: number) {
  const p = portalId;
  return {
    /**
     * Deals with an accepted (or billing) handoff whose data holds a renewal date, one row per deal and date; the
     * renewal template's own handoffs are left out, since they copy the date they renew.
     */
    async sources(renewalTemplateId: string): Promise<RenewalSource[]> {
      const rows = await db.query<{ deal_id: string; renewal_date: unknown }>(
        `SELECT DISTINCT deal_id, data->'renewalDate' AS renewal_date FROM handoffs
         WHERE portal_id = $1 AND template_id <> $2
           AND state IN ('accepted', 'billing_pending', 'billing_live', 'billing_failed')
           AND data ? 'renewalDate'
         ORDER BY deal_id`,
        [p, renewalTemplateId],
      );
      return rows.map((r) => ({ dealId: r.deal_id, renewalDate: r.renewal_date }));
    },

    /**
     * Moves the renewal date of a deal's accepted handoffs (the ones `sources` reads) to the date HubSpot now holds,
     * when they still hold `from`; returns the handoffs moved (the caller records the change on each).
     */
    async moveRenewalDate(
      dealId: string,
      from: unknown,
      to: string,
      renewalTemplateId: string,
      at: Date,
    ): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `UPDATE handoffs SET data = jsonb_set(data, '{renewalDate}', to_jsonb($3::text)), revision = revision + 1,
           updated_at = $6
         WHERE portal_id = $1 AND deal_id = $2 AND template_id <> $4
           AND state IN ('accepted', 'billing_pending', 'billing_live', 'billing_failed')
           AND data->'renewalDate' = $5::jsonb
         RETURNING id::text AS id`,
        [p, dealId, to, renewalTemplateId, JSON.stringify(from), at],
      );
      return rows.map((r) => r.id);
    },

    async all(): Promise<RenewalRow[]> {
      const rows = await db.query<Record<string, unknown>>(
        'SELECT deal_id, renewal_date::text AS renewal_date, handoff_id::text AS handoff_id, company_id, owner_id, created_on::text AS created_on FROM renewals WHERE portal_id = $1 ORDER BY deal_id, renewal_date',
        [p],
      );
      return rows.map(toRenewal);
    },

    async get(dealId: string, renewalDate: string): Promise<RenewalRow | null> {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT deal_id, renewal_date::text AS renewal_date, handoff_id::text AS handoff_id, company_id, owner_id, created_on::text AS created_on
         FROM renewals WHERE portal_id = $1 AND deal_id = $2 AND renewal_date = $3`,
        [p, dealId, renewalDate],
      );
      return rows[0] ? toRenewal(rows[0]) : null;
    },

    /** The renewal of a handoff, when the handoff is a renewal handoff. */
    async byHandoff(handoffId: string): Promise<RenewalRow | null> {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT deal_id, renewal_date::text AS renewal_date, handoff_id::text AS handoff_id, company_id, owner_id, created_on::text AS created_on
         FROM renewals WHERE portal_id = $1 AND handoff_id::text = $2`,
        [p, handoffId],
      );
      return rows[0] ? toRenewal(rows[0]) : null;
    },

    /** Claims the contract and date for a handoff; false when another sweep claimed it first (nothing written). */
    async claim(row: RenewalRow): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO renewals (portal_id, deal_id, renewal_date, handoff_id, company_id, owner_id, created_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (portal_id, deal_id, renewal_date) DO NOTHING RETURNING deal_id`,
        [p, row.dealId, row.renewalDate, row.handoffId, row.companyId, row.ownerId, row.createdOn],
      );
      return rows.length > 0;
    },

    async steps(dealId: string, renewalDate: string): Promise<RenewalStepRow[]> {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT step, status, external_id, detail, attempts FROM renewal_steps
         WHERE portal_id = $1 AND deal_id = $2 AND renewal_date = $3 ORDER BY started_at, step`,
        [p, dealId, renewalDate],
      );
      return rows.map((r) => ({
        step: String(r.step),
        status: r.status as RenewalStepRow['status'],
        externalId: (r.external_id as string | null) ?? null,
        detail: (r.detail as Record<string, unknown>) ?? {},
        attempts: Number(r.attempts),
      }));
    },

    /**
     * Records an attempt at a step before its HubSpot call. The first attempt's detail (the task subject, the deal
     * name) is kept, so every retry creates or looks up the very same thing.
     */
    async start(dealId: string, renewalDate: string, step: string, detail: Record<string, unknown>) {
      const rows = await db.query<{ detail: Record<string, unknown>; status: string; external_id: string | null }>(
        `INSERT INTO renewal_steps (portal_id, deal_id, renewal_date, step, status, detail)
         VALUES ($1, $2, $3, $4, 'started', $5)
         ON CONFLICT (portal_id, deal_id, renewal_date, step) DO UPDATE
           SET attempts = renewal_steps.attempts + 1
         RETURNING detail, status, external_id`,
        [p, dealId, renewalDate, step, JSON.stringify(detail)],
      );
      return rows[0]?.detail ?? detail;
    },

    async finish(dealId: string, renewalDate: string, step: string, externalId: string | null): Promise<void> {
      await db.query(
        `UPDATE renewal_steps SET status = 'done', external_id = $5, done_at = now()
         WHERE portal_id = $1 AND deal_id = $2 AND renewal_date = $3 AND step = $4`,
        [p, dealId, renewalDate, step, externalId],
      );
    },
  };
}

function toRenewal(r: Record<string, unknown>): RenewalRow {
  return {
    dealId: String(r.deal_id),
    renewalDate: day(r.renewal_date as Date | string),
    handoffId: String(r.handoff_id),
    companyId: (r.company_id as string | null) ?? null,
    ownerId: (r.owner_id as string | null) ?? null,
    createdOn: day(r.created_on as Date | string),
  };
}

export type RenewalStore = ReturnType<typeof renewalStore>;
