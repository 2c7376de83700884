import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { accountZone, dayRange } from '../../db/zoned-days.ts';
import type {
  BulkAction,
  BulkDisplayStatus,
  BulkParams,
  BulkStatus,
  BulkType,
  DerivingControl,
  ListBulkActionsQuery,
} from '../../../shared/bulk-actions.ts';

/** A bulk action row as the engine reads it (timestamps as ISO text). */
export interface BulkActionRow {
  id: number;
  accountId: number;
  type: BulkType;
  name: string;
  status: BulkStatus;
  params: BulkParams;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  scheduledFor: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  cursor: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  frozen: boolean;
  error: string | null;
  sourceActionId: number | null;
  /** How this action was derived from its source: restore, retry_failed, undo (null: from a selection). */
  derivedAs: DerivingControl | null;
  restorableUntil: string | null;
  purgedAt: string | null;
  leaseOwner: string | null;
}

const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SELECT = sql`SELECT b.id, b.account_id AS "accountId", b.type, b.name, b.status, b.params, b.created_by AS "createdBy",
    u.name AS "createdByName", ${iso(sql`b.created_at`)} AS "createdAt", ${iso(sql`b.scheduled_for`)} AS "scheduledFor",
    ${iso(sql`b.started_at`)} AS "startedAt", ${iso(sql`b.finished_at`)} AS "finishedAt", b.total, b.cursor, b.processed,
    b.succeeded, b.failed, b.skipped, b.frozen, b.error, b.source_action_id AS "sourceActionId",
    b.derived_as AS "derivedAs",
    ${iso(sql`b.restorable_until`)} AS "restorableUntil", ${iso(sql`b.purged_at`)} AS "purgedAt", b.lease_owner AS "leaseOwner"
  FROM bulk_actions b LEFT JOIN users u ON u.id = b.created_by`;

export async function insertAction(
  q: Queryable,
  a: {
    accountId: AccountId;
    type: BulkType;
    name: string;
    params: BulkParams;
    createdBy: number | null;
    now: Date;
    scheduledFor: Date | null;
    sourceActionId: number | null;
    derivedAs: DerivingControl | null;
  },
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO bulk_actions (account_id, type, name, status, params, created_by, created_at, updated_at, scheduled_for, source_action_id, derived_as)
        VALUES (${a.accountId}, ${a.type}, ${a.name}, 'queued', ${JSON.stringify(a.params)}::jsonb, ${a.createdBy},
                ${a.now.toISOString()}::timestamptz, ${a.now.toISOString()}::timestamptz,
                ${a.scheduledFor?.toISOString() ?? null}::timestamptz, ${a.sourceActionId}, ${a.derivedAs})
        RETURNING id`,
  );
  return Number(row!.id);
}

export async function findAction(
  q: Queryable,
  accountId: AccountId,
  id: number,
  lock = false,
): Promise<BulkActionRow | undefined> {
  const [row] = await rows<BulkActionRow>(
    q,
    sql`${SELECT} WHERE b.account_id = ${accountId} AND b.id = ${id}${lock ? sql` FOR UPDATE OF b` : sql``}`,
  );
  return row ? normalise(row) : undefined;
}

/** Finds an action by id alone: for the worker, which learns the account from the row. */
export async function findActionAnyAccount(q: Queryable, id: number): Promise<BulkActionRow | undefined> {
  const [row] = await rows<BulkActionRow>(q, sql`${SELECT} WHERE b.id = ${id}`);
  return row ? normalise(row) : undefined;
}

function normalise(row: BulkActionRow): BulkActionRow {
  return {
    ...row,
    id: Number(row.id),
    accountId: Number(row.accountId),
    sourceActionId: row.sourceActionId === null ? null : Number(row.sourceActionId),
  };
}

/** The filter for shown states: "completed" splits by the failed counter (see `displayStatus`). */
function statusCondition(shown: readonly BulkDisplayStatus[]): SQL {
  const stored = shown.filter((s): s is BulkStatus => s !== 'completed' && s !== 'completed_with_errors');
  const any: SQL[] = [];
  if (stored.length) any.push(sql`b.status = ANY(${`{${stored.join(',')}}`}::text[])`);
  if (shown.includes('completed')) any.push(sql`(b.status = 'completed' AND b.failed = 0)`);
  if (shown.includes('completed_with_errors')) any.push(sql`(b.status = 'completed' AND b.failed > 0)`);
  return sql`(${sql.join(any, sql` OR `)})`;
}

export async function listActions(
  q: Queryable,
  accountId: AccountId,
  query: ListBulkActionsQuery,
  after: { createdAt: string; id: number } | null,
): Promise<BulkActionRow[]> {
  const where: SQL[] = [sql`b.account_id = ${accountId}`];
  if (query.status?.length) where.push(statusCondition(query.status));
  if (query.type?.length) where.push(sql`b.type = ANY(${`{${query.type.join(',')}}`}::text[])`);
  if (query.createdBy) where.push(sql`b.created_by = ${Number(query.createdBy)}`);
  where.push(...dayRange(sql`b.created_at`, query, accountZone(accountId)));
  if (after) where.push(sql`(b.created_at, b.id) < (${after.createdAt}::timestamptz, ${after.id})`);
  const found = await rows<BulkActionRow>(
    q,
    sql`${SELECT} WHERE ${sql.join(where, sql` AND `)} ORDER BY b.created_at DESC, b.id DESC LIMIT ${query.limit + 1}`,
  );
  return found.map(normalise);
}

/**
 * Writes one batch of the frozen snapshot: the (id, key) rows `source` yields, numbered on from
 * `offset` in key order. Returns how many were written and the last key (where the next batch starts).
 */
export async function freezeBatch(
  q: Queryable,
  actionId: number,
  accountId: AccountId,
  source: SQL,
  offset: number,
): Promise<{ n: number; last: number | null }> {
  const [row] = await rows<{ n: number; last: number | null }>(
    q,
    sql`WITH batch AS (${source}),
        ins AS (
          INSERT INTO bulk_action_items (action_id, seq, account_id, contact_id)
          SELECT ${actionId}, ${offset} + row_number() OVER (ORDER BY key), ${accountId}, id FROM batch
          RETURNING contact_id)
        SELECT (SELECT count(*) FROM ins)::int AS n, (SELECT max(key) FROM batch) AS last`,
  );
  return { n: row?.n ?? 0, last: row?.last === null || row?.last === undefined ? null : Number(row.last) };
}

export async function markFrozen(
  q: Queryable,
  actionId: number,
  total: number,
  name: string,
  now: Date,
): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_actions SET frozen = true, total = ${total}, name = ${name}, updated_at = ${now.toISOString()}::timestamptz,
          status = CASE WHEN ${total} = 0 THEN 'completed' ELSE status END,
          finished_at = CASE WHEN ${total} = 0 THEN ${now.toISOString()}::timestamptz ELSE finished_at END
        WHERE id = ${actionId}`,
  );
}

