// Deliverability per address (lower-cased email or E.164 phone), apart from consent: what bounces
// and complaints did to it. A hard bounce or a complaint stops further sends to the address.
import { sql } from 'drizzle-orm';
import { isoTime, rows, type Queryable } from '../../db/types.ts';
import type { Channel, DeliverabilityState } from '../../../shared/messaging.ts';

/** The key an address is kept under: emails lower-cased and trimmed, phones as they are (E.164). */
export const addressKey = (channel: Channel, address: string): string =>
  channel === 'email' ? address.trim().toLowerCase() : address.trim();

/** Soft bounces in a row after which an address counts as hard-bounced (no delivery in between). */
export const SOFT_BOUNCE_LIMIT = 3;

/**
 * Records a bounce of `address`: hard → `hard_bounced`; soft → `soft_bounced` with the count
 * raised, and `hard_bounced` once SOFT_BOUNCE_LIMIT soft bounces came in a row (a delivery in
 * between starts the count again, see noteDelivered). A complained or hard-bounced address stays so.
 * `at` orders it against later events.
 */
export async function noteBounce(
  q: Queryable,
  bounce: {
    accountId: number;
    channel: Channel;
    address: string;
    hard: boolean;
    reason: string | null;
    at: Date;
  },
): Promise<void> {
  const state = bounce.hard ? 'hard_bounced' : 'soft_bounced';
  await q.execute(sql`
    INSERT INTO address_deliverability (account_id, channel, address, state, soft_bounces, reason, changed_at)
    VALUES (${bounce.accountId}, ${bounce.channel}, ${addressKey(bounce.channel, bounce.address)}, ${state},
            ${bounce.hard ? 0 : 1}, ${bounce.reason}, ${bounce.at.toISOString()}::timestamptz)
    ON CONFLICT (account_id, channel, address) DO UPDATE SET
      state = CASE
        WHEN address_deliverability.state IN ('hard_bounced', 'complained') THEN address_deliverability.state
        WHEN EXCLUDED.state = 'soft_bounced'
             AND address_deliverability.soft_bounces + 1 >= ${SOFT_BOUNCE_LIMIT} THEN 'hard_bounced'
        ELSE EXCLUDED.state END,
      soft_bounces = address_deliverability.soft_bounces + EXCLUDED.soft_bounces,
      reason = CASE
        WHEN address_deliverability.state IN ('hard_bounced', 'complained') THEN address_deliverability.reason
        ELSE EXCLUDED.reason END,
      changed_at = CASE
        WHEN address_deliverability.state IN ('hard_bounced', 'complained') THEN address_deliverability.changed_at
        ELSE greatest(address_deliverability.changed_at, EXCLUDED.changed_at) END`);
}

/**
 * A message to `address` was delivered at `at`: a soft-bounced address is `ok` again and its count
 * starts over, unless a bounce newer than the delivery was recorded (events arrive out of order).
 * Hard-bounced and complained addresses stay so.
 */
export async function noteDelivered(
  q: Queryable,
  delivered: { accountId: number; channel: Channel; address: string; at: Date },
): Promise<void> {
  await q.execute(sql`
    UPDATE address_deliverability SET state = 'ok', soft_bounces = 0, reason = NULL,
           changed_at = ${delivered.at.toISOString()}::timestamptz
    WHERE account_id = ${delivered.accountId} AND channel = ${delivered.channel}
      AND address = ${addressKey(delivered.channel, delivered.address)}
      AND state = 'soft_bounced' AND changed_at <= ${delivered.at.toISOString()}::timestamptz`);
}

/** The recipient marked a message as spam: the address is `complained` (sends to it stop). */
export async function noteComplaint(
  q: Queryable,
  complaint: { accountId: number; address: string; reason: string | null; at: Date },
): Promise<void> {
  await q.execute(sql`
    INSERT INTO address_deliverability (account_id, channel, address, state, soft_bounces, reason, changed_at)
    VALUES (${complaint.accountId}, 'email', ${addressKey('email', complaint.address)}, 'complained', 0,
            ${complaint.reason}, ${complaint.at.toISOString()}::timestamptz)
    ON CONFLICT (account_id, channel, address) DO UPDATE SET
      state = 'complained', reason = EXCLUDED.reason, changed_at = EXCLUDED.changed_at
    WHERE address_deliverability.state <> 'complained'`);
}

/** The deliverability of one address, or null when nothing was ever recorded (deliverable). */
export async function findDeliverability(
  q: Queryable,
  accountId: number,
  channel: Channel,
  address: string,
): Promise<{
  state: DeliverabilityState;
  softBounces: number;
  reason: string | null;
  changedAt: string;
} | null> {
  const [row] = await rows<{
    state: DeliverabilityState;
    softBounces: number;
    reason: string | null;
    changedAt: string | Date;
  }>(
    q,
    sql`SELECT state, soft_bounces AS "softBounces", reason, changed_at AS "changedAt"
        FROM address_deliverability
        WHERE account_id = ${accountId} AND channel = ${channel} AND address = ${addressKey(channel, address)}`,
  );
  return row ? { ...row, softBounces: Number(row.softBounces), changedAt: isoTime(row.changedAt) } : null;
}

/** SQL: true when the address may not be sent to (hard-bounced or complained). */
export const undeliverable = (accountId: SqlValue, channel: Channel, address: SqlValue) => sql`EXISTS (
  SELECT 1 FROM address_deliverability d
  WHERE d.account_id = ${accountId} AND d.channel = ${channel} AND d.address = ${address}
    AND d.state IN ('hard_bounced', 'complained'))`;

type SqlValue = ReturnType<typeof sql> | number | string;
