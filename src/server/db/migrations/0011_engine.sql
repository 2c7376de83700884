-- The bulk engine for every feature (issue 10): generic items, the background freeze, names in the
-- reader's language.

-- Types are registered in code by their features; the database no longer lists them.
ALTER TABLE bulk_actions DROP CONSTRAINT IF EXISTS bulk_actions_type_check;

-- 'preparing': created, its items are being frozen in the background.
ALTER TABLE bulk_actions DROP CONSTRAINT IF EXISTS bulk_actions_status_check;
ALTER TABLE bulk_actions ADD CONSTRAINT bulk_actions_status_check
  CHECK (status IN ('preparing', 'queued', 'in_progress', 'paused', 'completed', 'cancelled', 'failed'));

-- Where the items come from (a selection, or the action a restore/retry/undo derives from), kept so
-- that a freeze interrupted by a crash continues where it stopped: `freeze_key` is the last key
-- frozen, `prepared` the items frozen so far, `max_subject` the highest subject id when it began
-- (later rows are never included).
ALTER TABLE bulk_actions ADD COLUMN source jsonb;
ALTER TABLE bulk_actions ADD COLUMN freeze_key bigint NOT NULL DEFAULT 0;
ALTER TABLE bulk_actions ADD COLUMN prepared integer NOT NULL DEFAULT 0;
ALTER TABLE bulk_actions ADD COLUMN max_subject bigint;
UPDATE bulk_actions SET prepared = total WHERE frozen;

-- What a generated name says ({ count, detail, derivedAs, sourceType }), rendered in each reader's
-- language; NULL for names users typed or changed.
ALTER TABLE bulk_actions ADD COLUMN name_spec jsonb;

-- Snapshots written before this migration by a process that died: they have no stored source.
UPDATE bulk_actions SET status = 'failed', error = 'Interrupted while preparing the contact list',
       finished_at = updated_at
 WHERE NOT frozen AND status = 'queued';

-- Items, packed: one row per run of consecutive sequence numbers, holding their subjects (a contact
-- id, a file row number, a target account id, ...) as a bigint[]. A million items are about a
-- hundred rows instead of a million (a tenth of the time and a fiftieth of the WAL to write).
CREATE TABLE bulk_action_batches (
  action_id   bigint NOT NULL REFERENCES bulk_actions (id) ON DELETE CASCADE,
  first_seq   integer NOT NULL,
  account_id  bigint NOT NULL,
  subjects    bigint[] NOT NULL,
  PRIMARY KEY (action_id, first_seq)
);
INSERT INTO bulk_action_batches (action_id, first_seq, account_id, subjects)
SELECT action_id, min(seq), min(account_id), array_agg(contact_id ORDER BY seq)
  FROM bulk_action_items GROUP BY action_id, (seq - 1) / 1000;
DROP TABLE bulk_action_items;

GRANT SELECT, INSERT, UPDATE, DELETE ON bulk_action_batches TO herald_tenant;
ALTER TABLE bulk_action_batches ENABLE ROW LEVEL SECURITY;
CREATE POLICY bulk_action_batches_tenant ON bulk_action_batches TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);

-- Outcomes belong to a subject of any kind, with what its type needs for the error log (a file
-- row's number and column, a recipient address, a target account).
ALTER TABLE bulk_action_outcomes RENAME COLUMN contact_id TO subject_id;
ALTER TABLE bulk_action_outcomes ADD COLUMN details jsonb;

-- The sweep looks for preparing actions too.
DROP INDEX IF EXISTS bulk_actions_active_idx;
CREATE INDEX bulk_actions_active_idx ON bulk_actions (status, lease_until)
  WHERE status IN ('preparing', 'queued', 'in_progress');

-- One restore, undo or retry of a source in flight: a preparing one counts too.
DROP INDEX IF EXISTS bulk_actions_one_in_flight_idx;
CREATE UNIQUE INDEX bulk_actions_one_in_flight_idx ON bulk_actions (source_action_id, derived_as)
  WHERE derived_as IS NOT NULL AND status IN ('preparing', 'queued', 'in_progress', 'paused');
