import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import { ROLES } from '../../../shared/rights.ts';
import {
  notificationParamSchemas,
  severityOf,
  subjectSchema,
  type NotificationEvent,
} from '../../../shared/notifications.ts';
import { AppError } from '../../errors.ts';

/** Channel of every notification change; payloads carry ids only (see notification-hub.ts). */
export const NOTIFICATION_CHANNEL = 'herald_notifications';

// Held until commit by every transaction that hands out delivery numbers, so they become visible in
// order and a stream's cursor never skips one (see the migration). Notifications are rare account
// events, so one lock for all of them costs nothing measurable.
export const DELIVERY_LOCK_KEY = 7_244_130_005;

/** Roles whose holders receive notifications: derived from the rights table, never listed twice. */
const RECIPIENT_ROLES = `{${Object.entries(ROLES)
  .filter(([, rights]) => (rights as readonly string[]).includes('notifications.view'))
  .map(([role]) => role)
  .join(',')}}`;

/**
 * `accountId`: new deliveries there; `userId`: that user's read state changed; `reconnected`: the
 * LISTEN connection was re-established, messages may have been missed, every stream re-reads.
 */
export type HubMessage = { accountId: number } | { userId: number } | { reconnected: true };

/** Tells every process's streams that something changed (delivered on commit when `q` is a transaction). */
export async function publish(q: Queryable, message: HubMessage): Promise<void> {
  await q.execute(sql`SELECT pg_notify(${NOTIFICATION_CHANNEL}, ${JSON.stringify(message)})`);
}

export interface NotifyResult {
  notificationId: number;
  /** False when the event was folded into an earlier one with the same grouping key. */
  created: boolean;
  recipients: number;
}

/**
 * Producers' one entry point: `notify(tx, accountId, event)` inside the producer's own transaction,
 * so the notification exists exactly when its cause committed. Call it last in the transaction: it
 * takes the delivery lock, which is held until commit.
 */
export class Notifier {
  constructor(
    private readonly clock: Clock,
    private readonly groupWindowMs: number,
  ) {}

  async notify(q: Queryable, accountId: number, event: NotificationEvent): Promise<NotifyResult> {
    const params = notificationParamSchemas[event.type].safeParse(event.params);
    if (!params.success) {
      // A producer bug, not user input: fail the producer's transaction loudly.
      throw new AppError('INTERNAL', `Invalid parameters for notification '${event.type}'`, {
        issues: params.error.issues,
      });
    }
    const subject = subjectSchema.parse(event.subject);
    const severity = severityOf(event);
    const now = this.clock.now().toISOString();
    await q.execute(sql`SELECT pg_advisory_xact_lock(${DELIVERY_LOCK_KEY})`);

    const grouped = event.groupKey ? await this.findGroup(q, accountId, event, now) : null;
    let notificationId: number;
    if (grouped) {
      notificationId = grouped;
      await q.execute(sql`
        UPDATE notifications SET occurrences = occurrences + 1, last_at = ${now}::timestamptz,
          params = ${JSON.stringify(params.data)}::jsonb, severity = ${severity},
          subject_kind = ${subject.kind}, subject_id = ${subject.id}
        WHERE id = ${notificationId}`);
    } else {
      const [row] = await rows<{ id: number }>(
        q,
        sql`INSERT INTO notifications (account_id, type, severity, params, subject_kind, subject_id, group_key, first_at, last_at)
            VALUES (${accountId}, ${event.type}, ${severity}, ${JSON.stringify(params.data)}::jsonb, ${subject.kind},
                    ${subject.id}, ${event.groupKey ?? null}, ${now}::timestamptz, ${now}::timestamptz)
            RETURNING id`,
      );
      notificationId = Number(row!.id);
    }

    const recipients = await this.deliver(q, accountId, notificationId, now, grouped !== null);
    // Email copies for recipients who asked for this type and severity; the unique key makes a
    // repeat of a grouped notification not send a second email.
    await q.execute(sql`
      INSERT INTO notification_emails (notification_id, user_id, account_id, created_at)
      SELECT ${notificationId}, u.id, ${accountId}, ${now}::timestamptz
      FROM notification_recipients r JOIN users u ON u.id = r.user_id
      WHERE r.notification_id = ${notificationId} AND u.email_system_messages
        AND (coalesce(u.notification_email_modes ->> ${event.type}, 'all') = 'all'
             OR (u.notification_email_modes ->> ${event.type} = 'errors' AND ${severity} = 'error'))
      ON CONFLICT (notification_id, user_id) DO NOTHING`);
    await publish(q, { accountId });
    return { notificationId, created: grouped === null, recipients };
  }

  /** The open group for this key: same account, type and key, first seen within the window. */
  private async findGroup(
    q: Queryable,
    accountId: number,
    event: NotificationEvent,
    now: string,
  ): Promise<number | null> {
    const since = new Date(Date.parse(now) - this.groupWindowMs).toISOString();
    const [row] = await rows<{ id: number }>(
      q,
      sql`SELECT id FROM notifications
          WHERE account_id = ${accountId} AND type = ${event.type} AND group_key = ${event.groupKey ?? null}
            AND first_at >= ${since}::timestamptz
          ORDER BY first_at DESC LIMIT 1 FOR UPDATE`,
    );
    return row ? Number(row.id) : null;
  }

  /**
   * Gives the notification to everyone who holds notifications.view in the account now, and counts
   * it as unread for them. A repeat brings it back as unread for those who read or deleted it.
   */
  private async deliver(
    q: Queryable,
    accountId: number,
    notificationId: number,
    now: string,
    repeat: boolean,
  ): Promise<number> {
    // Lock existing copies first, so a concurrent "mark read" cannot slip between reading their
    // state and changing it (the counter would drift).
    const alreadyUnread = new Set<number>();
    if (repeat) {
      const existing = await rows<{ userId: number; unread: boolean }>(
        q,
        sql`SELECT user_id AS "userId", read_at IS NULL AS unread FROM notification_recipients
            WHERE notification_id = ${notificationId} ORDER BY user_id FOR UPDATE`,
      );
      for (const e of existing) if (e.unread) alreadyUnread.add(Number(e.userId));
    }
    const delivered = await rows<{ userId: number }>(
      q,
      sql`INSERT INTO notification_recipients (user_id, notification_id, account_id, seq, delivered_at)
          SELECT r.user_id, ${notificationId}, ${accountId}, nextval('notification_delivery_seq'), ${now}::timestamptz
          FROM (SELECT user_id FROM herald_notification_recipients(${accountId}, ${RECIPIENT_ROLES}::text[]) ORDER BY user_id) r
          ON CONFLICT (notification_id, user_id)
            DO UPDATE SET seq = EXCLUDED.seq, delivered_at = EXCLUDED.delivered_at, read_at = NULL
          RETURNING user_id AS "userId"`,
    );
    const newlyUnread = delivered.map((d) => Number(d.userId)).filter((id) => !alreadyUnread.has(id));
    if (newlyUnread.length > 0) {
      // Sorted, so concurrent fan-outs lock counter rows in the same order (no deadlock).
      newlyUnread.sort((a, b) => a - b);
      await q.execute(sql`
        INSERT INTO notification_unread (user_id, account_id, unread)
        SELECT u, ${accountId}, 1 FROM unnest(${`{${newlyUnread.join(',')}}`}::bigint[]) AS u
        ON CONFLICT (user_id, account_id) DO UPDATE SET unread = notification_unread.unread + 1`);
    }
    return delivered.length;
  }
}
