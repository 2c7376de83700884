-- The bulk action engine: one row per job, its frozen snapshot of contacts, per-item outcomes
-- (failures and skips only), what delete jobs removed (for restore), and an audit trail.

CREATE TABLE bulk_actions (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id         bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  type               text NOT NULL CHECK (type IN ('add_tag', 'remove_tag', 'delete_contacts', 'restore_contacts', 'import', 'bulk_email', 'bulk_sms')),
  name               text NOT NULL,
  status             text NOT NULL CHECK (status IN ('queued', 'in_progress', 'paused', 'completed', 'cancelled', 'failed')),
  params             jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by         bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL,
  scheduled_for      timestamptz,
  started_at         timestamptz,
  finished_at        timestamptz,
  updated_at         timestamptz NOT NULL,
  -- Frozen snapshot size and progress: items with seq <= cursor are done.
  total              integer NOT NULL DEFAULT 0,
  cursor             integer NOT NULL DEFAULT 0,
  processed          integer NOT NULL DEFAULT 0,
  succeeded          integer NOT NULL DEFAULT 0,
  failed             integer NOT NULL DEFAULT 0,
  skipped            integer NOT NULL DEFAULT 0,
  -- false while the snapshot is being written; the job starts only once it is true.
  frozen             boolean NOT NULL DEFAULT false,
  error              text,
  source_action_id   bigint REFERENCES bulk_actions (id) ON DELETE SET NULL,
  restorable_until   timestamptz,
  purged_at          timestamptz,
  -- A worker holds the lease while it runs chunks; an expired lease means the worker died.
  lease_owner        text,
  lease_until        timestamptz
);
CREATE INDEX bulk_actions_list_idx ON bulk_actions (account_id, created_at DESC, id DESC);
CREATE INDEX bulk_actions_active_idx ON bulk_actions (status, lease_until) WHERE status IN ('queued', 'in_progress');
CREATE INDEX bulk_actions_purge_idx ON bulk_actions (restorable_until) WHERE type = 'delete_contacts' AND purged_at IS NULL;

CREATE TABLE bulk_action_items (
  action_id   bigint NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  seq         integer NOT NULL,
  account_id  bigint NOT NULL,
  contact_id  bigint NOT NULL,
  PRIMARY KEY (action_id, seq)
);

CREATE TABLE bulk_action_outcomes (
  action_id   bigint NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  contact_id  bigint NOT NULL,
  account_id  bigint NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('failed', 'skipped')),
  reason      text NOT NULL,
  -- email or phone at the time, for the error log (the contact may be purged later)
  label       text,
  at          timestamptz NOT NULL,
  PRIMARY KEY (action_id, contact_id)
);
CREATE INDEX bulk_action_outcomes_reason_idx ON bulk_action_outcomes (action_id, outcome, reason);

-- What a delete job removed, with the tags and lists each contact had, so restore can bring them back.
CREATE TABLE bulk_deleted_contacts (
  action_id   bigint NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  contact_id  bigint NOT NULL,
  account_id  bigint NOT NULL,
  tag_ids     bigint[] NOT NULL DEFAULT '{}',
  list_ids    bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (action_id, contact_id)
);

CREATE TABLE bulk_action_audit (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  action_id   bigint NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL,
  user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
  event       text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  at          timestamptz NOT NULL
);
CREATE INDEX bulk_action_audit_action_idx ON bulk_action_audit (action_id, id);

GRANT SELECT, INSERT, UPDATE, DELETE ON bulk_actions, bulk_action_items, bulk_action_outcomes, bulk_deleted_contacts, bulk_action_audit TO herald_tenant;

ALTER TABLE bulk_actions ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulk_actions_tenant ON bulk_actions TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE bulk_action_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulk_action_items_tenant ON bulk_action_items TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE bulk_action_outcomes ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulk_action_outcomes_tenant ON bulk_action_outcomes TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE bulk_deleted_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulk_deleted_contacts_tenant ON bulk_deleted_contacts TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE bulk_action_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulk_action_audit_tenant ON bulk_action_audit TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);

