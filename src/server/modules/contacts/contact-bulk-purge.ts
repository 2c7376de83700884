import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import { rows, type Db } from '../../db/types.ts';
import { notifyBulkChange } from '../../engine/events.ts';
import { forgetLabels } from '../../engine/outcomes.repo.ts';

const PURGE_BATCH = 2_000;

/**
 * Deletes for good the contacts of delete jobs whose 60-day restore window has passed, in batches,
 * and drops what restore would have needed (the recorded tags and lists, the emails in the error
 * log): after this the personal data is gone and Restore is no longer offered.
 */
export async function purgeExpiredDeletes(db: Db, clock: Clock): Promise<number> {
  const now = clock.now().toISOString();
  const due = await rows<{ id: number; accountId: number }>(
    db,
    sql`SELECT id, account_id AS "accountId" FROM bulk_actions
        WHERE type = 'delete_contacts' AND purged_at IS NULL AND restorable_until IS NOT NULL
          AND restorable_until <= ${now}::timestamptz AND status IN ('completed', 'cancelled')
        ORDER BY id`,
  );
  let purged = 0;
  for (const { id, accountId } of due) {
    for (;;) {
      const gone = await rows<{ n: number }>(
        db,
        sql`WITH batch AS (
              SELECT d.contact_id FROM bulk_deleted_contacts d WHERE d.action_id = ${id} ORDER BY d.contact_id LIMIT ${PURGE_BATCH}),
            removed AS (
              DELETE FROM contacts c USING batch WHERE c.id = batch.contact_id AND c.deleted_at IS NOT NULL RETURNING c.id),
            forgotten AS (
              DELETE FROM bulk_deleted_contacts d USING batch WHERE d.action_id = ${id} AND d.contact_id = batch.contact_id RETURNING 1)
            SELECT (SELECT count(*) FROM removed)::int AS n, (SELECT count(*) FROM forgotten)::int AS f`,
      );
      purged += gone[0]?.n ?? 0;
      const [left] = await rows<{ any: boolean }>(
        db,
        sql`SELECT EXISTS (SELECT 1 FROM bulk_deleted_contacts WHERE action_id = ${id}) AS any`,
      );
      if (!left?.any) break;
      await new Promise((r) => setImmediate(r));
    }
    await forgetLabels(db, id);
    await db.execute(
      sql`UPDATE bulk_actions SET purged_at = ${now}::timestamptz, updated_at = ${now}::timestamptz WHERE id = ${id}`,
    );
    await notifyBulkChange(db, accountId, id);
  }
  return purged;
}
