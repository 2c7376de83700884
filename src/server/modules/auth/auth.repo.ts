import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { apiTokens, loginFailures, sessions } from '../../db/schema.ts';
import type { Queryable, Tx } from '../../db/types.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertSession(q: Queryable, session: SessionRow): Promise<void> {
  await q.insert(sessions).values(session);
}

export async function findSession(q: Queryable, id: string): Promise<SessionRow | undefined> {
  const [row] = await q.select().from(sessions).where(eq(sessions.id, id)).limit(1);
  return row;
}

export async function touchSession(
  q: Queryable,
  id: string,
  lastSeenAt: Date,
  expiresAt: Date,
): Promise<void> {
  await q.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.id, id));
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  await q.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session of a user except one (after a password change). */
export async function deleteOtherSessions(
  q: Queryable,
  userId: number,
  keepId: string | null,
): Promise<void> {
  await q
    .delete(sessions)
    .where(
      keepId
        ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${keepId}`)
        : eq(sessions.userId, userId),
    );
}

/** Revokes every active API token of a user (after a password change); answers how many. */
export async function revokeAllApiTokens(q: Queryable, userId: number, now: Date): Promise<number> {
  const revoked = await q
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return revoked.length;
}

export async function purgeExpired(q: Queryable, now: Date, loginWindowStart: Date): Promise<number> {
  const gone = await q.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  await q.delete(loginFailures).where(lt(loginFailures.failedAt, loginWindowStart));
  return gone.length;
}

export async function insertApiToken(
  q: Queryable,
  token: Pick<ApiTokenRow, 'userId' | 'name' | 'tokenHash' | 'createdAt' | 'expiresAt'>,
): Promise<ApiTokenRow> {
  const [row] = await q.insert(apiTokens).values(token).returning();
  return row!;
}

/** A token usable now: not revoked, not expired. */
export async function findActiveApiToken(
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<ApiTokenRow | undefined> {
  const [row] = await q
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    )
    .limit(1);
  return row;
}

export async function markApiTokenUsed(q: Queryable, id: number, now: Date): Promise<void> {
  await q.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
}

export async function listApiTokens(q: Queryable, userId: number): Promise<ApiTokenRow[]> {
  return q
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

export async function revokeApiToken(q: Queryable, userId: number, id: number, now: Date): Promise<boolean> {
  const result = await q
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return result.length > 0;
}

// Login throttling locks live in the two-key advisory space under this class id (the one-key
// space holds the migration and notification locks), one lock per email and one per client IP.
const LOGIN_LOCK_CLASS = 0x4c47; // 'LG'

async function countRecentFailures(
  q: Queryable,
  email: string,
  ip: string,
  since: Date,
): Promise<{ byEmail: number; byIp: number }> {
  const [row] = await q
    .select({
      byEmail: sql<number>`count(*) FILTER (WHERE ${loginFailures.email} = ${email})`.mapWith(Number),
      byIp: sql<number>`count(*) FILTER (WHERE ${loginFailures.ip} = ${ip})`.mapWith(Number),
    })
    .from(loginFailures)
    .where(
      and(gt(loginFailures.failedAt, since), or(eq(loginFailures.email, email), eq(loginFailures.ip, ip))),
    );
  return { byEmail: row?.byEmail ?? 0, byIp: row?.byIp ?? 0 };
}

/**
 * Takes one login attempt for an email and a client IP, if both are under their limits since
 * `since`: records it as a failure up front and answers true, or answers false (limit reached).
 * Checking and counting happen under transaction-scoped advisory locks on the email and on the IP,
 * so parallel attempts queue and at most `maxByEmail` passwords are ever checked per window.
 * Locks are always taken email first, then IP, so two attempts never wait on each other in a cycle.
 */
export async function reserveLoginAttempt(
  tx: Tx,
  attempt: { email: string; ip: string; at: Date; since: Date; maxByEmail: number; maxByIp: number },
): Promise<boolean> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(${LOGIN_LOCK_CLASS}, hashtext(${`email:${attempt.email}`}))`,
  );
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOGIN_LOCK_CLASS}, hashtext(${`ip:${attempt.ip}`}))`);
  const failures = await countRecentFailures(tx, attempt.email, attempt.ip, attempt.since);
  if (failures.byEmail >= attempt.maxByEmail || failures.byIp >= attempt.maxByIp) return false;
  await tx.insert(loginFailures).values({ email: attempt.email, ip: attempt.ip, failedAt: attempt.at });
  return true;
}

export async function clearFailures(q: Queryable, email: string): Promise<void> {
  await q.delete(loginFailures).where(eq(loginFailures.email, email));
}

export async function isApiTokenActive(q: Queryable, id: number, now: Date): Promise<boolean> {
  const [row] = await q
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.id, id),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    )
    .limit(1);
  return Boolean(row);
}
