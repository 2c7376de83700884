-- Standard mailings: one email to the members of one or more subscriber lists, narrowed by one or
-- more target groups (SmartLists), sent through the bulk engine as a `bulk_email` action and the
-- send ledger (`messages`). A corrected re-send is a mailing of its own in the same family
-- (`root_id`): nobody in a family gets the mailing twice.

CREATE TABLE mailings (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  -- Content: an email template (read when the send starts) or the mailing's own subject/HTML/text.
  -- No foreign keys on template, sender and lists: a referenced element deleted after scheduling
  -- must make the send fail with that reason, not vanish silently from the mailing.
  template_id         bigint,
  subject             text,
  html                text,
  text_body           text,
  sender_profile_id   bigint,
  list_ids            bigint[] NOT NULL DEFAULT '{}',
  target_group_ids    bigint[] NOT NULL DEFAULT '{}',
  tracking            boolean NOT NULL DEFAULT true,
  -- Stored: draft, scheduled (handed over: waiting for its slot, or its action runs), sent, failed,
  -- cancelled. While an action runs, the API reads sending/paused from the action.
  status              text NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'failed', 'cancelled')),
  scheduled_for       timestamptz,
  -- Who scheduled it: the send starts as this user, with their rights at that moment.
  scheduled_by        bigint REFERENCES users (id) ON DELETE SET NULL,
  -- Paused before its slot: the slot is kept, nothing starts until resumed.
  held                boolean NOT NULL DEFAULT false,
  -- The family: the original mailing's id (its own for an original); a re-send names its origin.
  root_id             bigint NOT NULL,
  resend_of           bigint REFERENCES mailings (id) ON DELETE SET NULL,
  -- A re-send also to those whose send failed or soft-bounced (never to the reached).
  include_failed      boolean NOT NULL DEFAULT false,
  -- The bulk_email action of the send (one per mailing).
  action_id           bigint REFERENCES bulk_actions (id) ON DELETE SET NULL,
  recipients_at_send  integer,
  -- Stable reason code when failed (no_recipients, all_failed, list_deleted, …), and words.
  failure_reason      text,
  failure_detail      text,
  -- The pre-flight count before the slot was taken (reset when the schedule or audience changes).
  preflight_at        timestamptz,
  preflight_count     integer,
  created_by          bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  started_at          timestamptz,
  finished_at         timestamptz
);
CREATE UNIQUE INDEX mailings_name_key ON mailings (account_id, lower(name));
CREATE INDEX mailings_account_idx ON mailings (account_id, created_at DESC, id DESC);
CREATE INDEX mailings_family_idx ON mailings (account_id, root_id);
CREATE UNIQUE INDEX mailings_action_key ON mailings (action_id) WHERE action_id IS NOT NULL;
-- The scheduler's scan: handed-over mailings without an action yet.
CREATE INDEX mailings_due_idx ON mailings (scheduled_for) WHERE status = 'scheduled' AND action_id IS NULL;

-- Opens and clicks of tracked mailings: one row per (message, kind, link), first time and count, so
-- "counted per recipient once" is a count of rows and repeats only raise `hits`.
CREATE TABLE tracking_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  action_id   bigint NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  message_id  bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  contact_id  bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('open', 'click')),
  -- The clicked link as sent ('' for an open).
  url         text NOT NULL DEFAULT '',
  hits        integer NOT NULL DEFAULT 1,
  first_at    timestamptz NOT NULL DEFAULT now(),
  last_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, kind, url)
);
CREATE INDEX tracking_events_action_idx ON tracking_events (action_id, kind, first_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['mailings', 'tracking_events'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO herald_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO herald_tenant USING (account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint)', t || '_tenant', t);
  END LOOP;
END $$;
