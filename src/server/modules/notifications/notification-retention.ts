import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import { publish } from './notifier.repo.ts';
import { deleteEmailsOf } from './notification-email.repo.ts';

const BATCH = 5_000;

/**
 * Deletes notifications whose last occurrence is older than the retention age, in batches (each
 * its own transaction), with their recipients and emails. Unread counters go down by exactly the
 * unread copies removed. Returns how many notifications were deleted.
 */
export async function purgeOldNotifications(db: Db, clock: Clock, retentionDays: number): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - retentionDays * 86_400_000).toISOString();
  let total = 0;
  for (;;) {
    const deleted = await db.transaction(async (tx) => {
      const batch = await rows<{ id: number }>(
        tx,
        sql`SELECT id FROM notifications WHERE last_at < ${cutoff}::timestamptz ORDER BY last_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (batch.length === 0) return 0;
      const ids = `{${batch.map((b) => b.id).join(',')}}`;
      // Recipient rows first, then counter rows in key order: the order every writer uses (no deadlock).
      const lost = await rows<{ userId: number; accountId: number; n: number }>(
        tx,
        sql`WITH gone AS (
              DELETE FROM notification_recipients WHERE notification_id = ANY(${ids}::bigint[])
              RETURNING user_id, account_id, read_at IS NULL AS unread)
            SELECT user_id AS "userId", account_id AS "accountId", count(*)::int AS n FROM gone
            WHERE unread GROUP BY user_id, account_id ORDER BY user_id, account_id`,
      );
      if (lost.length > 0) {
        const users = `{${lost.map((l) => l.userId).join(',')}}`;
        const accounts = `{${lost.map((l) => l.accountId).join(',')}}`;
        const counts = `{${lost.map((l) => l.n).join(',')}}`;
        await tx.execute(sql`
          SELECT 1 FROM notification_unread u
          JOIN unnest(${users}::bigint[], ${accounts}::bigint[]) AS l(user_id, account_id)
            ON u.user_id = l.user_id AND u.account_id = l.account_id
          ORDER BY u.user_id, u.account_id FOR UPDATE OF u`);
        await tx.execute(sql`
          UPDATE notification_unread u SET unread = u.unread - l.n
          FROM unnest(${users}::bigint[], ${accounts}::bigint[], ${counts}::int[]) AS l(user_id, account_id, n)
          WHERE u.user_id = l.user_id AND u.account_id = l.account_id`);
        // Open badges show the lower counts at once.
        for (const userId of new Set(lost.map((l) => Number(l.userId)))) await publish(tx, { userId });
      }
      // Their emails are delivery rows (no foreign key to notifications): deleted with them.
      await deleteEmailsOf(tx, ids);
      await tx.execute(sql`DELETE FROM notifications WHERE id = ANY(${ids}::bigint[])`);
      return batch.length;
    });
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
