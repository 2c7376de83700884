// The ledger rows provider events are about, always looked up within one account, locked for the
// change, and the provider events already seen.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { Channel, MessageStatus } from '../../../shared/messaging.ts';

/** A ledger row as events see it. */
export interface LedgerRow {
  id: number;
  accountId: number;
  contactId: number;
  channel: Channel;
  address: string | null;
  status: MessageStatus;
  bounceType: 'hard' | 'soft' | null;
  complained: boolean;
  eventAt: string | null;
}

const COLUMNS = sql`id, account_id AS "accountId", contact_id AS "contactId", channel, address, status,
  bounce_type AS "bounceType", complained, event_at::text AS "eventAt"`;

function mapped(row: LedgerRow | undefined): LedgerRow | null {
  return row
    ? { ...row, id: Number(row.id), accountId: Number(row.accountId), contactId: Number(row.contactId) }
    : null;
}

/** `<id@host>` whether or not the caller wrote the brackets. */
export function bracketed(messageId: string): string {
  const t = messageId.trim();
  return t.startsWith('<') ? t : `<${t}>`;
}

/** The account's email ledger row with this RFC 5322 Message-ID, locked. */
export async function lockEmailMessage(
  q: Queryable,
  accountId: number,
  messageId: string,
): Promise<LedgerRow | null> {
  const [row] = await rows<LedgerRow>(
    q,
    sql`SELECT ${COLUMNS} FROM messages
        WHERE account_id = ${accountId} AND channel = 'email' AND message_id = ${bracketed(messageId)}
        ORDER BY id LIMIT 1 FOR UPDATE`,
  );
  return mapped(row);
}

/**
 * The account's SMS ledger row: by its id (`m` of the callback URL) when given and of this account,
 * else by the provider's message id. A ledger id of another account finds nothing.
 */
export async function lockSmsMessage(
  q: Queryable,
  accountId: number,
  ref: { ledgerId: number | null; providerMessageId: string | null },
): Promise<LedgerRow | null> {
  if (ref.ledgerId !== null) {
    const [row] = await rows<LedgerRow>(
      q,
      sql`SELECT ${COLUMNS} FROM messages
          WHERE account_id = ${accountId} AND channel = 'sms' AND id = ${ref.ledgerId} FOR UPDATE`,
    );
    if (row) return mapped(row);
  }
  if (!ref.providerMessageId) return null;
  const [row] = await rows<LedgerRow>(
    q,
    sql`SELECT ${COLUMNS} FROM messages
        WHERE account_id = ${accountId} AND channel = 'sms' AND provider_message_id = ${ref.providerMessageId}
        ORDER BY id LIMIT 1 FOR UPDATE`,
  );
  return mapped(row);
}

/** The new state of a ledger row after an event. */
export interface LedgerChange {
  status: MessageStatus;
  bounceType: 'hard' | 'soft' | null;
  complained: boolean;
  reason: string | null;
  detail: string | null;
  deliveredAt: Date | null;
  eventAt: Date;
}

export async function updateLedgerRow(q: Queryable, row: LedgerRow, change: LedgerChange): Promise<void> {
  await q.execute(sql`
    UPDATE messages SET
      status = ${change.status},
      bounce_type = ${change.bounceType},
      complained = ${change.complained},
      reason = coalesce(${change.reason}, reason),
      detail = coalesce(${change.detail}, detail),
      delivered_at = least(delivered_at, ${change.deliveredAt?.toISOString() ?? null}::timestamptz),
      event_at = greatest(event_at, ${change.eventAt.toISOString()}::timestamptz),
      updated_at = now()
    WHERE id = ${row.id} AND account_id = ${row.accountId}`);
}

/** Records a provider event id; false when it was seen before (the event is not applied again). */
export async function firstSight(
  q: Queryable,
  accountId: number,
  provider: string,
  eventId: string,
): Promise<boolean> {
  const inserted = await rows<{ one: number }>(
    q,
    sql`INSERT INTO provider_events (account_id, provider, event_id) VALUES (${accountId}, ${provider}, ${eventId})
        ON CONFLICT DO NOTHING RETURNING 1 AS one`,
  );
  return inserted.length > 0;
}

/**
 * How long provider event ids are remembered. Providers repeat a webhook within hours (Twilio and
 * Vonage retry for at most a day); an event repeated later than this would be applied again, which
 * the ledger's forward-only states make harmless.
 */
export const PROVIDER_EVENT_RETENTION_DAYS = 30;

/** Forgets provider event ids received before `before`; returns how many. */
export async function purgeProviderEvents(q: Queryable, before: Date): Promise<number> {
  const deleted = await rows<{ one: number }>(
    q,
    sql`DELETE FROM provider_events WHERE received_at < ${before.toISOString()}::timestamptz RETURNING 1 AS one`,
  );
  return deleted.length;
}
