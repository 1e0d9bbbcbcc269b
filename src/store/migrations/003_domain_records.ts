/**
 * The domain objects as JSON next to the columns we query by: a handoff's full record (contract copy, receiving
 * owner, rejection, submissions) and an exception's. Columns stay for indexes and reports; the record is the truth.
 */
export const sql = /* sql */ `
ALTER TABLE handoffs ADD COLUMN record jsonb;
ALTER TABLE handoff_exceptions ADD COLUMN record jsonb;
ALTER TABLE handoff_exceptions ALTER COLUMN reason DROP NOT NULL;
ALTER TABLE handoff_exceptions ALTER COLUMN approver_role DROP NOT NULL;
ALTER TABLE handoff_exceptions ALTER COLUMN requested_by DROP NOT NULL;
CREATE INDEX handoffs_by_deal ON handoffs (portal_id, deal_id);
CREATE INDEX handoffs_by_state ON handoffs (portal_id, state);
`;