export async function setStatus(
  q: Queryable,
  actionId: number,
  status: BulkStatus,
  now: Date,
  extra: { finished?: boolean; error?: string | null; scheduledFor?: Date | null } = {},
): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_actions SET status = ${status}, updated_at = ${now.toISOString()}::timestamptz
        ${extra.finished ? sql`, finished_at = ${now.toISOString()}::timestamptz, lease_owner = NULL, lease_until = NULL` : sql``}
        ${extra.error !== undefined ? sql`, error = ${extra.error}` : sql``}
        ${extra.scheduledFor !== undefined ? sql`, scheduled_for = ${extra.scheduledFor?.toISOString() ?? null}::timestamptz` : sql``}
        WHERE id = ${actionId}`,
  );
}

export async function rename(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
  name: string,
): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_actions SET name = ${name} WHERE account_id = ${accountId} AND id = ${actionId}`,
  );
}

export async function insertAudit(
  q: Queryable,
  entry: {
    actionId: number;
    accountId: AccountId;
    userId: number | null;
    event: string;
    details?: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await q.execute(
    sql`INSERT INTO bulk_action_audit (action_id, account_id, user_id, event, details, at)
        VALUES (${entry.actionId}, ${entry.accountId}, ${entry.userId}, ${entry.event}, ${JSON.stringify(entry.details ?? {})}::jsonb, ${entry.at.toISOString()}::timestamptz)`,
  );
}

export async function listAudit(q: Queryable, accountId: AccountId, actionId: number) {
  return rows<{
    at: string;
    event: string;
    userId: number | null;
    userName: string | null;
    details: Record<string, unknown>;
  }>(
    q,
    sql`SELECT ${iso(sql`a.at`)} AS at, a.event, a.user_id AS "userId", u.name AS "userName", a.details
        FROM bulk_action_audit a LEFT JOIN users u ON u.id = a.user_id
        WHERE a.account_id = ${accountId} AND a.action_id = ${actionId} ORDER BY a.id`,
  );
}

export async function reasonCounts(q: Queryable, accountId: AccountId, actionId: number) {
  return rows<{ outcome: 'failed' | 'skipped'; reason: string; count: number }>(
    q,
    sql`SELECT outcome, reason, count(*)::int AS count FROM bulk_action_outcomes
        WHERE account_id = ${accountId} AND action_id = ${actionId} GROUP BY outcome, reason ORDER BY count(*) DESC, reason`,
  );
}

/** One page of the error log in contact order (keyset), for streaming the CSV. */
export async function outcomesPage(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
  afterContact: number,
  limit: number,
) {
  return rows<{ contactId: number; outcome: string; reason: string; label: string | null }>(
    q,
    sql`SELECT contact_id AS "contactId", outcome, reason, label FROM bulk_action_outcomes
        WHERE account_id = ${accountId} AND action_id = ${actionId} AND contact_id > ${afterContact}
        ORDER BY contact_id LIMIT ${limit}`,
  );
}

export async function countDeletedRecords(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
): Promise<number> {
  const [row] = await rows<{ n: number }>(
    q,
    sql`SELECT count(*)::int AS n FROM bulk_deleted_contacts d JOIN contacts c ON c.id = d.contact_id
        WHERE d.account_id = ${accountId} AND d.action_id = ${actionId} AND c.deleted_at IS NOT NULL`,
  );
  return row?.n ?? 0;
}

/** The action derived as `derivedAs` from `sourceId` that is still in flight (queued, running or paused). */
export async function findInFlightChild(
  q: Queryable,
  accountId: AccountId,
  sourceId: number,
  derivedAs: DerivingControl,
): Promise<number | null> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`SELECT id FROM bulk_actions WHERE account_id = ${accountId} AND source_action_id = ${sourceId}
          AND derived_as = ${derivedAs} AND status IN ('queued', 'in_progress', 'paused')
        ORDER BY id LIMIT 1`,
  );
  return row ? Number(row.id) : null;
}

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
  answer: { actionId: number; statusCode: number; response: BulkAction },
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
