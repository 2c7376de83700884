-- References that stay valid, and text compared in one form.

-- A SmartList whose conditions were removed because the tag, subscriber list or custom field they
-- used was deleted carries notes saying what was removed, when and by whom, until a user
-- dismisses them: [{ kind, name, removed, at, by: { id, name } | null }, ...].
ALTER TABLE smart_lists ADD COLUMN repair_notes jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Names and emails are stored in Unicode NFC from now on (the application normalises on write, and
-- search and filter input the same way). Rows written before in another form are rewritten once,
-- set-based; the generated sort_* keys are recomputed with them.
UPDATE contacts SET first_name = normalize(first_name, NFC) WHERE first_name IS NOT NFC NORMALIZED;
UPDATE contacts SET last_name = normalize(last_name, NFC) WHERE last_name IS NOT NFC NORMALIZED;
-- An email whose NFC form another contact already has stays as it is (the unique key would refuse it).
UPDATE contacts c SET email = normalize(c.email, NFC)
WHERE c.email IS NOT NFC NORMALIZED
  AND NOT EXISTS (SELECT 1 FROM contacts o WHERE o.account_id = c.account_id AND o.email = normalize(c.email, NFC));
