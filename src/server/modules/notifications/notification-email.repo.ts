import { sql } from 'drizzle-orm';
import { rows, type Db, type Queryable } from '../../db/types.ts';
import type { NotificationType, Severity } from '../../../shared/notifications.ts';

/** The delivery kind of notification emails (`deliveries.kind`). */
export const NOTIFICATION_EMAIL_KIND = 'notification_email';

/**
 * Adds an email delivery for every recipient of the notification who asked for this type and
 * severity. Set-based, straight into the outbox; the dedupe key (notification, user) makes a repeat
 * of a grouped notification not send a second email.
 */
export async function queueEmailCopies(
  q: Queryable,
  accountId: number,
  notificationId: number,
  type: NotificationType,
  severity: Severity,
  now: string,
): Promise<void> {
  await q.execute(sql`
    INSERT INTO deliveries (account_id, kind, subject, dedupe_key, created_at, due_at)
    SELECT ${accountId}, ${NOTIFICATION_EMAIL_KIND},
           jsonb_build_object('notificationId', ${notificationId}::bigint, 'userId', u.id),
           ${notificationId}::bigint || ':' || u.id, ${now}::timestamptz, now()
    FROM notification_recipients r JOIN users u ON u.id = r.user_id
    WHERE r.notification_id = ${notificationId} AND u.email_system_messages
      AND (coalesce(u.notification_email_modes ->> ${type}, 'all') = 'all'
           OR (u.notification_email_modes ->> ${type} = 'errors' AND ${severity} = 'error'))
    ORDER BY u.id
    ON CONFLICT (kind, dedupe_key) DO NOTHING`);
}

/** The notification as its recipient sees it now, with their address, language and time zone. */
export async function findEmailToCompose(
  db: Db,
  notificationId: number,
  userId: number,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await rows<Record<string, unknown>>(
    db,
    sql`SELECT u.id AS "userId", u.email AS "to", u.language, coalesce(u.time_zone, a.time_zone) AS "timeZone",
          n.id, n.account_id AS "accountId", a.name AS "accountName", n.type, n.severity, n.params,
          n.subject_kind AS "subjectKind", n.subject_id AS "subjectId", n.occurrences,
          n.first_at AS "firstAt", n.last_at AS "lastAt", false AS read, 0 AS seq
        FROM notifications n
        JOIN accounts a ON a.id = n.account_id
        JOIN users u ON u.id = ${userId}
        WHERE n.id = ${notificationId}`,
  );
  return row;
}

// The kind is written out (not a parameter) in the reads below, so the planner can match the
// partial indexes of the migration.

/** A user's system-message emails, newest first (the outbox page). */
export async function listOutbox(db: Db, userId: number, limit: number): Promise<Record<string, unknown>[]> {
  return rows<Record<string, unknown>>(
    db,
    sql`SELECT id, subject ->> 'notificationId' AS "notificationId", result, status, attempts,
          last_error AS "lastError", created_at AS "createdAt", finished_at AS "finishedAt"
        FROM deliveries
        WHERE kind = 'notification_email' AND (subject ->> 'userId')::bigint = ${userId}
        ORDER BY id DESC LIMIT ${limit}`,
  );
}

/** Deletes the emails of notifications that are being deleted (retention). */
export async function deleteEmailsOf(q: Queryable, notificationIds: string): Promise<void> {
  await q.execute(sql`
    DELETE FROM deliveries
    WHERE kind = 'notification_email' AND (subject ->> 'notificationId')::bigint = ANY(${notificationIds}::bigint[])`);
}
