/**
 * Manual corrections (issue #10 item 3): per billing setup, the baseline of what we synced to the finance system
 * (customer fields and the invoices we created, as the vendor holds them), and each difference a person made there
 * afterwards, recorded once (dedupe_key) with its policy outcome: adopted (written back to HubSpot), flagged for
 * review, acknowledged by finance/revops, or superseded by a later change of the same field.
 */
export const sql = /* sql */ `
CREATE TABLE synced_baselines (
  portal_id    bigint NOT NULL,
  setup_id     uuid NOT NULL REFERENCES billing_setups(id),
  system       text NOT NULL,
  customer_id  text NOT NULL,
  state        jsonb NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- When detection last compared this setup (the sweep re-checks the oldest: customer edits change no invoice).
  checked_at   timestamptz NOT NULL,
  PRIMARY KEY (portal_id, setup_id)
);
CREATE INDEX synced_baselines_by_check ON synced_baselines (portal_id, system, checked_at);

CREATE TABLE manual_corrections (
  id                 uuid PRIMARY KEY,
  portal_id          bigint NOT NULL,
  setup_id           uuid NOT NULL REFERENCES billing_setups(id),
  deal_id            text NOT NULL,
  company_id         text,
  system             text NOT NULL,
  subject            text NOT NULL,
  subject_label      text,
  field              text NOT NULL,
  before_value       jsonb,
  after_value        jsonb,
  vendor_updated_at  timestamptz,
  vendor_user        text,
  detected_at        timestamptz NOT NULL,
  policy             text NOT NULL CHECK (policy IN ('adopt', 'flag')),
  status             text NOT NULL CHECK (status IN ('adopted', 'flagged', 'acknowledged', 'superseded')),
  resolved_by        text,
  resolved_at        timestamptz,
  writeback_note     text,
  dedupe_key         text NOT NULL,
  UNIQUE (portal_id, dedupe_key)
);
CREATE INDEX manual_corrections_by_deal ON manual_corrections (portal_id, deal_id, detected_at);
`;
