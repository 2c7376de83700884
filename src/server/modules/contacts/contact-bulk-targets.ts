// Contact bulk actions that target a tag: found (and locked) when the tag is deleted, so that they
// fail once with the reason `target_deleted` (engine/failures.ts) instead of meeting a missing tag.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';

export interface TargetingAction {
  id: number;
  name: string;
  status: 'preparing' | 'queued' | 'in_progress' | 'paused';
  processed: number;
  total: number;
}

/**
 * Unfinished actions (queued, scheduled, paused or running) that add or remove `tagId`, locked
 * when `lock`: a running chunk holds its action's row, so the lock waits for it and then sees the
 * current status, and a queued action cannot start while the caller's transaction decides.
 */
export async function actionsTargetingTag(
  q: Queryable,
  accountId: AccountId,
  tagId: number,
  lock: boolean,
): Promise<TargetingAction[]> {
  const found = await rows<TargetingAction>(
    q,
    sql`SELECT id, name, status, processed, total FROM bulk_actions
        WHERE account_id = ${accountId} AND type IN ('add_tag', 'remove_tag') AND params ->> 'tagId' = ${String(tagId)}
          AND status IN ('preparing', 'queued', 'in_progress', 'paused')
        ORDER BY id${lock ? sql` FOR UPDATE` : sql``}`,
  );
  return found.map((r) => ({
    ...r,
    id: Number(r.id),
    processed: Number(r.processed),
    total: Number(r.total),
  }));
}
