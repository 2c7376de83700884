import { sql, type SQL } from 'drizzle-orm';
import { isoTime, rows, type Db, type Queryable } from '../../db/types.ts';
import { DELIVERY_LOCK_KEY } from './notifier.repo.ts';
import type { AccountId } from '../../db/tenant.ts';
import { accountZone, dayRange } from '../../db/zoned-days.ts';
import { languageSchema, type Language } from '../../../shared/auth.ts';
import {
  subjectPath,
  type Notification,
  type NotificationListQuery,
  type NotificationSelection,
  type NotificationType,
  type Severity,
  type Subject,
} from '../../../shared/notifications.ts';

interface NotificationRow {
  id: number;
  accountId: number;
  accountName: string;
  type: NotificationType;
  severity: Severity;
  params: Record<string, unknown>;
  subjectKind: Subject['kind'];
  subjectId: string;
  occurrences: number;
  firstAt: Date | string;
  lastAt: Date | string;
  read: boolean;
  seq: number;
}

const SELECT_COLUMNS = sql`
  n.id, n.account_id AS "accountId", a.name AS "accountName", n.type, n.severity, n.params,
  n.subject_kind AS "subjectKind", n.subject_id AS "subjectId", n.occurrences,
  n.first_at AS "firstAt", n.last_at AS "lastAt", r.read_at IS NOT NULL AS read, r.seq`;

export function toNotification(row: NotificationRow): Notification & { seq: number } {
  const accountId = String(row.accountId);
  const subject = { kind: row.subjectKind, id: row.subjectId };
  return {
    id: String(row.id),
    accountId,
    accountName: row.accountName,
    type: row.type,
    severity: row.severity,
    params: typeof row.params === 'string' ? (JSON.parse(row.params) as Record<string, unknown>) : row.params,
    subject,
    path: subjectPath(accountId, subject),
    occurrences: Number(row.occurrences),
    firstAt: isoTime(row.firstAt),
    lastAt: isoTime(row.lastAt),
    read: row.read,
    seq: Number(row.seq),
  };
}

/** One user's notifications in one account, newest delivery first (keyset on the delivery number). */
export async function listForUser(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  query: NotificationListQuery,
): Promise<NotificationRow[]> {
  const where: SQL[] = [sql`r.user_id = ${userId}`, sql`r.account_id = ${accountId}`];
  if (query.unread === true) where.push(sql`r.read_at IS NULL`);
  if (query.unread === false) where.push(sql`r.read_at IS NOT NULL`);
  if (query.type) where.push(sql`n.type = ANY(${`{${query.type.join(',')}}`}::text[])`);
  if (query.severity) where.push(sql`n.severity = ANY(${`{${query.severity.join(',')}}`}::text[])`);
  where.push(...dayRange(sql`r.delivered_at`, query, accountZone(accountId)));
  if (query.cursor) where.push(sql`r.seq < ${query.cursor}::bigint`);
  return rows<NotificationRow>(
    q,
    sql`SELECT ${SELECT_COLUMNS}
        FROM notification_recipients r
        JOIN notifications n ON n.id = r.notification_id
        JOIN accounts a ON a.id = n.account_id
        WHERE ${sql.join(where, sql` AND `)}
        ORDER BY r.seq DESC LIMIT ${query.limit + 1}`,
  );
}

export async function findForUser(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  notificationId: number,
): Promise<NotificationRow | undefined> {
  const [row] = await rows<NotificationRow>(
    q,
    sql`SELECT ${SELECT_COLUMNS}
        FROM notification_recipients r
        JOIN notifications n ON n.id = r.notification_id
        JOIN accounts a ON a.id = n.account_id
        WHERE r.user_id = ${userId} AND r.account_id = ${accountId} AND r.notification_id = ${notificationId}`,
  );
  return row;
}

/** Deliveries to a user after `afterSeq`, in all the given accounts, oldest first (for the stream). */
export async function listDeliveredAfter(
  q: Queryable,
  userId: number,
  accountIds: readonly number[],
  afterSeq: number,
  limit: number,
): Promise<NotificationRow[]> {
  if (accountIds.length === 0) return [];
  return rows<NotificationRow>(
    q,
    sql`SELECT ${SELECT_COLUMNS}
        FROM notification_recipients r
        JOIN notifications n ON n.id = r.notification_id
        JOIN accounts a ON a.id = n.account_id
        WHERE r.user_id = ${userId} AND r.seq > ${afterSeq}
          AND r.account_id = ANY(${`{${accountIds.join(',')}}`}::bigint[])
        ORDER BY r.seq LIMIT ${limit}`,
  );
}

