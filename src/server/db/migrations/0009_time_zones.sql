-- One definition of a day per account: every date-only filter, list date range and schedule reads
-- calendar days in the account's IANA time zone, never in the database session's TimeZone.
-- Existing accounts get the demo's zone; users may pick their own zone for displayed dates
-- (NULL: the account's).

ALTER TABLE accounts ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Berlin'
  CHECK (length(time_zone) BETWEEN 1 AND 64);
ALTER TABLE users ADD COLUMN time_zone text CHECK (length(time_zone) BETWEEN 1 AND 64);
