import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/types.ts';
import type { AccountId } from '../db/tenant.ts';
import { accountZone, dayRange } from '../db/zoned-days.ts';
import type { ItemsSource, NameSpec } from './names.ts';
import type {
  BulkDisplayStatus,
  BulkStatus,
  DerivingControl,
  ListBulkActionsQuery,
} from '../../shared/bulk-actions.ts';

/** A bulk action row as the engine reads it (timestamps as ISO text). */
export interface BulkActionRow {
  id: number;
  accountId: number;
  /** A registered type's name (see registry.ts). */
  type: string;
  name: string;
  /** What a generated name says (rendered in each reader's language); null for names users typed. */
  nameSpec: NameSpec | null;
  status: BulkStatus;
  params: Record<string, unknown>;
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
  /** Where the items come from (see registry.ts `items`), for a freeze that resumes after a crash. */
  source: ItemsSource | null;
  /** The freeze's progress: items frozen, the last key frozen, and the highest subject it may take. */
  prepared: number;
  freezeKey: number;
  maxSubject: number | null;
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
    b.succeeded, b.failed, b.skipped, b.frozen, b.source, b.prepared, b.freeze_key AS "freezeKey",
    b.max_subject AS "maxSubject", b.name_spec AS "nameSpec", b.error, b.source_action_id AS "sourceActionId",
    b.derived_as AS "derivedAs",
    ${iso(sql`b.restorable_until`)} AS "restorableUntil", ${iso(sql`b.purged_at`)} AS "purgedAt", b.lease_owner AS "leaseOwner"
  FROM bulk_actions b LEFT JOIN users u ON u.id = b.created_by`;

export async function insertAction(
  q: Queryable,
  a: {
    accountId: AccountId;
    type: string;
    name: string;
    nameSpec: NameSpec | null;
    params: Record<string, unknown>;
    createdBy: number | null;
    now: Date;
    scheduledFor: Date | null;
    sourceActionId: number | null;
    derivedAs: DerivingControl | null;
    source: ItemsSource;
    /** The count the creator confirmed: the total shown until the freeze ends. */
    expected: number;
    /** The highest subject id at creation (later subjects are never frozen), or null. */
    maxSubject: number | null;
  },
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO bulk_actions (account_id, type, name, name_spec, status, params, created_by, created_at, updated_at,
                                  scheduled_for, source_action_id, derived_as, source, total, max_subject)
        VALUES (${a.accountId}, ${a.type}, ${a.name}, ${a.nameSpec === null ? null : JSON.stringify(a.nameSpec)}::jsonb,
                'preparing', ${JSON.stringify(a.params)}::jsonb, ${a.createdBy},
                ${a.now.toISOString()}::timestamptz, ${a.now.toISOString()}::timestamptz,
                ${a.scheduledFor?.toISOString() ?? null}::timestamptz, ${a.sourceActionId}, ${a.derivedAs},
                ${JSON.stringify(a.source)}::jsonb, ${a.expected}, ${a.maxSubject})
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
    freezeKey: Number(row.freezeKey),
    maxSubject: row.maxSubject === null ? null : Number(row.maxSubject),
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
    sql`UPDATE bulk_actions SET name = ${name}, name_spec = NULL WHERE account_id = ${accountId} AND id = ${actionId}`,
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
          AND derived_as = ${derivedAs} AND status IN ('preparing', 'queued', 'in_progress', 'paused')
        ORDER BY id LIMIT 1`,
  );
  return row ? Number(row.id) : null;
}

/** What a reader's name of an action is made of (see `renderName`). */
export interface ActionNameSource {
  id: number;
  accountId: number;
  type: string;
  name: string;
  nameSpec: NameSpec | null;
  params: Record<string, unknown>;
  derivedAs: DerivingControl | null;
}

/**
 * The name sources of many actions at once, each looked up in its own account (a reference from
 * one account never finds another account's action). Missing actions are simply not returned.
 */
export async function findNameSources(
  q: Queryable,
  refs: readonly { accountId: AccountId; id: number }[],
): Promise<ActionNameSource[]> {
  if (refs.length === 0) return [];
  const accounts = `{${refs.map((r) => r.accountId).join(',')}}`;
  const ids = `{${refs.map((r) => r.id).join(',')}}`;
  const found = await rows<ActionNameSource>(
    q,
    sql`SELECT b.id, b.account_id AS "accountId", b.type, b.name, b.name_spec AS "nameSpec", b.params,
          b.derived_as AS "derivedAs"
        FROM unnest(${accounts}::bigint[], ${ids}::bigint[]) AS ref(account_id, id)
        JOIN bulk_actions b ON b.account_id = ref.account_id AND b.id = ref.id`,
  );
  return found.map((r) => ({ ...r, id: Number(r.id), accountId: Number(r.accountId) }));
}
