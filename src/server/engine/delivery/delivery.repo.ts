import { sql } from 'drizzle-orm';
import { rows, type Db, type Queryable, type Tx } from '../../db/types.ts';
import type { FinalDelivery } from './delivery-kinds.ts';

/** A new row of the outbox. */
export interface NewDelivery {
  accountId: number;
  kind: string;
  subject: unknown;
  /** Unique per kind: a second row with the same key is not added ("never twice"). */
  dedupeKey?: string | null;
  /** A bulk action's item: the action and the item's number. */
  actionId?: number | null;
  seq?: number | null;
  dueAt?: Date;
}

/** A row claimed for sending. */
export interface ClaimedDelivery {
  id: number;
  accountId: number;
  kind: string;
  subject: unknown;
  attempts: number;
  postponements: number;
  actionId: number | null;
  seq: number | null;
}

/** A row whose lease ran out while it was being sent. */
export interface ExpiredDelivery {
  id: number;
  kind: string;
  attempts: number;
  postponements: number;
}

/** The state a send (or the lease sweep) leaves a row in. */
export interface DeliveryState {
  status: 'pending' | 'sent' | 'outboxed' | 'failed';
  dueAt?: Date;
  lastError: string | null;
  reason: string | null;
  /** Kept when undefined. */
  result?: unknown;
  finishedAt: Date | null;
  postponed?: boolean;
}

