-- Acting twice must not do things twice: at most one restore, undo or retry of a source action in
-- flight (a unique index, so it holds under parallel requests), and Idempotency-Key replays.

-- How an action was derived from its source (NULL: started from a selection). The type alone cannot
-- tell: the undo of a remove-tag and the retry of an add-tag are both add-tags.
ALTER TABLE bulk_actions ADD COLUMN derived_as text CHECK (derived_as IN ('restore', 'retry_failed', 'undo'));
UPDATE bulk_actions b
   SET derived_as = CASE WHEN b.type = 'restore_contacts' THEN 'restore'
                         WHEN b.type = s.type THEN 'retry_failed'
                         ELSE 'undo' END
  FROM bulk_actions s
 WHERE s.id = b.source_action_id;
-- Duplicates created before this migration stay, but only the first of each counts as "the" one.
UPDATE bulk_actions b SET derived_as = NULL
 WHERE b.derived_as IS NOT NULL AND b.status IN ('queued', 'in_progress', 'paused')
   AND EXISTS (SELECT 1 FROM bulk_actions o
                WHERE o.source_action_id = b.source_action_id AND o.derived_as = b.derived_as
                  AND o.status IN ('queued', 'in_progress', 'paused') AND o.id < b.id);
CREATE UNIQUE INDEX bulk_actions_one_in_flight_idx ON bulk_actions (source_action_id, derived_as)
  WHERE derived_as IS NOT NULL AND status IN ('queued', 'in_progress', 'paused');

-- Idempotency-Key of a create: the first answer, replayed for the same key and request for 24 hours.
-- action_id and response stay NULL while the first request is still working.
CREATE TABLE bulk_idempotency_keys (
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  action_id     bigint REFERENCES bulk_actions (id) ON DELETE CASCADE,
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (account_id, user_id, key)
);
CREATE INDEX bulk_idempotency_keys_created_idx ON bulk_idempotency_keys (created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON bulk_idempotency_keys TO herald_tenant;
ALTER TABLE bulk_idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulk_idempotency_keys_tenant ON bulk_idempotency_keys TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);
