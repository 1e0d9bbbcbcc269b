/** The stage gate remembers each deal's last open (not won) stage, so it can move a deal back where it was. */
export const sql = /* sql */ `
CREATE TABLE deal_stage_memory (
  portal_id        bigint NOT NULL,
  deal_id          text NOT NULL,
  last_open_stage  text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, deal_id)
);
CREATE INDEX inbound_events_unprocessed ON inbound_events (received_at) WHERE processed_at IS NULL;
`;
