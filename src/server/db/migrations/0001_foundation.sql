-- Foundation: accounts (agency -> sub-accounts), users, memberships with roles, sessions, API tokens,
-- login throttling, and the tenant role that row-level security policies apply to.

DO $$
BEGIN
  -- Roles are cluster-wide: another database on the same server may have created it already.
  BEGIN
    CREATE ROLE herald_tenant NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  -- The application user switches to herald_tenant (SET LOCAL ROLE) inside tenant transactions.
  IF NOT pg_has_role(current_user, 'herald_tenant', 'MEMBER') THEN
    EXECUTE format('GRANT herald_tenant TO %I', current_user);
  END IF;
END
$$;

CREATE TABLE accounts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id   bigint REFERENCES accounts (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL CHECK (kind IN ('agency', 'sub_account')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'agency') = (parent_id IS NULL))
);
CREATE INDEX accounts_parent_idx ON accounts (parent_id);

CREATE TABLE users (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email                  text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  name                   text NOT NULL,
  password_hash          text NOT NULL,
  language               text CHECK (language IN ('en', 'de')),
  email_system_messages  boolean NOT NULL DEFAULT false,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- A membership is a user's role in one account; a role in an agency also reaches its sub-accounts
-- unless the user has a membership of their own there.
CREATE TABLE memberships (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- Only a hash of the session token is stored: a leaked table does not leak sessions.
CREATE TABLE sessions (
  id            text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz,
  expires_at    timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed logins, kept in the database so that every API process counts the same attempts.
CREATE TABLE login_failures (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email      text NOT NULL,
  ip         text NOT NULL,
  failed_at  timestamptz NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, failed_at);

-- Contacts: the core columns the demo data needs; the Contacts issue adds consent, custom fields,
-- tags and lists.
CREATE TABLE contacts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email       text,
  phone       text,
  first_name  text,
  last_name   text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  deleted_at  timestamptz,
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE UNIQUE INDEX contacts_email_key ON contacts (account_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE UNIQUE INDEX contacts_phone_key ON contacts (account_id, phone) WHERE deleted_at IS NULL AND phone IS NOT NULL;
CREATE INDEX contacts_account_id_idx ON contacts (account_id, id);

-- Row-level security: inside a tenant transaction (role herald_tenant, herald.account_id set)
-- a query sees only its account's rows, even if a repository forgot its WHERE clause.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO herald_tenant;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO herald_tenant;

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY memberships_tenant ON memberships TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);

ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY contacts_tenant ON contacts TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
