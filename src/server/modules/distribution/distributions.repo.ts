// SQL of distributions and their target rows. Source-side reads run in the source's tenant
// transaction (RLS: distributions belong to the source; target rows to source and target).
import { sql, type SQL } from 'drizzle-orm';
import { isoTime, rows, type Queryable } from '../../db/types.ts';
import type {
  DistributableKind,
  DistributionCounts,
  DistributionOperation,
  DistributionReason,
  TargetDetail,
  TargetStatus,
} from '../../../shared/distribution.ts';
import type { Snapshot } from './snapshot.ts';
import type { OnModified } from './resolver.ts';

export interface DistributionRow {
  id: number;
  accountId: number;
  operation: DistributionOperation;
  elementKind: DistributableKind;
  elementId: string;
  elementName: string;
  elementVersion: number;
  snapshot: Snapshot | null;
  status: 'running' | 'completed' | 'cancelled';
  retryOf: string | null;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: DistributionCounts;
}

const COUNT_STATUSES: TargetStatus[] = [
  'pending',
  'created',
  'updated',
  'unchanged',
  'skipped',
  'activated',
  'deactivated',
  'failed',
];

const COLUMNS = sql`d.id::int AS id, d.account_id::int AS "accountId", d.operation, d.element_kind AS "elementKind",
  d.element_id::text AS "elementId", d.element_name AS "elementName", d.element_version AS "elementVersion",
  d.status, d.retry_of::text AS "retryOf", d.created_by::int AS "createdBy",
  (SELECT u.name FROM users u WHERE u.id = d.created_by) AS "createdByName",
  d.created_at AS "createdAt", d.started_at AS "startedAt", d.finished_at AS "finishedAt", d.total,
  c.counts`;

/** Counts of a distribution's targets by status, as one jsonb object. */
const COUNTS = sql`LEFT JOIN LATERAL (SELECT jsonb_object_agg(x.status, x.n) AS counts FROM
  (SELECT t.status, count(*)::int AS n FROM distribution_targets t WHERE t.distribution_id = d.id GROUP BY t.status) x) c ON true`;

type RawRow = Omit<DistributionRow, 'counts' | 'createdAt' | 'startedAt' | 'finishedAt' | 'snapshot'> & {
  createdAt: Date | string;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
  total: number;
  counts: Record<string, number> | string | null;
  snapshot?: Snapshot | string | null;
};

function fromRaw(r: RawRow): DistributionRow {
  const raw: Record<string, number> =
    (typeof r.counts === 'string' ? (JSON.parse(r.counts) as Record<string, number>) : r.counts) ?? {};
  const counts = { total: Number(r.total) } as DistributionCounts;
  for (const s of COUNT_STATUSES) counts[s] = Number(raw[s] ?? 0);
  const snapshot =
    typeof r.snapshot === 'string' ? (JSON.parse(r.snapshot) as Snapshot) : (r.snapshot ?? null);
  return {
    ...r,
    id: Number(r.id),
    accountId: Number(r.accountId),
    elementVersion: Number(r.elementVersion),
    createdBy: r.createdBy === null ? null : Number(r.createdBy),
    createdAt: isoTime(r.createdAt),
    startedAt: r.startedAt === null ? null : isoTime(r.startedAt),
    finishedAt: r.finishedAt === null ? null : isoTime(r.finishedAt),
    snapshot,
    counts,
  };
}

/** One distribution of the account (with its snapshot when `withSnapshot`). */
export async function findDistribution(
  q: Queryable,
  accountId: number,
  id: number,
  withSnapshot = false,
): Promise<DistributionRow | null> {
  const snap = withSnapshot ? sql`, d.snapshot` : sql``;
  const [row] = await rows<RawRow>(
    q,
    sql`SELECT ${COLUMNS}${snap} FROM distributions d ${COUNTS} WHERE d.account_id = ${accountId} AND d.id = ${id}`,
  );
  return row ? fromRaw(row) : null;
}

/** The distribution started with this Idempotency-Key by this user, if any. */
export async function findByIdempotencyKey(q: Queryable, accountId: number, userId: number, key: string) {
  const [row] = await rows<{ id: number }>(
    q,
    sql`SELECT id::int AS id FROM distributions
        WHERE account_id = ${accountId} AND created_by = ${userId} AND idempotency_key = ${key}`,
  );
  return row ? Number(row.id) : null;
}

/** Whether a distribution of the element is running. */
export async function runningOf(q: Queryable, accountId: number, kind: DistributableKind, elementId: number) {
  const [row] = await rows<{ id: number }>(
    q,
    sql`SELECT id::int AS id FROM distributions WHERE account_id = ${accountId} AND element_kind = ${kind}
          AND element_id = ${elementId} AND status = 'running' LIMIT 1`,
  );
  return row ? Number(row.id) : null;
}

