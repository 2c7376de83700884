-- Messaging: sender settings, templates, the send ledger, deliverability kept apart from consent,
-- opt-outs, provider events (deduplicated) and the shared rate buckets.

-- Per account, where its email and SMS go. Secrets (SMTP URL with password, SMS credentials,
-- webhook signing keys) are sealed with the secret box and never returned.
CREATE TABLE messaging_settings (
  account_id          bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  -- NULL: the platform default (SMTP_URL), or the local outbox when there is none.
  smtp_url_sealed     text,
  -- Messages per second for this account's SMTP server (NULL: the platform's setting).
  email_rate          double precision CHECK (email_rate > 0),
  sms_provider        text CHECK (sms_provider IN ('twilio', 'vonage')),
  sms_base_url        text,
  sms_credentials_sealed text,
  sms_from            text,
  sms_rate            double precision CHECK (sms_rate > 0),
  -- Signs (and checks) provider webhooks and status callbacks for this account.
  webhook_secret_sealed text,
  -- The public, unguessable part of this account's webhook URLs (/api/hooks/<token>/…).
  webhook_token       text NOT NULL UNIQUE,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  updated_by          bigint REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE sender_profiles (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  from_name    text NOT NULL CHECK (length(from_name) <= 200),
  from_address text NOT NULL CHECK (length(from_address) BETWEEN 3 AND 320),
  reply_to     text CHECK (length(reply_to) <= 320),
  is_default   boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sender_profiles_name_key ON sender_profiles (account_id, lower(name));
CREATE UNIQUE INDEX sender_profiles_default_key ON sender_profiles (account_id) WHERE is_default;

-- Email templates (subject, HTML, optional text part) and SMS templates (text).
CREATE TABLE message_templates (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  subject     text,
  html        text,
  text_body   text,
  -- The merge fields it uses (checked against the account's fields when saved).
  fields      text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  CHECK (channel = 'sms' OR (subject IS NOT NULL AND html IS NOT NULL)),
  CHECK (channel = 'email' OR text_body IS NOT NULL)
);
CREATE UNIQUE INDEX message_templates_name_key ON message_templates (account_id, channel, lower(name));

-- The send ledger: one row per (action, contact, channel), the truth for stats, the error log and
-- resume. Written queued or skipped in the chunk that plans the send; sent / failed / bounced when
-- the delivery is final; delivered / bounced / complained by provider events, applied monotonically.
CREATE TABLE messages (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id          bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  action_id           bigint NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  contact_id          bigint NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('email', 'sms')),
  -- The item's number in its action (the delivery carries the same).
  seq                 integer NOT NULL,
  -- The email address or E.164 phone at send time (NULL when the contact had none).
  address             text,
  status              text NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'bounced', 'failed', 'skipped', 'cancelled')),
  bounce_type         text CHECK (bounce_type IN ('hard', 'soft')),
  complained          boolean NOT NULL DEFAULT false,
  -- Stable reason code (skipped / failed / bounced), and the other side's words.
  reason              text,
  detail              text,
  -- RFC 5322 Message-ID (email), derived from (action, contact); the provider's id once accepted.
  message_id          text,
  provider_message_id text,
  segments            integer,
  queued_at           timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  delivered_at        timestamptz,
  -- The time of the newest provider event applied (events older than it do not move the state back).
  event_at            timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (action_id, contact_id, channel)
);
CREATE INDEX messages_action_status_idx ON messages (action_id, status);
CREATE INDEX messages_action_seq_idx ON messages (action_id, seq);
CREATE INDEX messages_contact_idx ON messages (account_id, contact_id);
CREATE INDEX messages_message_id_idx ON messages (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX messages_provider_id_idx ON messages (provider_message_id) WHERE provider_message_id IS NOT NULL;

-- Deliverability per address, apart from consent (a bounce is not a choice the person made).
-- address: lower-cased email, or E.164 phone.
CREATE TABLE address_deliverability (
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  channel      text NOT NULL CHECK (channel IN ('email', 'sms')),
  address      text NOT NULL,
  state        text NOT NULL CHECK (state IN ('ok', 'soft_bounced', 'hard_bounced', 'complained')),
  soft_bounces integer NOT NULL DEFAULT 0,
  reason       text,
  changed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, channel, address)
);

-- Every opt-out, with time and source (consent itself stays on the contact).
CREATE TABLE opt_outs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  contact_id  bigint NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  -- unsubscribe_link, one_click, sms_keyword, complaint, user, import
  source      text NOT NULL,
  message_id  bigint REFERENCES messages (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX opt_outs_contact_idx ON opt_outs (account_id, contact_id, id DESC);

-- Provider events seen, so a repeated webhook changes nothing twice.
CREATE TABLE provider_events (
  account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  provider    text NOT NULL,
  event_id    text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, provider, event_id)
);
CREATE INDEX provider_events_received_idx ON provider_events (received_at);

-- Token buckets shared by every worker process: one per transport (an SMTP server, an SMS
-- provider and sender). Not tenant data: a transport may serve several accounts.
CREATE TABLE rate_buckets (
  key         text PRIMARY KEY,
  tokens      double precision NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['messaging_settings', 'sender_profiles', 'message_templates', 'messages',
                           'address_deliverability', 'opt_outs', 'provider_events'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO herald_tenant', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO herald_tenant USING (account_id = nullif(current_setting(''herald.account_id'', true), '''')::bigint)', t || '_tenant', t);
  END LOOP;
END $$;
