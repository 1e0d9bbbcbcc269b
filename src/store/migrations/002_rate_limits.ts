/** Rate budgets shared by every worker: a sliding log of calls per key, and leases for concurrent calls. */
export const sql = /* sql */ `
CREATE TABLE rate_limit_calls (
  key  text NOT NULL,
  at   timestamptz NOT NULL
);
CREATE INDEX rate_limit_calls_by_key ON rate_limit_calls (key, at);

CREATE TABLE rate_limit_leases (
  key         text NOT NULL,
  lease_id    uuid NOT NULL DEFAULT gen_random_uuid(),
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (key, lease_id)
);
`;
