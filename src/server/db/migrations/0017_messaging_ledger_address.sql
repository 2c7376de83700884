-- The send ledger by (action, address): a chunk checks whether an address already has a message in
-- its action (each address gets one message), probing this index instead of the action's rows.
CREATE INDEX messages_action_address_idx ON messages (action_id, channel, address);
