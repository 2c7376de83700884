-- Contacts in full: consent, custom fields, tags, subscriber lists, SmartLists, and the indexes that
-- keep filtered keyset pages fast at a million contacts per account.

ALTER TABLE contacts
  ADD COLUMN email_consent text NOT NULL DEFAULT 'subscribed' CHECK (email_consent IN ('subscribed', 'unsubscribed', 'bounced')),
  ADD COLUMN sms_consent   text NOT NULL DEFAULT 'subscribed' CHECK (sms_consent IN ('subscribed', 'unsubscribed', 'bounced')),
  ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Derived once on write so "email domain is …" filters use an index instead of parsing every email.
  ADD COLUMN email_domain  text GENERATED ALWAYS AS (lower(split_part(email, '@', 2))) STORED,
  -- Sort and search keys, lower-cased and in byte order (C collation). Being plain columns, queries
  -- compare them with leakproof operators, so row-level security does not stop index use (a
  -- qual like lower(email) = … is not leakproof and would be applied only after the tenant filter).
  ADD COLUMN sort_email      text COLLATE "C" GENERATED ALWAYS AS (coalesce(lower(email), '')) STORED,
  ADD COLUMN sort_first_name text COLLATE "C" GENERATED ALWAYS AS (coalesce(lower(first_name), '')) STORED,
  ADD COLUMN sort_last_name  text COLLATE "C" GENERATED ALWAYS AS (coalesce(lower(last_name), '')) STORED;

DROP INDEX contacts_account_id_idx;
-- Keyset pages over live contacts, in each sort order the UI offers.
CREATE INDEX contacts_live_created_idx ON contacts (account_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_updated_idx ON contacts (account_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
-- Text keys in byte order serve keyset order and prefix search (key >= 'abc' AND key < 'abd').
CREATE INDEX contacts_live_email_idx ON contacts (account_id, sort_email, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_last_name_idx ON contacts (account_id, sort_last_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_first_name_idx ON contacts (account_id, sort_first_name) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_id_idx ON contacts (account_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_domain_idx ON contacts (account_id, email_domain) WHERE deleted_at IS NULL;

CREATE TABLE tags (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  color       text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tags_name_key ON tags (account_id, lower(name));

CREATE TABLE contact_tags (
  account_id  bigint NOT NULL,
  contact_id  bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  tag_id      bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contact_id, tag_id)
);
CREATE INDEX contact_tags_tag_idx ON contact_tags (tag_id, contact_id);

CREATE TABLE subscriber_lists (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description  text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX subscriber_lists_name_key ON subscriber_lists (account_id, lower(name));

CREATE TABLE list_members (
  account_id  bigint NOT NULL,
  list_id     bigint NOT NULL REFERENCES subscriber_lists (id) ON DELETE CASCADE,
  contact_id  bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (list_id, contact_id)
);
CREATE INDEX list_members_contact_idx ON list_members (contact_id);

CREATE TABLE custom_field_defs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  key         text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,49}$'),
  label       text NOT NULL,
  type        text NOT NULL CHECK (type IN ('text', 'number', 'date', 'boolean')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, key)
);

CREATE TABLE smart_lists (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  filter      jsonb NOT NULL,
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX smart_lists_name_key ON smart_lists (account_id, lower(name));

GRANT SELECT, INSERT, UPDATE, DELETE ON tags, contact_tags, subscriber_lists, list_members, custom_field_defs, smart_lists TO herald_tenant;

ALTER TABLE tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY tags_tenant ON tags TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE contact_tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_tags_tenant ON contact_tags TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE subscriber_lists ENABLE ROW LEVEL SECURITY;
CREATE POLICY subscriber_lists_tenant ON subscriber_lists TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE list_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY list_members_tenant ON list_members TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE custom_field_defs ENABLE ROW LEVEL SECURITY;
CREATE POLICY custom_field_defs_tenant ON custom_field_defs TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE smart_lists ENABLE ROW LEVEL SECURITY;
CREATE POLICY smart_lists_tenant ON smart_lists TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
