// The accounts below a source account (any depth): the only accounts its substitutes may point into.
// `accounts` holds no tenant data, so these reads run on the plain db.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import { AppError } from '../../errors.ts';

/** A subquery of the ids of every descendant of `sourceId` (for `x IN (…)`). */
export function descendantIdsSql(sourceId: number): SQL {
  return sql`(WITH RECURSIVE d AS (
      SELECT id FROM accounts WHERE parent_id = ${sourceId}
      UNION ALL SELECT a.id FROM accounts a JOIN d ON a.parent_id = d.id)
    SELECT id FROM d)`;
}

/** Every descendant of `sourceId` with its name. */
export async function descendantsOf(q: Queryable, sourceId: number): Promise<{ id: number; name: string }[]> {
  const found = await rows<{ id: number; name: string }>(
    q,
    sql`SELECT id::int AS id, name FROM accounts WHERE id IN ${descendantIdsSql(sourceId)} ORDER BY lower(name), id`,
  );
  return found.map((r) => ({ id: Number(r.id), name: r.name }));
}

/**
 * 400 DISTRIBUTION_TARGET_INVALID (details.accountId, details.reason: self, not_descendant,
 * unknown) unless `targetId` is below `sourceId`; answers the target's name.
 */
export async function assertDescendant(q: Queryable, sourceId: number, targetId: number): Promise<string> {
  const [row] = await rows<{ name: string; below: boolean }>(
    q,
    sql`SELECT name, id IN ${descendantIdsSql(sourceId)} AS below FROM accounts WHERE id = ${targetId}`,
  );
  const reason = targetId === sourceId ? 'self' : !row ? 'unknown' : !row.below ? 'not_descendant' : null;
  if (reason)
    throw new AppError('DISTRIBUTION_TARGET_INVALID', `Account ${targetId} is not below this account`, {
      accountId: String(targetId),
      reason,
    });
  return row!.name;
}