/**
 * The newest delivery number handed out: a fresh stream's cursor. Taken under the delivery lock, so
 * no producer still holds a smaller, uncommitted number that the stream would then skip.
 */
export async function latestSeq(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DELIVERY_LOCK_KEY})`);
    const [row] = await rows<{ seq: number }>(
      tx,
      sql`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS seq FROM notification_delivery_seq`,
    );
    return Number(row?.seq ?? 0);
  });
}

const selectionFilter = (selection: NotificationSelection): SQL =>
  'ids' in selection ? sql`AND notification_id = ANY(${`{${selection.ids.join(',')}}`}::bigint[])` : sql``;

/** Adds `delta` to the user's unread counter in the account (creating it), returns the new value. */
async function adjustUnread(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  delta: number,
): Promise<number> {
  const [row] = await rows<{ unread: number }>(
    q,
    sql`INSERT INTO notification_unread (user_id, account_id, unread) VALUES (${userId}, ${accountId}, ${Math.max(delta, 0)})
        ON CONFLICT (user_id, account_id) DO UPDATE SET unread = notification_unread.unread + ${delta}
        RETURNING unread`,
  );
  return Number(row!.unread);
}

/**
 * Marks the selection read or unread for one user. Only rows whose state actually changes count,
 * and the counter moves by exactly that many in the same transaction: concurrent marks of the same
 * row are counted once (the second UPDATE re-checks `read_at` after the first commits).
 */
export async function markRead(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  selection: NotificationSelection,
  read: boolean,
  now: Date,
): Promise<{ changed: number; unread: number }> {
  const [row] = await rows<{ changed: number }>(
    q,
    sql`WITH changed AS (
          UPDATE notification_recipients SET read_at = ${read ? now.toISOString() : null}::timestamptz
          WHERE user_id = ${userId} AND account_id = ${accountId}
            AND ${read ? sql`read_at IS NULL` : sql`read_at IS NOT NULL`} ${selectionFilter(selection)}
          RETURNING 1)
        SELECT count(*)::int AS changed FROM changed`,
  );
  const changed = Number(row?.changed ?? 0);
  const unread = await adjustUnread(q, accountId, userId, read ? -changed : changed);
  return { changed, unread };
}

/** Deletes the user's copies of the selection; other recipients keep theirs. */
export async function deleteForUser(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  selection: NotificationSelection,
): Promise<{ changed: number; unread: number }> {
  const [row] = await rows<{ changed: number; unread: number }>(
    q,
    sql`WITH gone AS (
          DELETE FROM notification_recipients
          WHERE user_id = ${userId} AND account_id = ${accountId} ${selectionFilter(selection)}
          RETURNING read_at IS NULL AS unread)
        SELECT count(*)::int AS changed, count(*) FILTER (WHERE unread)::int AS unread FROM gone`,
  );
  const unread = await adjustUnread(q, accountId, userId, -Number(row?.unread ?? 0));
  return { changed: Number(row?.changed ?? 0), unread };
}

export async function unreadIn(q: Queryable, accountId: AccountId, userId: number): Promise<number> {
  const [row] = await rows<{ unread: number }>(
    q,
    sql`SELECT unread FROM notification_unread WHERE user_id = ${userId} AND account_id = ${accountId}`,
  );
  return Number(row?.unread ?? 0);
}

/** The user's unread counters in every account that has one. */
export async function unreadByAccount(q: Queryable, userId: number): Promise<Map<number, number>> {
  const found = await rows<{ accountId: number; unread: number }>(
    q,
    sql`SELECT account_id AS "accountId", unread FROM notification_unread WHERE user_id = ${userId} AND unread > 0`,
  );
  return new Map(found.map((r) => [Number(r.accountId), Number(r.unread)]));
}

/** The language the user reads Herald in: their setting, English when they chose none. */
export async function readerLanguage(q: Queryable, userId: number): Promise<Language> {
  const [row] = await rows<{ language: string | null }>(
    q,
    sql`SELECT language FROM users WHERE id = ${userId}`,
  );
  return languageSchema.catch('en').parse(row?.language ?? 'en');
}