export interface NewDistribution {
  accountId: number;
  operation: DistributionOperation;
  snapshot: Snapshot;
  retryOf: number | null;
  idempotencyKey: string | null;
  userId: number;
  at: Date;
  /** Target account ids in position order, each with what to do with a locally changed copy. */
  targets: { accountId: number; onModified: OnModified }[];
}

/** Inserts the distribution and its target rows (pending, in position order); returns its id. */
export async function insertDistribution(q: Queryable, d: NewDistribution): Promise<number> {
  const snapshot = d.operation === 'distribute' ? JSON.stringify(d.snapshot) : null;
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO distributions (account_id, operation, element_kind, element_id, element_name, element_version,
          snapshot, retry_of, total, idempotency_key, created_by, created_at)
        VALUES (${d.accountId}, ${d.operation}, ${d.snapshot.kind}, ${d.snapshot.id}::bigint, ${d.snapshot.name},
          ${d.snapshot.version}, ${snapshot}::jsonb, ${d.retryOf}, ${d.targets.length}, ${d.idempotencyKey},
          ${d.userId}, ${d.at})
        RETURNING id::int AS id`,
  );
  const id = Number(row!.id);
  const ids = `{${d.targets.map((t) => t.accountId).join(',')}}`;
  const modes = `{${d.targets.map((t) => t.onModified).join(',')}}`;
  await q.execute(
    sql`INSERT INTO distribution_targets (distribution_id, account_id, target_account_id, position, on_modified)
        SELECT ${id}, ${d.accountId}, t.account_id, t.position::int, t.mode
        FROM unnest(${ids}::bigint[], ${modes}::text[]) WITH ORDINALITY AS t(account_id, mode, position)`,
  );
  return id;
}

/** History: the account's distributions (of one element), newest first, after id `beforeId`. */
export async function listDistributions(
  q: Queryable,
  accountId: number,
  filter: { kind?: DistributableKind; elementId?: number; beforeId?: number },
  limit: number,
): Promise<DistributionRow[]> {
  const where: SQL[] = [sql`d.account_id = ${accountId}`];
  if (filter.kind) where.push(sql`d.element_kind = ${filter.kind}`);
  if (filter.elementId !== undefined) where.push(sql`d.element_id = ${filter.elementId}`);
  if (filter.beforeId !== undefined) where.push(sql`d.id < ${filter.beforeId}`);
  const found = await rows<RawRow>(
    q,
    sql`SELECT ${COLUMNS} FROM distributions d ${COUNTS} WHERE ${sql.join(where, sql` AND `)}
        ORDER BY d.id DESC LIMIT ${limit}`,
  );
  return found.map(fromRaw);
}

export interface TargetRow {
  targetAccountId: number;
  accountName: string;
  position: number;
  onModified: OnModified;
  status: TargetStatus;
  reason: DistributionReason | null;
  detail: TargetDetail | null;
  copyId: string | null;
  copyName: string | null;
  finishedAt: string | null;
}

/**
 * A page of a distribution's targets in position order, without the copies' names (`copyName`
 * null): those live in the target accounts, which the source's tenant transaction cannot read
 * (see `copyNames` in targets.repo.ts).
 */
export async function listTargets(
  q: Queryable,
  distribution: { id: number; kind: DistributableKind },
  filter: { status?: TargetStatus; afterPosition?: number },
  limit: number,
): Promise<TargetRow[]> {
  const where: SQL[] = [sql`t.distribution_id = ${distribution.id}`];
  if (filter.status) where.push(sql`t.status = ${filter.status}`);
  if (filter.afterPosition !== undefined) where.push(sql`t.position > ${filter.afterPosition}`);
  const found = await rows<TargetRow & { finishedAt: Date | string | null; detail: unknown }>(
    q,
    sql`SELECT t.target_account_id::int AS "targetAccountId", a.name AS "accountName", t.position,
          t.on_modified AS "onModified", t.status, t.reason, t.detail, t.copy_id::text AS "copyId",
          NULL AS "copyName",
          t.finished_at AS "finishedAt"
        FROM distribution_targets t JOIN accounts a ON a.id = t.target_account_id
        WHERE ${sql.join(where, sql` AND `)} ORDER BY t.position LIMIT ${limit}`,
  );
  return found.map((r) => ({
    ...r,
    targetAccountId: Number(r.targetAccountId),
    position: Number(r.position),
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as TargetDetail | null,
    finishedAt: r.finishedAt === null ? null : isoTime(r.finishedAt),
  }));
}

/** The next pending targets (account ids, position order). */
export async function pendingTargets(q: Queryable, distributionId: number, limit: number): Promise<number[]> {
  const found = await rows<{ id: number }>(
    q,
    sql`SELECT target_account_id::int AS id FROM distribution_targets
        WHERE distribution_id = ${distributionId} AND status = 'pending' ORDER BY position LIMIT ${limit}`,
  );
  return found.map((r) => Number(r.id));
}

/** Locks a target row and answers its on_modified, or null unless it is still pending. */
export async function lockPendingTarget(
  q: Queryable,
  distributionId: number,
  target: number,
): Promise<OnModified | null> {
  const [row] = await rows<{ status: string; onModified: OnModified }>(
    q,
    sql`SELECT status, on_modified AS "onModified" FROM distribution_targets
        WHERE distribution_id = ${distributionId} AND target_account_id = ${target} FOR UPDATE`,
  );
  return row && row.status === 'pending' ? row.onModified : null;
}

/** Writes a target's result (only while it is pending); false when it was already final. */
export async function finishTarget(
  q: Queryable,
  distributionId: number,
  target: number,
  result: {
    status: TargetStatus;
    reason: DistributionReason | null;
    detail: TargetDetail | null;
    copyId: string | null;
  },
  at: Date,
): Promise<boolean> {
  const detail = result.detail ? JSON.stringify(result.detail) : null;
  const done = await rows<{ ok: number }>(
    q,
    sql`UPDATE distribution_targets SET status = ${result.status}, reason = ${result.reason},
          detail = ${detail}::jsonb, copy_id = ${result.copyId}::bigint, finished_at = ${at}
        WHERE distribution_id = ${distributionId} AND target_account_id = ${target} AND status = 'pending'
        RETURNING 1 AS ok`,
  );
  return done.length > 0;
}

/**
 * Takes the run's lease when it is free (never taken or expired); answers the distribution's
 * source account when taken, else null (finished, or another worker holds it).
 */
export async function claimLease(
  q: Queryable,
  id: number,
  leaseUntil: Date,
  wallNow: Date,
  at: Date,
): Promise<{ accountId: number } | null> {
  const [row] = await rows<{ accountId: number }>(
    q,
    sql`UPDATE distributions SET lease_until = ${leaseUntil.toISOString()}::timestamptz,
          started_at = coalesce(started_at, ${at})
        WHERE id = ${id} AND status = 'running'
          AND (lease_until IS NULL OR lease_until < ${wallNow.toISOString()}::timestamptz)
        RETURNING account_id::int AS "accountId"`,
  );
  return row ? { accountId: Number(row.accountId) } : null;
}

export async function renewLease(q: Queryable, id: number, leaseUntil: Date): Promise<void> {
  await q.execute(
    sql`UPDATE distributions SET lease_until = ${leaseUntil.toISOString()}::timestamptz
        WHERE id = ${id} AND status = 'running'`,
  );
}

export async function releaseLease(q: Queryable, id: number): Promise<void> {
  await q.execute(sql`UPDATE distributions SET lease_until = NULL WHERE id = ${id} AND status = 'running'`);
}

/** Running → completed when no target is pending; true only for the call that changed the row. */
export async function completeIfDone(q: Queryable, id: number, at: Date): Promise<boolean> {
  const done = await rows<{ ok: number }>(
    q,
    sql`UPDATE distributions d SET status = 'completed', finished_at = ${at}, lease_until = NULL
        WHERE d.id = ${id} AND d.status = 'running'
          AND NOT EXISTS (SELECT 1 FROM distribution_targets t WHERE t.distribution_id = d.id AND t.status = 'pending')
        RETURNING 1 AS ok`,
  );
  return done.length > 0;
}

/** Running distributions nobody works on (never leased, or the lease expired). */
export async function findRunnable(q: Queryable, wallNow: Date): Promise<number[]> {
  const found = await rows<{ id: number }>(
    q,
    sql`SELECT id::int AS id FROM distributions
        WHERE status = 'running' AND (lease_until IS NULL OR lease_until < ${wallNow.toISOString()}::timestamptz)
        ORDER BY id LIMIT 100`,
  );
  return found.map((r) => Number(r.id));
}

/** The failed and skipped targets (position order, the first `limit`) for the source summary. */
export async function unsuccessfulTargets(q: Queryable, distributionId: number, limit: number) {
  const found = await rows<{
    accountId: number;
    accountName: string;
    reason: DistributionReason | null;
    detail: TargetDetail | string | null;
  }>(
    q,
    sql`SELECT t.target_account_id::int AS "accountId", a.name AS "accountName", t.reason, t.detail
        FROM distribution_targets t JOIN accounts a ON a.id = t.target_account_id
        WHERE t.distribution_id = ${distributionId} AND t.status IN ('failed', 'skipped')
        ORDER BY t.position LIMIT ${limit}`,
  );
  return found.map((r) => ({
    ...r,
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as TargetDetail | null,
  }));
}
