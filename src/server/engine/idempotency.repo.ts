import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/types.ts';
import type { AccountId } from '../db/tenant.ts';
import type { BulkAction } from '../../shared/bulk-actions.ts';

const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A stored Idempotency-Key: the request it was first used with, and the answer once there is one. */
export interface IdempotencyKeyRow {
  requestHash: string;
  statusCode: number | null;
  response: BulkAction | null;
  createdAt: string;
}

/**
 * Claims `key` for this user and account: true when this call inserted it (the caller does the
 * work), false when it exists. A key older than `expiredBefore`, or claimed but never answered
 * since `staleBefore` (its request died), is replaced.
 */
export async function claimIdempotencyKey(
  q: Queryable,
  k: { accountId: AccountId; userId: number; key: string; requestHash: string; now: Date },
  expiredBefore: Date,
  staleBefore: Date,
): Promise<boolean> {
  await q.execute(
    sql`DELETE FROM bulk_idempotency_keys
        WHERE account_id = ${k.accountId} AND user_id = ${k.userId} AND key = ${k.key}
          AND (created_at < ${expiredBefore.toISOString()}::timestamptz
               OR (response IS NULL AND created_at < ${staleBefore.toISOString()}::timestamptz))`,
  );
  const inserted = await rows<{ key: string }>(
    q,
    sql`INSERT INTO bulk_idempotency_keys (account_id, user_id, key, request_hash, created_at)
        VALUES (${k.accountId}, ${k.userId}, ${k.key}, ${k.requestHash}, ${k.now.toISOString()}::timestamptz)
        ON CONFLICT DO NOTHING RETURNING key`,
  );
  return inserted.length > 0;
}

export async function findIdempotencyKey(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  key: string,
): Promise<IdempotencyKeyRow | undefined> {
  const [row] = await rows<IdempotencyKeyRow>(
    q,
    sql`SELECT request_hash AS "requestHash", status_code AS "statusCode", response, ${iso(sql`created_at`)} AS "createdAt"
        FROM bulk_idempotency_keys WHERE account_id = ${accountId} AND user_id = ${userId} AND key = ${key}`,
  );
  return row;
}

export async function answerIdempotencyKey(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  key: string,
  /** `actionId`: the action the answer created (null for a create that made none, e.g. a scheduled mailing). */
  answer: { actionId: number | null; statusCode: number; response: unknown },
): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_idempotency_keys SET action_id = ${answer.actionId}, status_code = ${answer.statusCode},
          response = ${JSON.stringify(answer.response)}::jsonb
        WHERE account_id = ${accountId} AND user_id = ${userId} AND key = ${key}`,
  );
}

/** Forgets a claimed key whose request failed, so that the same key may be tried again. */
export async function releaseIdempotencyKey(
  q: Queryable,
  accountId: AccountId,
  userId: number,
  key: string,
): Promise<void> {
  await q.execute(
    sql`DELETE FROM bulk_idempotency_keys
        WHERE account_id = ${accountId} AND user_id = ${userId} AND key = ${key} AND response IS NULL`,
  );
}

export async function deleteKeysBefore(q: Queryable, before: Date): Promise<void> {
  await q.execute(
    sql`DELETE FROM bulk_idempotency_keys WHERE created_at < ${before.toISOString()}::timestamptz`,
  );
}
