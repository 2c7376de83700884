import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { NotificationEvent, Severity, Subject } from '../../../shared/notifications.ts';

/** Channel of every notification change; payloads carry ids only (see notification-hub.ts). */
export const NOTIFICATION_CHANNEL = 'herald_notifications';

// Held until commit by every transaction that hands out delivery numbers, so they become visible in
// order and a stream's cursor never skips one (see the migration). Notifications are rare account
// events, so one lock for all of them costs nothing measurable.
export const DELIVERY_LOCK_KEY = 7_244_130_005;

/**
 * `accountId`: new deliveries there; `userId`: that user's read state changed; `reconnected`: the
 * LISTEN connection was re-established, messages may have been missed, every stream re-reads.
 */
export type HubMessage = { accountId: number } | { userId: number } | { reconnected: true };

/** Tells every process's streams that something changed (delivered on commit when `q` is a transaction). */
export async function publish(q: Queryable, message: HubMessage): Promise<void> {
  await q.execute(sql`SELECT pg_notify(${NOTIFICATION_CHANNEL}, ${JSON.stringify(message)})`);
}

/** Takes the delivery lock until the end of the transaction. */
export async function lockDeliveries(q: Queryable): Promise<void> {
  await q.execute(sql`SELECT pg_advisory_xact_lock(${DELIVERY_LOCK_KEY})`);
}

/** What a notification row holds besides its account and type. */
export interface NotificationContent {
  severity: Severity;
  params: unknown;
  subject: Subject;
}

/** The open group for this key: same account, type and key, first seen at or after `since` (locked). */
export async function findOpenGroup(
  q: Queryable,
  accountId: number,
  event: NotificationEvent,
  since: string,
): Promise<number | null> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`SELECT id FROM notifications
        WHERE account_id = ${accountId} AND type = ${event.type} AND group_key = ${event.groupKey ?? null}
          AND first_at >= ${since}::timestamptz
        ORDER BY first_at DESC LIMIT 1 FOR UPDATE`,
  );
  return row ? Number(row.id) : null;
}

/** Counts one more occurrence of a grouped notification, with the newest content. */
export async function addOccurrence(
  q: Queryable,
  notificationId: number,
  content: NotificationContent,
  now: string,
): Promise<void> {
  await q.execute(sql`
    UPDATE notifications SET occurrences = occurrences + 1, last_at = ${now}::timestamptz,
      params = ${JSON.stringify(content.params)}::jsonb, severity = ${content.severity},
      subject_kind = ${content.subject.kind}, subject_id = ${content.subject.id}
    WHERE id = ${notificationId}`);
}

export async function insertNotification(
  q: Queryable,
  accountId: number,
  event: NotificationEvent,
  content: NotificationContent,
  now: string,
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO notifications (account_id, type, severity, params, subject_kind, subject_id, group_key, first_at, last_at)
        VALUES (${accountId}, ${event.type}, ${content.severity}, ${JSON.stringify(content.params)}::jsonb,
                ${content.subject.kind}, ${content.subject.id}, ${event.groupKey ?? null}, ${now}::timestamptz, ${now}::timestamptz)
        RETURNING id`,
  );
  return Number(row!.id);
}

/** Locks a notification's existing copies (in user order) and tells which users still have it unread. */
export async function lockCopies(q: Queryable, notificationId: number): Promise<Set<number>> {
  const existing = await rows<{ userId: number; unread: boolean }>(
    q,
    sql`SELECT user_id AS "userId", read_at IS NULL AS unread FROM notification_recipients
        WHERE notification_id = ${notificationId} ORDER BY user_id FOR UPDATE`,
  );
  return new Set(existing.filter((e) => e.unread).map((e) => Number(e.userId)));
}

/**
 * Gives the notification (again) to every user whose effective role in the account is one of
 * `roles` (a text[] literal), each with the next delivery number, as unread. Returns those users.
 */
export async function insertCopies(
  q: Queryable,
  accountId: number,
  notificationId: number,
  roles: string,
  now: string,
): Promise<number[]> {
  const delivered = await rows<{ userId: number }>(
    q,
    sql`INSERT INTO notification_recipients (user_id, notification_id, account_id, seq, delivered_at)
        SELECT r.user_id, ${notificationId}, ${accountId}, nextval('notification_delivery_seq'), ${now}::timestamptz
        FROM (SELECT user_id FROM herald_notification_recipients(${accountId}, ${roles}::text[]) ORDER BY user_id) r
        ON CONFLICT (notification_id, user_id)
          DO UPDATE SET seq = EXCLUDED.seq, delivered_at = EXCLUDED.delivered_at, read_at = NULL
        RETURNING user_id AS "userId"`,
  );
  return delivered.map((d) => Number(d.userId));
}

/** Adds one to the unread counters of `userIds` (sorted by the caller, so locks come in one order). */
export async function incrementUnread(
  q: Queryable,
  accountId: number,
  userIds: readonly number[],
): Promise<void> {
  if (userIds.length === 0) return;
  await q.execute(sql`
    INSERT INTO notification_unread (user_id, account_id, unread)
    SELECT u, ${accountId}, 1 FROM unnest(${`{${userIds.join(',')}}`}::bigint[]) AS u
    ON CONFLICT (user_id, account_id) DO UPDATE SET unread = notification_unread.unread + 1`);
}
