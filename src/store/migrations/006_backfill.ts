/**
 * The backfill's checkpoints (`npm run backfill`): one run per portal with its keyset cursor (the last deal id of
 * the last fully processed page of won deals) and running totals, and one row per deal — `started` with what the
 * deal, its company and its finance link looked like before the first attempt touched them, then `done` or
 * `failed` with its outcome. A run killed anywhere resumes from the cursor, skips deals already done, and judges a
 * redone deal against the state recorded before its first attempt, so the summary says what the backfill changed.
 */
export const sql = /* sql */ `
CREATE TABLE backfill_runs (
  portal_id     bigint PRIMARY KEY,
  status        text NOT NULL CHECK (status IN ('running', 'done')),
  cursor        text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  elapsed_ms    bigint NOT NULL DEFAULT 0,
  calls         jsonb NOT NULL DEFAULT '{}'::jsonb,
  sessions      integer NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE backfill_deals (
  portal_id     bigint NOT NULL,
  deal_id       text NOT NULL,
  status        text NOT NULL CHECK (status IN ('started', 'done', 'failed')),
  company_id    text,
  before        jsonb NOT NULL DEFAULT '{}'::jsonb,
  outcome       jsonb,
  attempts      integer NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, deal_id)
);
CREATE INDEX backfill_deals_by_company ON backfill_deals (portal_id, company_id);
`;
