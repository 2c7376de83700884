import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { apiTokens, loginFailures, sessions } from '../../db/schema.ts';
import type { Queryable } from '../../db/types.ts';

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

export async function countRecentFailures(
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

export async function recordFailure(q: Queryable, email: string, ip: string, at: Date): Promise<void> {
  await q.insert(loginFailures).values({ email, ip, failedAt: at });
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
