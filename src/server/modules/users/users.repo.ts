import { and, eq, sql } from 'drizzle-orm';
import { memberships, users } from '../../db/schema.ts';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  const [user] = await q
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return user;
}

export async function findUserById(q: Queryable, id: number): Promise<UserRow | undefined> {
  const [user] = await q.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function insertUser(
  q: Queryable,
  user: { email: string; name: string; passwordHash: string; language?: 'en' | 'de' | null },
): Promise<UserRow> {
  const [row] = await q.insert(users).values(user).returning();
  return row!;
}

export async function updateUser(
  q: Queryable,
  id: number,
  patch: Partial<Pick<UserRow, 'name' | 'language' | 'emailSystemMessages' | 'passwordHash' | 'timeZone'>>,
  now: Date,
): Promise<UserRow | undefined> {
  const [row] = await q
    .update(users)
    .set({ ...patch, updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export interface MemberRow {
  userId: number;
  email: string;
  name: string;
  role: string;
  createdAt: Date | string;
}

/** Direct members of one account (run inside withTenant: memberships is under row-level security). */
export async function listMembers(q: Queryable, accountId: AccountId): Promise<MemberRow[]> {
  return rows<MemberRow>(
    q,
    sql`SELECT m.user_id AS "userId", u.email, u.name, m.role, m.created_at AS "createdAt"
        FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.account_id = ${accountId}
        ORDER BY lower(u.name), m.user_id`,
  );
}

export async function findMember(
  q: Queryable,
  accountId: AccountId,
  userId: number,
): Promise<MemberRow | undefined> {
  const [row] = await rows<MemberRow>(
    q,
    sql`SELECT m.user_id AS "userId", u.email, u.name, m.role, m.created_at AS "createdAt"
        FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.account_id = ${accountId} AND m.user_id = ${userId}`,
  );
  return row;
}

/** Adds or changes a membership; returns false when the user already had one and `replace` is false. */
export async function upsertMembership(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  role: string,
  replace: boolean,
): Promise<boolean> {
  const insert = q.insert(memberships).values({ accountId, userId, role });
  const result = replace
    ? await insert
        .onConflictDoUpdate({ target: [memberships.accountId, memberships.userId], set: { role } })
        .returning()
    : await insert.onConflictDoNothing().returning();
  return result.length > 0;
}

export async function deleteMembership(q: Queryable, accountId: AccountId, userId: number): Promise<boolean> {
  const result = await q
    .delete(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)))
    .returning();
  return result.length > 0;
}
