// Deliverability per address (lower-cased email or E.164 phone), apart from consent: what bounces
// and complaints did to it. A hard bounce or a complaint stops further sends to the address.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/types.ts';
import type { Channel } from '../../../shared/messaging.ts';

/** The key an address is kept under: emails lower-cased and trimmed, phones as they are (E.164). */
export const addressKey = (channel: Channel, address: string): string =>
  channel === 'email' ? address.trim().toLowerCase() : address.trim();

/**
 * Records a bounce of `address`: hard → `hard_bounced`; soft → `soft_bounced` with the count
 * raised (a complained or hard-bounced address stays so). `at` orders it against later events.
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
        ELSE EXCLUDED.state END,
      soft_bounces = address_deliverability.soft_bounces + EXCLUDED.soft_bounces,
      reason = CASE
        WHEN address_deliverability.state IN ('hard_bounced', 'complained') THEN address_deliverability.reason
        ELSE EXCLUDED.reason END,
      changed_at = greatest(address_deliverability.changed_at, EXCLUDED.changed_at)`);
}

/** SQL: true when the address may not be sent to (hard-bounced or complained). */
export const undeliverable = (accountId: SqlValue, channel: Channel, address: SqlValue) => sql`EXISTS (
  SELECT 1 FROM address_deliverability d
  WHERE d.account_id = ${accountId} AND d.channel = ${channel} AND d.address = ${address}
    AND d.state IN ('hard_bounced', 'complained'))`;

type SqlValue = ReturnType<typeof sql> | number | string;
