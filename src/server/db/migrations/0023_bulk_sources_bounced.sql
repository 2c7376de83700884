-- 0018 turned "consent is bounced" into "deliverability is hard-bounced" in saved SmartLists. A bulk
-- action started from an inline filter keeps that filter in `source` until its freeze: one still
-- waiting to freeze (or to be re-frozen after a crash) would fail on the retired consent value, so
-- its stored filter gets the same rewrite (jsonb prints keys by length, then bytes: the text form
-- is fixed). Finished actions keep what they were started with.
UPDATE bulk_actions
SET source = regexp_replace(
      source::text,
      '\{"type": "consent", "status": "bounced", "channel": "(email|sms)"\}',
      '{"type": "deliverability", "state": "hard_bounced", "channel": "\1"}',
      'g')::jsonb
WHERE source IS NOT NULL
  AND status IN ('preparing', 'queued', 'in_progress', 'paused')
  AND source::text LIKE '%"status": "bounced"%';
