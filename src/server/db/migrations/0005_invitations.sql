-- Members join by invitation: adding a member never pulls in (or reveals) another tenant's user.
-- Only pending invitations are kept; accepting, declining or revoking deletes the row, so a token
-- works once. Only a hash of the token is stored, like session tokens.

CREATE TABLE invitations (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  role          text NOT NULL,
  language      text CHECK (language IN ('en', 'de')),
  token_hash    text NOT NULL UNIQUE,
  -- The inviter's rights are checked again on accept: an inviter who is gone can grant nothing.
  invited_by    bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  email_status  text NOT NULL DEFAULT 'pending' CHECK (email_status IN ('pending', 'sent', 'outboxed', 'failed'))
);
-- One pending invitation per address and account: inviting again replaces it.
CREATE UNIQUE INDEX invitations_email_key ON invitations (account_id, lower(email));
CREATE INDEX invitations_email_idx ON invitations (lower(email));

GRANT SELECT, INSERT, UPDATE, DELETE ON invitations TO herald_tenant;
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations TO herald_tenant
  USING (account_id = nullif(current_setting('herald.account_id', true), '')::bigint);

-- How many users are owners of an account (their own membership, else the nearest ancestor's):
-- an account must always keep one. SECURITY DEFINER because member changes run inside tenant
-- transactions, where row-level security hides the agency's memberships.
CREATE FUNCTION herald_account_owner_count(p_account bigint)
RETURNS bigint
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
  SELECT count(*) FROM effective WHERE role = 'owner'
$$;
