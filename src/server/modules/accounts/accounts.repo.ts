import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';

export interface AccountRow {
  id: number;
  name: string;
  kind: 'agency' | 'sub_account';
  parentId: number | null;
  createdAt: Date | string;
  timeZone: string;
}

export interface ReachableAccount extends AccountRow {
  role: string;
}

/**
 * Every account a user can act in, with the role that applies there: a direct membership, or else
 * the nearest ancestor's (an agency role reaches the agency's sub-accounts).
 */
export async function listReachableAccounts(q: Queryable, userId: number): Promise<ReachableAccount[]> {
  return rows<ReachableAccount>(
    q,
    sql`WITH RECURSIVE reach AS (
          SELECT m.account_id AS id, m.role, 0 AS depth FROM memberships m WHERE m.user_id = ${userId}
          UNION ALL
          SELECT c.id, r.role, r.depth + 1 FROM accounts c JOIN reach r ON c.parent_id = r.id
        ),
        nearest AS (SELECT DISTINCT ON (id) id, role FROM reach ORDER BY id, depth)
        SELECT a.id, a.name, a.kind, a.parent_id AS "parentId", a.created_at AS "createdAt", a.time_zone AS "timeZone", n.role
        FROM nearest n JOIN accounts a ON a.id = n.id
        ORDER BY coalesce(a.parent_id, a.id), a.parent_id IS NOT NULL, a.name, a.id`,
  );
}

/** The role a user holds in one account (direct or inherited), or null when they have no access. */
export async function findEffectiveRole(
  q: Queryable,
  userId: number,
  accountId: AccountId,
): Promise<string | null> {
  const found = await rows<{ role: string }>(
    q,
    sql`WITH RECURSIVE chain AS (
          SELECT id, parent_id, 0 AS depth FROM accounts WHERE id = ${accountId}
          UNION ALL
          SELECT a.id, a.parent_id, c.depth + 1 FROM accounts a JOIN chain c ON a.id = c.parent_id
        )
        SELECT m.role FROM chain c JOIN memberships m ON m.account_id = c.id AND m.user_id = ${userId}
        ORDER BY c.depth LIMIT 1`,
  );
  return found[0]?.role ?? null;
}

/** The account's IANA time zone, in which its calendar days are read. */
export async function findTimeZone(q: Queryable, accountId: AccountId): Promise<string> {
  const [row] = await rows<{ timeZone: string }>(
    q,
    sql`SELECT time_zone AS "timeZone" FROM accounts WHERE id = ${accountId}`,
  );
  if (!row) throw new AppError('NOT_FOUND', 'Account not found');
  return row.timeZone;
}

/** Sets the account's time zone (an IANA name the database knows; see `isKnownTimeZone`). */
export async function updateTimeZone(q: Queryable, accountId: AccountId, timeZone: string): Promise<void> {
  await q.execute(sql`UPDATE accounts SET time_zone = ${timeZone} WHERE id = ${accountId}`);
}

/** Whether the database can compute with this zone name (its zone list may differ from the runtime's). */
export async function isKnownTimeZone(q: Queryable, name: string): Promise<boolean> {
  const [row] = await rows<{ known: boolean }>(
    q,
    sql`SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ${name}) AS known`,
  );
  return row?.known === true;
}

export async function insertAccount(
  q: Queryable,
  account: { name: string; kind: 'agency' | 'sub_account'; parentId: number | null },
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO accounts (name, kind, parent_id) VALUES (${account.name}, ${account.kind}, ${account.parentId})
        RETURNING id`,
  );
  return row!.id;
}

export async function countAccounts(q: Queryable): Promise<number> {
  const [row] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM accounts`);
  return row?.n ?? 0;
}
