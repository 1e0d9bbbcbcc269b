/**
 * QuickBooks Estimates for held invoices: a setup keeps how its template wanted QuickBooks' scheduled invoices
 * shown (`held`: only in our store; `estimate`: also as a non-posting Estimate in QuickBooks), fixed at acceptance
 * like the plan, and each held invoice keeps its estimate — id, number, link, and whether it is still open, closed
 * by the invoice made from it, or deleted because the invoice was cancelled.
 */
export const sql = /* sql */ `
ALTER TABLE billing_setups
  ADD COLUMN scheduled_as text NOT NULL DEFAULT 'held' CHECK (scheduled_as IN ('held', 'estimate'));

ALTER TABLE scheduled_invoices
  ADD COLUMN finance_estimate_id text,
  ADD COLUMN finance_estimate_number text,
  ADD COLUMN finance_estimate_url text,
  ADD COLUMN estimate_status text CHECK (estimate_status IN ('open', 'closed', 'deleted'));
CREATE INDEX scheduled_invoices_estimates_to_delete ON scheduled_invoices (portal_id)
  WHERE status = 'cancelled' AND estimate_status = 'open';
`;
