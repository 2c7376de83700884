-- The client-account system: an agency distributes templates and mailings into its sub-accounts.
-- A copy keeps its origin (account, element, version) and the content hash it had right after the
-- last distribution wrote it, so a later local edit is recognised (content_hash <> origin_hash) and
-- not overwritten by default. Substitutes let a distributed element find its parts (template,
-- lists, target groups, sender) in each target account although their ids differ there.

-- ---- Elements: activation, content version and hash, origin of copies --------------------------

ALTER TABLE message_templates
  ADD COLUMN active             boolean NOT NULL DEFAULT true,
  ADD COLUMN version            integer NOT NULL DEFAULT 1,
  ADD COLUMN content_hash       text,
  ADD COLUMN origin_account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  ADD COLUMN origin_id          bigint,
  ADD COLUMN origin_version     integer,
  ADD COLUMN origin_hash        text,
  ADD COLUMN distributed_at     timestamptz,
  ADD COLUMN distribution_id    bigint;
-- One copy per origin and target account: a repeated or resumed distribution updates it, never a second one.
CREATE UNIQUE INDEX message_templates_origin_key ON message_templates (account_id, origin_account_id, origin_id)
  WHERE origin_id IS NOT NULL;
CREATE INDEX message_templates_copies_idx ON message_templates (origin_account_id, origin_id)
  WHERE origin_id IS NOT NULL;

ALTER TABLE mailings
  ADD COLUMN active             boolean NOT NULL DEFAULT true,
  ADD COLUMN version            integer NOT NULL DEFAULT 1,
  ADD COLUMN content_hash       text,
  ADD COLUMN origin_account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  ADD COLUMN origin_id          bigint,
  ADD COLUMN origin_version     integer,
  ADD COLUMN origin_hash        text,
  ADD COLUMN distributed_at     timestamptz,
  ADD COLUMN distribution_id    bigint;
CREATE UNIQUE INDEX mailings_origin_key ON mailings (account_id, origin_account_id, origin_id)
  WHERE origin_id IS NOT NULL;
CREATE INDEX mailings_copies_idx ON mailings (origin_account_id, origin_id) WHERE origin_id IS NOT NULL;
-- An inactive mailing does not start: the scheduler's scan skips it (its slot is kept).
DROP INDEX mailings_due_idx;
CREATE INDEX mailings_due_idx ON mailings (scheduled_for)
  WHERE status = 'scheduled' AND action_id IS NULL AND active;

-- content_hash is the md5 of what a distribution writes (the content, not status or schedule);
-- version counts content changes. A trigger, not a generated column: array_out is only STABLE.
-- Each value is tagged ('v' || value, or 'n' for null) so that null and '' hash differently.
CREATE FUNCTION herald_template_content_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.content_hash := md5(
    NEW.channel || chr(31) || NEW.name || chr(31) || coalesce('v' || NEW.subject, 'n') || chr(31) ||
    coalesce('v' || NEW.html, 'n') || chr(31) || coalesce('v' || NEW.text_body, 'n'));
  IF TG_OP = 'UPDATE' AND OLD.content_hash IS DISTINCT FROM NEW.content_hash THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER message_templates_content_hash BEFORE INSERT OR UPDATE ON message_templates
  FOR EACH ROW EXECUTE FUNCTION herald_template_content_hash();

CREATE FUNCTION herald_mailing_content_hash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.content_hash := md5(
    NEW.name || chr(31) || coalesce('v' || NEW.template_id::text, 'n') || chr(31) ||
    coalesce('v' || NEW.subject, 'n') || chr(31) || coalesce('v' || NEW.html, 'n') || chr(31) ||
    coalesce('v' || NEW.text_body, 'n') || chr(31) || coalesce('v' || NEW.sender_profile_id::text, 'n') ||
    chr(31) || NEW.list_ids::text || chr(31) || NEW.target_group_ids::text || chr(31) || NEW.tracking::text);
  IF TG_OP = 'UPDATE' AND OLD.content_hash IS DISTINCT FROM NEW.content_hash THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER mailings_content_hash BEFORE INSERT OR UPDATE ON mailings
  FOR EACH ROW EXECUTE FUNCTION herald_mailing_content_hash();

-- Fill the hash of existing rows (the trigger computes it; version stays 1 because OLD was null).
UPDATE message_templates SET content_hash = NULL;
UPDATE mailings SET content_hash = NULL;
ALTER TABLE message_templates ALTER COLUMN content_hash SET NOT NULL;
ALTER TABLE mailings ALTER COLUMN content_hash SET NOT NULL;

-- ---- Substitutes ---------------------------------------------------------------------------------

