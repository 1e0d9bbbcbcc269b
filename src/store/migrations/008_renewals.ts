/**
 * Renewal handoffs (ops → sales): one row per contract and renewal date — its primary key is what makes "exactly
 * one renewal handoff" hold under concurrent sweeps — and one row per step of it (the HubSpot task, each reminder,
 * the renewal deal), recorded as started before the HubSpot call and done with the created record's id after, so
 * a rerun after a crash finishes or looks up instead of creating twice.
 */
export const sql = /* sql */ `
CREATE TABLE renewals (
  portal_id     bigint NOT NULL,
  deal_id       text NOT NULL,
  renewal_date  date NOT NULL,
  handoff_id    uuid NOT NULL,
  company_id    text,
  owner_id      text,
  created_on    date NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, deal_id, renewal_date)
);
CREATE UNIQUE INDEX renewals_by_handoff ON renewals (portal_id, handoff_id);

CREATE TABLE renewal_steps (
  portal_id     bigint NOT NULL,
  deal_id       text NOT NULL,
  renewal_date  date NOT NULL,
  step          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('started', 'done')),
  external_id   text,
  detail        jsonb NOT NULL DEFAULT '{}'::jsonb,
  attempts      integer NOT NULL DEFAULT 1,
  started_at    timestamptz NOT NULL DEFAULT now(),
  done_at       timestamptz,
  PRIMARY KEY (portal_id, deal_id, renewal_date, step),
  FOREIGN KEY (portal_id, deal_id, renewal_date) REFERENCES renewals (portal_id, deal_id, renewal_date)
);
`;
