// The account tree below an account (any depth): the accounts it may distribute into and whose
// substitutes it manages. `accounts` holds no tenant data, so these reads run on the plain db.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import { AppError } from '../../errors.ts';

/** Deeper than any real tree: a guard against a cycle in the data, not a product limit. */
const MAX_DEPTH = 64;

/** `WITH RECURSIVE below (id, name, parent_id, depth)`: every account below `source` (depth 1 = a child). */
const below = (source: number): SQL => sql`WITH RECURSIVE below AS (
    SELECT id, name, parent_id, 1 AS depth FROM accounts WHERE parent_id = ${source}
    UNION ALL
    SELECT a.id, a.name, a.parent_id, below.depth + 1 FROM accounts a JOIN below ON a.parent_id = below.id
    WHERE below.depth < ${MAX_DEPTH})`;

/** A subquery of the ids of every descendant of `source` (for `x IN (…)`). */
export function descendantIdsSql(source: number): SQL {
  return sql`(${below(source)} SELECT id FROM below)`;
}

export interface DescendantRow {
  id: number;
  name: string;
  parentId: number;
  depth: number;
}

/** Every account below `source`, by name. */
export async function listDescendants(q: Queryable, source: number): Promise<DescendantRow[]> {
  const found = await rows<DescendantRow>(
    q,
    sql`${below(source)}
        SELECT id::int AS id, name, parent_id::int AS "parentId", depth FROM below ORDER BY lower(name), id`,
  );
  return found.map((r) => ({ ...r, id: Number(r.id), parentId: Number(r.parentId), depth: Number(r.depth) }));
}

/** Whether `target` lies below `source` (walks up from the target: one short path). */
export async function isDescendant(q: Queryable, source: number, target: number): Promise<boolean> {
  if (source === target) return false;
  const [row] = await rows<{ below: boolean }>(
    q,
    sql`WITH RECURSIVE up AS (
          SELECT id, parent_id, 0 AS depth FROM accounts WHERE id = ${target}
          UNION ALL
          SELECT a.id, a.parent_id, up.depth + 1 FROM accounts a JOIN up ON a.id = up.parent_id
          WHERE up.depth < ${MAX_DEPTH})
        SELECT EXISTS (SELECT 1 FROM up WHERE parent_id = ${source}) AS below`,
  );
  return Boolean(row?.below);
}

/**
 * 400 DISTRIBUTION_TARGET_INVALID (details.accountId, details.reason: self, not_descendant,
 * unknown) unless `targetId` is below `sourceId`; answers the target's name.
 */
export async function assertDescendant(q: Queryable, sourceId: number, targetId: number): Promise<string> {
  const [row] = await rows<{ name: string }>(q, sql`SELECT name FROM accounts WHERE id = ${targetId}`);
  const reason =
    targetId === sourceId
      ? 'self'
      : !row
        ? 'unknown'
        : !(await isDescendant(q, sourceId, targetId))
          ? 'not_descendant'
          : null;
  if (reason)
    throw new AppError('DISTRIBUTION_TARGET_INVALID', `Account ${targetId} is not below this account`, {
      accountId: String(targetId),
      reason,
    });
  return row!.name;
}
