/**
 * The finance sync engine's bookkeeping: what a held (QuickBooks) invoice needs to be issued later, why one was
 * cancelled or failed, the reconciliation cursor per connection, a per-connection webhook secret (Stripe, where
 * every account signs with its own endpoint secret), and the indexes the sweeps and webhook lookups use.
 */
export const sql = /* sql */ `
ALTER TABLE scheduled_invoices
  ADD COLUMN due_date date,
  ADD COLUMN finance_invoice_number text,
  ADD COLUMN cancelled_at timestamptz,
  ADD COLUMN cancel_reason text,
  ADD COLUMN last_error text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX scheduled_invoices_waiting ON scheduled_invoices (portal_id, issue_date) WHERE status = 'scheduled';
CREATE INDEX scheduled_invoices_by_finance_id ON scheduled_invoices (portal_id, finance_invoice_id);

ALTER TABLE finance_connections
  ADD COLUMN reconciled_through timestamptz,
  ADD COLUMN reconciled_at timestamptz,
  ADD COLUMN webhook_secret_enc text;
CREATE INDEX finance_connections_by_tenant ON finance_connections (system, tenant_id);

CREATE INDEX metric_facts_by_subject ON metric_facts (portal_id, kind, subject_id);
CREATE INDEX billing_setups_by_company ON billing_setups (portal_id, company_id);
`;