/** A PostgreSQL text[] literal (names quoted, so any text is safe). */
const textArray = (items: readonly string[]): string =>
  `{${items.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const id = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

const FINAL_COLUMNS = sql`id, account_id AS "accountId", kind, action_id AS "actionId", seq, subject, status,
  attempts, reason, last_error AS "lastError", result`;

function toFinal(row: Record<string, unknown>): FinalDelivery {
  return {
    id: Number(row.id),
    accountId: Number(row.accountId),
    kind: String(row.kind),
    actionId: id(row.actionId),
    seq: id(row.seq),
    subject: json(row.subject),
    status: row.status as FinalDelivery['status'],
    attempts: Number(row.attempts),
    reason: (row.reason as string | null) ?? null,
    lastError: (row.lastError as string | null) ?? null,
    result: json(row.result ?? null),
  };
}

/**
 * Adds rows (set-based, one statement). A row whose (kind, dedupe key) or (action, seq) exists
 * already is skipped, so a producer that runs twice (a repeated chunk) adds nothing twice.
 */
export async function insertDeliveries(q: Queryable, items: readonly NewDelivery[]): Promise<number[]> {
  if (items.length === 0) return [];
  const payload = JSON.stringify(
    items.map((d) => ({
      account_id: d.accountId,
      kind: d.kind,
      subject: d.subject,
      dedupe_key: d.dedupeKey ?? null,
      action_id: d.actionId ?? null,
      seq: d.seq ?? null,
      due_at: (d.dueAt ?? new Date()).toISOString(),
    })),
  );
  const inserted = await rows<{ id: number }>(
    q,
    sql`INSERT INTO deliveries (account_id, kind, subject, dedupe_key, action_id, seq, due_at)
        SELECT account_id, kind, subject, dedupe_key, action_id, seq, due_at
        FROM jsonb_to_recordset(${payload}::jsonb)
          AS r(account_id bigint, kind text, subject jsonb, dedupe_key text, action_id bigint, seq integer, due_at timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING id`,
  );
  return inserted.map((r) => Number(r.id));
}

/**
 * Claims up to `limit` due rows of the given kinds (SKIP LOCKED: concurrent dispatchers take
 * different rows), marks them 'sending' under this worker's lease and counts the attempt. Runs as
 * its own statement, so the claim is committed before any outside call. A bulk action's rows are
 * due only while the action is in progress (a pause holds them).
 */
export async function claimDue(
  db: Db,
  claim: { workerId: string; now: Date; limit: number; kinds: readonly { name: string; leaseMs: number }[] },
): Promise<ClaimedDelivery[]> {
  if (claim.limit <= 0 || claim.kinds.length === 0) return [];
  const names = textArray(claim.kinds.map((k) => k.name));
  const leases = `{${claim.kinds.map((k) => Math.round(k.leaseMs)).join(',')}}`;
  const now = claim.now.toISOString();
  const claimed = await rows<Record<string, unknown>>(
    db,
    sql`WITH due AS (
          SELECT c.id FROM deliveries c
          WHERE c.status = 'pending' AND c.due_at <= ${now}::timestamptz AND c.kind = ANY(${names}::text[])
            AND (c.action_id IS NULL
                 OR EXISTS (SELECT 1 FROM bulk_actions a WHERE a.id = c.action_id AND a.status = 'in_progress'))
          ORDER BY c.due_at, c.id
          LIMIT ${claim.limit}
          FOR UPDATE OF c SKIP LOCKED)
        UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, lease_owner = ${claim.workerId},
          lease_until = ${now}::timestamptz + k.lease_ms * interval '1 millisecond'
        FROM due, unnest(${names}::text[], ${leases}::int[]) AS k(kind, lease_ms)
        WHERE d.id = due.id AND k.kind = d.kind
        RETURNING d.id, d.account_id AS "accountId", d.kind, d.subject, d.attempts, d.postponements,
          d.action_id AS "actionId", d.seq`,
  );
  return claimed.map((r) => ({
    id: Number(r.id),
    accountId: Number(r.accountId),
    kind: String(r.kind),
    subject: json(r.subject),
    attempts: Number(r.attempts),
    postponements: Number(r.postponements),
    actionId: id(r.actionId),
    seq: id(r.seq),
  }));
}

/**
 * Writes a send's result, only while the row is still 'sending' under `workerId`'s claim (a row
 * whose lease another process has already settled is left alone: undefined). Returns the row.
 */
export async function settleClaim(
  tx: Tx,
  deliveryId: number,
  workerId: string | null,
  state: DeliveryState,
): Promise<FinalDelivery | undefined> {
  const result = state.result === undefined ? null : JSON.stringify(state.result);
  const [row] = await rows<Record<string, unknown>>(
    tx,
    sql`UPDATE deliveries SET status = ${state.status},
          due_at = coalesce(${state.dueAt?.toISOString() ?? null}::timestamptz, due_at),
          last_error = ${state.lastError === null ? null : state.lastError.slice(0, 2000)},
          reason = ${state.reason},
          result = coalesce(${result}::jsonb, result),
          finished_at = ${state.finishedAt?.toISOString() ?? null}::timestamptz,
          postponements = postponements + ${state.postponed ? 1 : 0},
          lease_owner = NULL, lease_until = NULL
        WHERE id = ${deliveryId} AND status = 'sending'
          ${workerId === null ? sql`` : sql`AND lease_owner = ${workerId}`}
        RETURNING ${FINAL_COLUMNS}`,
  );
  return row ? toFinal(row) : undefined;
}

/**
 * Writes several sends' results in one statement (each row only while it is still 'sending' under
 * `workerId`'s claim, as `settleClaim`). Returns the rows written, in the order given.
 */
const CANCELLED_ACTION = sql`EXISTS (SELECT 1 FROM bulk_actions a WHERE a.id = d.action_id AND a.status = 'cancelled')`;

export async function settleClaims(
  tx: Tx,
  workerId: string,
  items: readonly { id: number; state: DeliveryState }[],
): Promise<FinalDelivery[]> {
  if (items.length === 0) return [];
  const payload = JSON.stringify(
    items.map(({ id, state }) => ({
      id,
      status: state.status,
      due_at: state.dueAt?.toISOString() ?? null,
      last_error: state.lastError === null ? null : state.lastError.slice(0, 2000),
      reason: state.reason,
      result: state.result === undefined ? null : state.result,
      finished_at: state.finishedAt?.toISOString() ?? null,
      postponed: state.postponed ? 1 : 0,
    })),
  );
  const written = await rows<Record<string, unknown>>(
    tx,
    // A row due again whose action was cancelled while it was in flight is cancelled instead: the
    // cancel found it 'sending', and no claim would ever take it again.
    sql`UPDATE deliveries d SET
          status = CASE WHEN r.status = 'pending' AND ${CANCELLED_ACTION} THEN 'cancelled' ELSE r.status END,
          due_at = coalesce(r.due_at, d.due_at), last_error = r.last_error,
          reason = CASE WHEN r.status = 'pending' AND ${CANCELLED_ACTION} THEN 'cancelled' ELSE r.reason END,
          result = coalesce(r.result, d.result),
          finished_at = CASE WHEN r.status = 'pending' AND ${CANCELLED_ACTION} THEN now() ELSE r.finished_at END,
          postponements = d.postponements + r.postponed, lease_owner = NULL, lease_until = NULL
        FROM jsonb_to_recordset(${payload}::jsonb) AS r(id bigint, status text, due_at timestamptz, last_error text,
          reason text, result jsonb, finished_at timestamptz, postponed int)
        WHERE d.id = r.id AND d.status = 'sending' AND d.lease_owner = ${workerId}
        RETURNING d.id, d.account_id AS "accountId", d.kind, d.action_id AS "actionId", d.seq, d.subject, d.status,
          d.attempts, d.reason, d.last_error AS "lastError", d.result`,
  );
  const byId = new Map(written.map((r) => [Number(r.id), toFinal(r)]));
  return items.flatMap((i) => byId.get(i.id) ?? []);
}

/**
 * Locks up to `limit` rows of the given kinds whose lease ran out before `now` (SKIP LOCKED), for
 * the lease sweep.
 */
export async function lockExpiredLeases(
  tx: Tx,
  kinds: readonly string[],
  now: Date,
  limit: number,
): Promise<ExpiredDelivery[]> {
  if (kinds.length === 0) return [];
  const found = await rows<Record<string, unknown>>(
    tx,
    sql`SELECT id, kind, attempts, postponements FROM deliveries
        WHERE status = 'sending' AND lease_until < ${now.toISOString()}::timestamptz
          AND kind = ANY(${textArray(kinds)}::text[])
        ORDER BY lease_until, id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    kind: String(r.kind),
    attempts: Number(r.attempts),
    postponements: Number(r.postponements),
  }));
}

/**
 * Cancels a bulk action's rows that have not been claimed (cancel of the action). Rows in flight
 * finish as they are. Returns the cancelled rows; the caller counts them in the same transaction.
 */
export async function cancelPendingOfAction(
  tx: Queryable,
  actionId: number,
  now: Date,
): Promise<FinalDelivery[]> {
  const cancelled = await rows<Record<string, unknown>>(
    tx,
    sql`UPDATE deliveries SET status = 'cancelled', reason = 'cancelled', finished_at = ${now.toISOString()}::timestamptz
        WHERE action_id = ${actionId} AND status = 'pending'
        RETURNING ${FINAL_COLUMNS}`,
  );
  return cancelled.map(toFinal);
}
