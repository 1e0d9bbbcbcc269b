/** The first schema: installations, finance connections, templates, handoffs and their audit trail, billing, receivables. */
export const sql = /* sql */ `
CREATE TABLE installations (
  portal_id          bigint PRIMARY KEY,
  hub_domain         text,
  scopes             text[] NOT NULL DEFAULT '{}',
  access_token_enc   text,
  refresh_token_enc  text,
  access_expires_at  timestamptz,
  time_zone          text NOT NULL DEFAULT 'UTC',
  settings           jsonb NOT NULL DEFAULT '{}'::jsonb,
  installed_at       timestamptz NOT NULL DEFAULT now(),
  uninstalled_at     timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE finance_connections (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id          bigint NOT NULL REFERENCES installations(portal_id) ON DELETE CASCADE,
  system             text NOT NULL CHECK (system IN ('quickbooks', 'xero', 'stripe')),
  tenant_id          text NOT NULL,
  status             text NOT NULL DEFAULT 'connected'
                       CHECK (status IN ('connected', 'reconnect_needed', 'disconnected')),
  access_token_enc   text,
  refresh_token_enc  text,
  access_expires_at  timestamptz,
  refresh_expires_at timestamptz,
  token_generation   integer NOT NULL DEFAULT 0,
  capabilities       jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_error         text,
  connected_at       timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (portal_id, system)
);

CREATE TABLE handoff_templates (
  portal_id     bigint NOT NULL,
  template_id   text NOT NULL,
  version       integer NOT NULL CHECK (version > 0),
  definition    jsonb NOT NULL,
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, template_id, version)
);

CREATE TABLE handoffs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id         bigint NOT NULL,
  deal_id           text NOT NULL,
  template_id       text NOT NULL,
  template_version  integer NOT NULL,
  state             text NOT NULL,
  data              jsonb NOT NULL DEFAULT '{}'::jsonb,
  evaluation        jsonb,
  percent_complete  integer NOT NULL DEFAULT 0 CHECK (percent_complete BETWEEN 0 AND 100),
  submitted_at      timestamptz,
  decided_at        timestamptz,
  revision          integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (portal_id, deal_id, template_id)
);

-- Append-only audit trail and thread: every evaluation, transition, review, question, exception and gate action.
CREATE TABLE handoff_events (
  id          bigserial PRIMARY KEY,
  portal_id   bigint NOT NULL,
  handoff_id  uuid NOT NULL REFERENCES handoffs(id),
  type        text NOT NULL,
  actor       jsonb NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  payload     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX handoff_events_by_handoff ON handoff_events (portal_id, handoff_id, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER handoff_events_append_only BEFORE UPDATE OR DELETE ON handoff_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE handoff_exceptions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id      bigint NOT NULL,
  handoff_id     uuid NOT NULL REFERENCES handoffs(id),
  status         text NOT NULL CHECK (status IN ('requested', 'approved', 'denied', 'expired')),
  reason         text NOT NULL,
  fields         text[] NOT NULL DEFAULT '{}',
  requested_by   jsonb NOT NULL,
  approver_role  text NOT NULL,
  decided_by     jsonb,
  decided_at     timestamptz,
  expires_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handoff_exceptions_by_handoff ON handoff_exceptions (portal_id, handoff_id);

-- HubSpot company <-> finance customer; one link per company and per customer, per portal and system.
CREATE TABLE finance_links (
  portal_id     bigint NOT NULL,
  system        text NOT NULL,
  company_id    text NOT NULL,
  customer_id   text NOT NULL,
  customer_url  text,
  matched_by    text NOT NULL CHECK (matched_by IN ('stored', 'email', 'name', 'created', 'manual')),
  synced        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, system, company_id),
  UNIQUE (portal_id, system, customer_id)
);

CREATE TABLE billing_setups (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  portal_id    bigint NOT NULL,
  handoff_id   uuid NOT NULL REFERENCES handoffs(id),
  deal_id      text NOT NULL,
  company_id   text,
  system       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'running', 'live', 'failed')),
  plan         jsonb NOT NULL,
  schedule     jsonb NOT NULL,
  last_error   jsonb,
  attempts     integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  live_at      timestamptz,
  UNIQUE (portal_id, handoff_id)
);

-- One row per step of a billing setup: a deterministic idempotency key and the recorded outcome, so that a crash
-- at any point resumes without repeating a step that already happened at the vendor.
CREATE TABLE billing_steps (
  setup_id         uuid NOT NULL REFERENCES billing_setups(id),
  step             text NOT NULL,
  idempotency_key  text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  outcome          jsonb,
  error            jsonb,
  attempts         integer NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (setup_id, step),
  UNIQUE (idempotency_key)
);

CREATE TABLE scheduled_invoices (
  setup_id            uuid NOT NULL REFERENCES billing_setups(id),
  invoice_key         text NOT NULL,
  portal_id           bigint NOT NULL,
  issue_date          date,
  trigger             text NOT NULL,
  status              text NOT NULL CHECK (status IN ('scheduled', 'draft', 'issued', 'cancelled')),
  total_amount        bigint NOT NULL,
  currency            text NOT NULL,
  finance_invoice_id  text,
  triggered_at        timestamptz,
  issued_at           timestamptz,
  PRIMARY KEY (setup_id, invoice_key)
);

CREATE TABLE invoice_snapshots (
  portal_id     bigint NOT NULL,
  system        text NOT NULL,
  invoice_id    text NOT NULL,
  customer_id   text NOT NULL,
  number        text,
  issue_date    date NOT NULL,
  due_date      date NOT NULL,
  total_amount  bigint NOT NULL,
  amount_due    bigint NOT NULL,
  currency      text NOT NULL,
  status        text NOT NULL,
  url           text,
  paid_on       date,
  payments      jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, system, invoice_id)
);
CREATE INDEX invoice_snapshots_by_customer ON invoice_snapshots (portal_id, system, customer_id);

-- Every inbound webhook event, stored once before it is acknowledged. The key is built per source (HubSpot event
-- ids repeat, so its key is a composite), and a second delivery of the same event finds the row already there.
CREATE TABLE inbound_events (
  source        text NOT NULL,
  dedupe_key    text NOT NULL,
  portal_id     bigint,
  payload       jsonb NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  PRIMARY KEY (source, dedupe_key)
);

CREATE TABLE oauth_states (
  state       text PRIMARY KEY,
  purpose     text NOT NULL,
  portal_id   bigint,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE metric_facts (
  id          bigserial PRIMARY KEY,
  portal_id   bigint NOT NULL,
  kind        text NOT NULL,
  subject_id  text NOT NULL,
  at          timestamptz NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX metric_facts_by_kind ON metric_facts (portal_id, kind, at);
`;
