-- Contact imports: uploaded files, saved mappings, one row per import bulk action with its own
-- figures, the staged rows of a file (parsed and validated, merged chunk by chunk), the contacts
-- each import created (for undo), and scheduled remote sources with their runs and PGP key.

CREATE TABLE import_uploads (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  file_name    text NOT NULL,
  -- The file inside the uploads folder (a generated name: never a path a client chose).
  stored_name  text NOT NULL,
  size         bigint NOT NULL,
  sha256       text NOT NULL,
  encoding     text NOT NULL,
  delimiter    text NOT NULL,
  created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
  source_id    bigint,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_uploads_account_idx ON import_uploads (account_id, id);

CREATE TABLE import_mappings (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  settings    jsonb NOT NULL,
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX import_mappings_name_key ON import_mappings (account_id, lower(name));

-- One per import bulk action (dry runs too): what it reads, how, and its row figures, which each
-- chunk advances in its own transaction (so a repeated chunk never counts twice).
CREATE TABLE imports (
  action_id   bigint PRIMARY KEY REFERENCES bulk_actions (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  upload_id   bigint NOT NULL REFERENCES import_uploads (id),
  dry_run     boolean NOT NULL,
  csv         jsonb NOT NULL,
  settings    jsonb NOT NULL,
  header      jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Staging: rows parsed into import_rows so far; staged once the whole file is in.
  staged_rows integer NOT NULL DEFAULT 0,
  staged      boolean NOT NULL DEFAULT false,
  created     integer NOT NULL DEFAULT 0,
  updated     integer NOT NULL DEFAULT 0,
  unchanged   integer NOT NULL DEFAULT 0,
  invalid     integer NOT NULL DEFAULT 0,
  duplicates  integer NOT NULL DEFAULT 0
);
CREATE INDEX imports_upload_idx ON imports (upload_id);

-- A file's rows, normalised and validated, waiting to be merged. Deleted when the import ends.
CREATE TABLE import_rows (
  account_id     bigint NOT NULL,
  action_id      bigint NOT NULL REFERENCES imports (action_id) ON DELETE CASCADE,
  row_no         integer NOT NULL,
  line           integer NOT NULL,
  email          text,
  email_key      text COLLATE "C",
  phone          text,
  first_name     text,
  last_name      text,
  email_consent  text,
  sms_consent    text,
  custom         jsonb,
  tags           text[],
  -- {code, column, message} of the row's first problem; null when valid.
  error          jsonb,
  -- The earlier row with the same email or phone (the first wins).
  dup_of         integer,
  PRIMARY KEY (action_id, row_no)
);
CREATE INDEX import_rows_email_idx ON import_rows (action_id, email_key, row_no) WHERE email_key IS NOT NULL;
CREATE INDEX import_rows_phone_idx ON import_rows (action_id, phone, row_no) WHERE phone IS NOT NULL;

-- The contacts an import created, packed per chunk: what "Undo import" deletes.
CREATE TABLE import_created (
  account_id   bigint NOT NULL,
  action_id    bigint NOT NULL REFERENCES imports (action_id) ON DELETE CASCADE,
  first_row    integer NOT NULL,
  contact_ids  bigint[] NOT NULL,
  PRIMARY KEY (action_id, first_row)
);

-- The account's PGP key pair for import files. The private key and its passphrase are sealed
-- with the secret box; only the public key and fingerprint ever leave the server.
CREATE TABLE import_pgp_keys (
  account_id          bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  fingerprint         text NOT NULL,
  user_id             text NOT NULL,
  public_key          text NOT NULL,
  private_key_sealed  text NOT NULL,
  passphrase_sealed   text NOT NULL,
  created_by          bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_sources (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id             bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  protocol               text NOT NULL CHECK (protocol IN ('ftp', 'ftps_explicit', 'ftps_implicit', 'sftp')),
  host                   text NOT NULL,
  port                   integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  username               text NOT NULL,
  password_sealed        text,
  private_key_sealed     text,
  key_passphrase_sealed  text,
  host_key_fingerprint   text,
  folder                 text NOT NULL DEFAULT '/',
  pattern                text NOT NULL,
  schedule               jsonb NOT NULL,
  mapping_id             bigint NOT NULL REFERENCES import_mappings (id),
  decrypt                boolean NOT NULL DEFAULT false,
  after_import           text NOT NULL DEFAULT 'leave' CHECK (after_import IN ('delete', 'move', 'leave')),
  move_to                text,
  missing_after_minutes  integer NOT NULL DEFAULT 0,
  allow_self_signed      boolean NOT NULL DEFAULT false,
  enabled                boolean NOT NULL DEFAULT true,
  next_run_at            timestamptz,
  -- A run holds the source while it works (a crashed run's lease expires).
  lease_until            timestamptz,
  created_by             bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX import_sources_name_key ON import_sources (account_id, lower(name));
CREATE INDEX import_sources_due_idx ON import_sources (next_run_at) WHERE enabled;

CREATE TABLE import_runs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  source_id    bigint NOT NULL REFERENCES import_sources (id) ON DELETE CASCADE,
  trigger      text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  state        text NOT NULL CHECK (state IN ('running', 'imported', 'skipped_same_file', 'nothing_found', 'failed')),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  file_name    text,
  sha256       text,
  action_id    bigint REFERENCES bulk_actions (id) ON DELETE SET NULL,
  cause        text,
  detail       text
);
CREATE INDEX import_runs_source_idx ON import_runs (source_id, id DESC);
-- The same file (by content) is imported once per source, whatever its name or how often it is pulled.
CREATE UNIQUE INDEX import_runs_same_file_key ON import_runs (source_id, sha256) WHERE state = 'imported';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['import_uploads', 'import_mappings', 'imports', 'import_rows', 'import_created',
                           'import_pgp_keys', 'import_sources', 'import_runs'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO herald_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO herald_tenant USING (account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint)', t || '_tenant', t);
  END LOOP;
END $$;
