// Opt-outs: the contact's consent for the channel becomes `unsubscribed`, and the opt-out is
// recorded with its time, source and (when known) the ledger row it came from. Unsubscribe links,
// SMS keywords and complaints all come through here.
import { sql } from 'drizzle-orm';
import { isoTime, rows, type Queryable } from '../../db/types.ts';
import type { Channel, OptOutSource } from '../../../shared/messaging.ts';

/** One opt-out to record. `messageId`: the ledger row (`messages.id`) it came from, if any. */
export interface OptOut {
  accountId: number;
  contactId: number;
  channel: Channel;
  source: OptOutSource;
  messageId: number | null;
  /** When it happened (default: the database's now). */
  at?: Date;
}

/**
 * Opts a live contact of the account out of `channel`. Answers whether anything changed: a contact
 * already unsubscribed (a repeated click, a second STOP) is left as it is and no second opt-out is
 * recorded; an unknown or deleted contact changes nothing.
 */
export async function recordOptOut(q: Queryable, optOut: OptOut): Promise<boolean> {
  const at = optOut.at ? sql`${optOut.at.toISOString()}::timestamptz` : sql`now()`;
  const column = optOut.channel === 'email' ? sql`email_consent` : sql`sms_consent`;
  const changed = await rows<{ id: number }>(
    q,
    sql`UPDATE contacts SET ${column} = 'unsubscribed', updated_at = ${at}
        WHERE account_id = ${optOut.accountId} AND id = ${optOut.contactId} AND deleted_at IS NULL
          AND ${column} <> 'unsubscribed'
        RETURNING id`,
  );
  if (changed.length === 0) return false;
  await q.execute(sql`
    INSERT INTO opt_outs (account_id, contact_id, channel, source, message_id, created_at)
    VALUES (${optOut.accountId}, ${optOut.contactId}, ${optOut.channel}, ${optOut.source},
            (SELECT m.id FROM messages m WHERE m.id = ${optOut.messageId} AND m.account_id = ${optOut.accountId}),
            ${at})`);
  return true;
}

/**
 * Records an opt-out whose consent change the caller writes itself (a user saving the contact
 * form with consent `unsubscribed`).
 */
export async function insertOptOut(q: Queryable, optOut: OptOut): Promise<void> {
  const at = optOut.at ? sql`${optOut.at.toISOString()}::timestamptz` : sql`now()`;
  await q.execute(sql`
    INSERT INTO opt_outs (account_id, contact_id, channel, source, message_id, created_at)
    VALUES (${optOut.accountId}, ${optOut.contactId}, ${optOut.channel}, ${optOut.source}, ${optOut.messageId}, ${at})`);
}

/** The live contacts of the account with this E.164 phone (phones are unique among live contacts). */
export async function contactIdsByPhone(q: Queryable, accountId: number, phone: string): Promise<number[]> {
  const found = await rows<{ id: number }>(
    q,
    sql`SELECT id FROM contacts WHERE account_id = ${accountId} AND phone = ${phone} AND deleted_at IS NULL`,
  );
  return found.map((r) => Number(r.id));
}

/** A contact's opt-outs, newest first. */
export async function listOptOuts(
  q: Queryable,
  accountId: number,
  contactId: number,
  limit = 100,
): Promise<{ channel: Channel; source: OptOutSource; messageId: string | null; at: string }[]> {
  const found = await rows<{
    channel: Channel;
    source: OptOutSource;
    messageId: number | null;
    at: Date | string;
  }>(
    q,
    sql`SELECT channel, source, message_id AS "messageId", created_at AS at
        FROM opt_outs WHERE account_id = ${accountId} AND contact_id = ${contactId}
        ORDER BY id DESC LIMIT ${limit}`,
  );
  return found.map((r) => ({
    channel: r.channel,
    source: r.source,
    messageId: r.messageId === null ? null : String(r.messageId),
    at: isoTime(r.at),
  }));
}
