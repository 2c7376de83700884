-- The delivery outbox: one row per call to an outside system (an email, an SMS, a webhook), of
-- any kind, claimed with a lease, sent outside any transaction, its result written afterwards.
-- Backoff and retries live in the row (due_at, attempts), so no retry depends on a job that may
-- die with its process. Notification emails move here from notification_emails (dropped below).

CREATE TABLE deliveries (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind           text NOT NULL,
  -- Deliveries of a bulk action: its item number; claimed only while the action is in progress.
  action_id      bigint REFERENCES bulk_actions (id) ON DELETE CASCADE,
  seq            integer,
  -- What the kind needs to send (checked by the kind's schema at send time).
  subject        jsonb NOT NULL,
  -- Unique per kind when set: "never twice" for the kind's own idea of the same message.
  dedupe_key     text,
  status         text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'outboxed', 'failed', 'cancelled')),
  -- Calls made (claims), and how many of the retries were postponements asked for by the other
  -- side (HTTP 429 / Retry-After), which do not count against the kind's retry limit.
  attempts       integer NOT NULL DEFAULT 0,
  postponements  integer NOT NULL DEFAULT 0,
  -- Operational times are wall-clock: when the row is due, and how long a claim holds it.
  due_at         timestamptz NOT NULL DEFAULT now(),
  lease_owner    text,
  lease_until    timestamptz,
  last_error     text,
  -- Stable code of a failure (e.g. 'rejected', 'interrupted', 'retries_exhausted').
  reason         text,
  result         jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  CHECK ((action_id IS NULL) = (seq IS NULL)),
  UNIQUE (action_id, seq),
  UNIQUE (kind, dedupe_key)
);
-- The claim reads due pending rows in order; the lease sweep reads sending rows by lease end.
CREATE INDEX deliveries_due_idx ON deliveries (due_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_lease_idx ON deliveries (lease_until) WHERE status = 'sending';
-- The notification email kind: a user's outbox page, and the retention purge by notification.
CREATE INDEX deliveries_notification_email_user_idx ON deliveries (((subject ->> 'userId')::bigint), id DESC)
  WHERE kind = 'notification_email';
CREATE INDEX deliveries_notification_email_notification_idx ON deliveries (((subject ->> 'notificationId')::bigint))
  WHERE kind = 'notification_email';

GRANT SELECT, INSERT, UPDATE, DELETE ON deliveries TO herald_tenant;
ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY deliveries_tenant ON deliveries TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);

-- Existing notification emails, keeping what the outbox page shows (status, to, subject, bodies,
-- error, attempts, times). Queued and retrying rows are pending again (due when they were); a send
-- that was in flight keeps its claim time as an already expired lease, so the sweep fails it as
-- interrupted (SMTP may have accepted it), as before.
INSERT INTO deliveries (account_id, kind, subject, dedupe_key, status, attempts, due_at, lease_owner,
                        lease_until, last_error, reason, result, created_at, finished_at)
SELECT e.account_id, 'notification_email',
       jsonb_build_object('notificationId', e.notification_id, 'userId', e.user_id),
       e.notification_id || ':' || e.user_id,
       CASE e.status WHEN 'queued' THEN 'pending' WHEN 'retrying' THEN 'pending' ELSE e.status END,
       e.attempts,
       e.next_attempt_at,
       CASE WHEN e.status = 'sending' THEN 'migrated' END,
       CASE WHEN e.status = 'sending' THEN coalesce(e.claimed_at, e.created_at) END,
       e.last_error,
       CASE WHEN e.status = 'failed' THEN 'rejected' END,
       CASE WHEN e.to_address IS NOT NULL THEN
         jsonb_build_object('to', e.to_address, 'subject', e.subject, 'text', e.text_body,
                            'html', e.html_body, 'messageId', e.message_id) END,
       e.created_at,
       CASE WHEN e.status IN ('sent', 'outboxed', 'failed') THEN coalesce(e.sent_at, e.claimed_at, e.created_at) END
FROM notification_emails e
ORDER BY e.id;

DROP TABLE notification_emails;
