-- Notification service: account events stored with typed parameters (rendered per reader), their
-- recipients with per-user read state, an unread counter per user and account, and the emails
-- that copy notifications to users who opted in.

ALTER TABLE users ADD COLUMN notification_email_modes jsonb NOT NULL DEFAULT '{}'::jsonb;

CREATE TABLE notifications (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  type          text NOT NULL,
  severity      text NOT NULL CHECK (severity IN ('error', 'warning', 'info', 'success')),
  params        jsonb NOT NULL,
  subject_kind  text NOT NULL,
  subject_id    text NOT NULL,
  -- Repeats with the same key inside the grouping window count up `occurrences` instead of adding rows.
  group_key     text,
  occurrences   integer NOT NULL DEFAULT 1,
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL
);
CREATE INDEX notifications_group_idx ON notifications (account_id, group_key, first_at DESC) WHERE group_key IS NOT NULL;
CREATE INDEX notifications_retention_idx ON notifications (last_at);

-- Every (re)delivery takes the next number. Producers take it under one advisory lock held until
-- commit, so numbers become visible in order: a stream that has read up to N has missed nothing below N.
CREATE SEQUENCE notification_delivery_seq;

-- A recipient row is one user's copy: deleting it is that user's "delete"; read_at is theirs alone.
CREATE TABLE notification_recipients (
  user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  notification_id  bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  account_id       bigint NOT NULL,
  seq              bigint NOT NULL,
  delivered_at     timestamptz NOT NULL,
  read_at          timestamptz,
  PRIMARY KEY (notification_id, user_id)
);
-- Three indexes only: marking 100,000 rows read rewrites every index entry of each row (read_at
-- is in a partial index's predicate, so the updates are never HOT). The list index serves the
-- list, the stream (account_id = ANY, seq > cursor) and mark-all; the partial one the unread filter.
CREATE INDEX notification_recipients_list_idx ON notification_recipients (user_id, account_id, seq DESC);
CREATE INDEX notification_recipients_unread_idx ON notification_recipients (user_id, account_id, seq DESC) WHERE read_at IS NULL;

-- Maintained in the same transaction as every change of recipient rows: the badge reads one row
-- instead of counting (PostgreSQL has no cheap count).
CREATE TABLE notification_unread (
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  unread      integer NOT NULL DEFAULT 0 CHECK (unread >= 0),
  PRIMARY KEY (user_id, account_id)
);

-- One row per notification and user who asked for email: the unique key is "never sent twice".
CREATE TABLE notification_emails (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id  bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  account_id       bigint NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'queued', 'sending', 'retrying', 'sent', 'outboxed', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  to_address       text,
  subject          text,
  text_body        text,
  html_body        text,
  message_id       text,
  last_error       text,
  created_at       timestamptz NOT NULL,
  -- Operational times (wall clock): when a send is due, when its job was queued, when it was claimed.
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  queued_at        timestamptz,
  claimed_at       timestamptz,
  sent_at          timestamptz,
  UNIQUE (notification_id, user_id)
);
CREATE INDEX notification_emails_due_idx ON notification_emails (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX notification_emails_stale_idx ON notification_emails (status, queued_at, claimed_at) WHERE status IN ('queued', 'sending');
CREATE INDEX notification_emails_user_idx ON notification_emails (user_id, id DESC);

-- Who receives an account's notifications: users whose effective role there (their own membership,
-- else the nearest ancestor's) is one of `roles`. SECURITY DEFINER because producers run inside
-- tenant transactions, where row-level security hides the agency's memberships.
CREATE FUNCTION herald_notification_recipients(p_account bigint, p_roles text[])
RETURNS TABLE (user_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$
  WITH RECURSIVE chain AS (
    SELECT id, parent_id, 0 AS depth FROM accounts WHERE id = p_account
    UNION ALL
    SELECT a.id, a.parent_id, c.depth + 1 FROM accounts a JOIN chain c ON a.id = c.parent_id
  ),
  effective AS (
    SELECT DISTINCT ON (m.user_id) m.user_id, m.role
    FROM chain c JOIN memberships m ON m.account_id = c.id
    ORDER BY m.user_id, c.depth
  )
  SELECT e.user_id FROM effective e WHERE e.role = ANY (p_roles)
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON notifications, notification_recipients, notification_unread, notification_emails TO herald_tenant;
GRANT USAGE ON SEQUENCE notification_delivery_seq TO herald_tenant;

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY notifications_tenant ON notifications TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE notification_recipients ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_recipients_tenant ON notification_recipients TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE notification_unread ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_unread_tenant ON notification_unread TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
ALTER TABLE notification_emails ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_emails_tenant ON notification_emails TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
