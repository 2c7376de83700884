-- Email statistics of mailings: the recipient filter "unsubscribed" and the count of unsubscribes
-- look up opt-outs by the message whose link was used (opt_outs.message_id). Without this index
-- each look-up scans the account's opt-outs; it also keeps deleting ledger rows (ON DELETE SET
-- NULL) from scanning the table. EXPLAIN, a page of `unsubscribed` with 200,000 opt-outs in the
-- account: a seq scan, hash and sort of every opt-out (~130 ms) without it, a merge semi join
-- over this index (~2 ms) with it.
CREATE INDEX opt_outs_message_idx ON opt_outs (message_id) WHERE message_id IS NOT NULL;