-- In account `account_id` (the target), element `substitute_id` stands for element `source_id` of the
-- ancestor account `source_account_id`. Kinds: email_template, sms_template, mailing,
-- subscriber_list, target_group (a SmartList), sender_profile. No foreign keys on the element ids
-- (they live in five tables): a deleted substitute reads as missing, and deleting an element that
-- serves as a substitute warns first and then removes its rows here.
CREATE TABLE substitutes (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id         bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  source_account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind               text NOT NULL CHECK (kind IN ('email_template', 'sms_template', 'mailing',
                                                   'subscriber_list', 'target_group', 'sender_profile')),
  source_id          bigint NOT NULL,
  substitute_id      bigint NOT NULL,
  created_by         bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (account_id <> source_account_id)
);
CREATE UNIQUE INDEX substitutes_source_key ON substitutes (account_id, kind, source_id);
CREATE INDEX substitutes_source_account_idx ON substitutes (source_account_id, kind, source_id);
CREATE INDEX substitutes_element_idx ON substitutes (account_id, kind, substitute_id);

-- Which distributable kinds an account accepts (no row: all). A distribution of another kind fails
-- there with `kind_not_allowed`.
CREATE TABLE distribution_settings (
  account_id      bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  accepted_kinds  text[] NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      bigint REFERENCES users (id) ON DELETE SET NULL
);

-- ---- Distributions: a job per element and set of targets, one row per target ------------------

-- operation 'distribute' copies the element (its content as `snapshot`, taken when it was started,
-- so every target gets the same version); 'activate' / 'deactivate' set the copies' status.
CREATE TABLE distributions (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id       bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  operation        text NOT NULL CHECK (operation IN ('distribute', 'activate', 'deactivate')),
  element_kind     text NOT NULL CHECK (element_kind IN ('email_template', 'sms_template', 'mailing')),
  element_id       bigint NOT NULL,
  element_name     text NOT NULL,
  element_version  integer NOT NULL,
  snapshot         jsonb,
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'cancelled')),
  -- The distribution whose failed targets this one retries.
  retry_of         bigint REFERENCES distributions (id) ON DELETE SET NULL,
  total            integer NOT NULL,
  -- The worker that runs it renews the lease; the sweep restarts a run whose lease expired.
  lease_until      timestamptz,
  idempotency_key  text,
  created_by       bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);
CREATE INDEX distributions_element_idx ON distributions (account_id, element_kind, element_id, id DESC);
CREATE INDEX distributions_running_idx ON distributions (lease_until) WHERE status = 'running';
CREATE UNIQUE INDEX distributions_idempotency_key ON distributions (account_id, created_by, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- status moves once from 'pending' to its result, in the target's own transaction together with
-- the copy it writes (so a resumed run never applies a target twice).
CREATE TABLE distribution_targets (
  distribution_id    bigint NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
  account_id         bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  position           integer NOT NULL,
  -- What to do when the copy was changed in the target since the last distribution.
  on_modified        text NOT NULL DEFAULT 'skip' CHECK (on_modified IN ('skip', 'overwrite', 'keep')),
  status             text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'created', 'updated', 'unchanged', 'skipped',
                                       'activated', 'deactivated', 'failed')),
  -- A stable code (missing_substitute, name_conflict, locally_modified, …) and its particulars.
  reason             text,
  detail             jsonb,
  copy_id            bigint,
  finished_at        timestamptz,
  PRIMARY KEY (distribution_id, target_account_id)
);
CREATE INDEX distribution_targets_pending_idx ON distribution_targets (distribution_id, position)
  WHERE status = 'pending';
CREATE INDEX distribution_targets_target_idx ON distribution_targets (target_account_id);

-- The content of a copy before a distribution (or a rollback) changed it: one row per change, so
-- a target can be rolled back to before the last distribution.
CREATE TABLE element_versions (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id       bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  element_kind     text NOT NULL CHECK (element_kind IN ('email_template', 'sms_template', 'mailing')),
  element_id       bigint NOT NULL,
  distribution_id  bigint REFERENCES distributions (id) ON DELETE SET NULL,
  -- The columns as they were (content and origin_* fields), by column name.
  content          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX element_versions_element_idx ON element_versions (account_id, element_kind, element_id, id DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['distribution_settings', 'element_versions', 'distributions'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO herald_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO herald_tenant USING (account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint)', t || '_tenant', t);
  END LOOP;
  -- A target row and a substitute belong to two accounts: the source (which started or registered
  -- it) and the target (whose transaction writes the copy and the result together).
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON distribution_targets TO herald_tenant';
  EXECUTE 'ALTER TABLE distribution_targets ENABLE ROW LEVEL SECURITY';
  EXECUTE 'CREATE POLICY distribution_targets_tenant ON distribution_targets TO herald_tenant USING (account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint OR target_account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint)';
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON substitutes TO herald_tenant';
  EXECUTE 'ALTER TABLE substitutes ENABLE ROW LEVEL SECURITY';
  EXECUTE 'CREATE POLICY substitutes_tenant ON substitutes TO herald_tenant USING (account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint OR source_account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint)';
END $$;
