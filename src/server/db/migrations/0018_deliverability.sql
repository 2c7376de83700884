-- Deliverability apart from consent: `bounced` stops being a consent value. A bounce was never the
-- person's choice; the address's deliverability (address_deliverability, 0014) now stops sends to it.
-- Contacts whose email or SMS consent was `bounced` get a `hard_bounced` row (reason `migrated`) for
-- their address and their consent back to `subscribed`; SmartList conditions "consent is bounced"
-- become "deliverability is hard-bounced".

INSERT INTO address_deliverability (account_id, channel, address, state, soft_bounces, reason, changed_at)
SELECT DISTINCT ON (c.account_id, lower(trim(c.email)))
       c.account_id, 'email', lower(trim(c.email)), 'hard_bounced', 0, 'migrated', c.updated_at
FROM contacts c
WHERE c.email_consent = 'bounced' AND c.email IS NOT NULL
ORDER BY c.account_id, lower(trim(c.email)), c.updated_at DESC
ON CONFLICT (account_id, channel, address) DO UPDATE SET
  state = CASE WHEN address_deliverability.state = 'complained' THEN 'complained' ELSE 'hard_bounced' END,
  reason = CASE WHEN address_deliverability.state = 'complained' THEN address_deliverability.reason ELSE 'migrated' END;

INSERT INTO address_deliverability (account_id, channel, address, state, soft_bounces, reason, changed_at)
SELECT DISTINCT ON (c.account_id, trim(c.phone))
       c.account_id, 'sms', trim(c.phone), 'hard_bounced', 0, 'migrated', c.updated_at
FROM contacts c
WHERE c.sms_consent = 'bounced' AND c.phone IS NOT NULL
ORDER BY c.account_id, trim(c.phone), c.updated_at DESC
ON CONFLICT (account_id, channel, address) DO UPDATE SET
  state = CASE WHEN address_deliverability.state = 'complained' THEN 'complained' ELSE 'hard_bounced' END,
  reason = CASE WHEN address_deliverability.state = 'complained' THEN address_deliverability.reason ELSE 'migrated' END;

ALTER TABLE contacts DROP CONSTRAINT IF EXISTS contacts_email_consent_check;
ALTER TABLE contacts DROP CONSTRAINT IF EXISTS contacts_sms_consent_check;

UPDATE contacts SET email_consent = 'subscribed' WHERE email_consent = 'bounced';
UPDATE contacts SET sms_consent = 'subscribed' WHERE sms_consent = 'bounced';

ALTER TABLE contacts
  ADD CONSTRAINT contacts_email_consent_check CHECK (email_consent IN ('subscribed', 'unsubscribed')),
  ADD CONSTRAINT contacts_sms_consent_check CHECK (sms_consent IN ('subscribed', 'unsubscribed'));

-- Saved filters: {"type": "consent", "status": "bounced", "channel": …} (jsonb prints keys by length,
-- then bytes, so the text form is fixed) becomes the deliverability condition.
UPDATE smart_lists
SET filter = regexp_replace(
      filter::text,
      '\{"type": "consent", "status": "bounced", "channel": "(email|sms)"\}',
      '{"type": "deliverability", "state": "hard_bounced", "channel": "\1"}',
      'g')::jsonb
WHERE filter::text LIKE '%"status": "bounced"%';
