// The frozen items of an action, packed: `bulk_action_batches` rows hold runs of consecutive
// sequence numbers with their subjects as a bigint[] (see migration 0011).
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/types.ts';
import type { AccountId } from '../db/tenant.ts';
import type { ItemSource } from './registry.ts';

/**
 * Freezes the next batch: the `(id, key)` rows of `source` (already limited and ordered by key),
 * numbered on from `offset`, packed `pack` subjects per row. Subjects above `maxSubject` are left
 * out. Returns how many were frozen, how many the source yielded (fewer than its limit: the end) and
 * the last key (where the next batch starts).
 */
export async function freezeBatch(
  q: Queryable,
  action: { id: number; accountId: AccountId },
  source: SQL,
  offset: number,
  pack: number,
  maxSubject: number | null,
): Promise<{ n: number; seen: number; last: number | null }> {
  const [row] = await rows<{ n: number; seen: number; last: number | null }>(
    q,
    sql`WITH batch AS (${source}),
        numbered AS (
          SELECT id, row_number() OVER (ORDER BY key) AS rn FROM batch
          WHERE ${maxSubject === null ? sql`true` : sql`id <= ${maxSubject}`}),
        ins AS (
          INSERT INTO bulk_action_batches (action_id, first_seq, account_id, subjects)
          SELECT ${action.id}, (${offset} + min(rn))::int, ${action.accountId}, array_agg(id ORDER BY rn)
          FROM numbered GROUP BY (rn - 1) / ${pack}
          RETURNING cardinality(subjects) AS n)
        SELECT coalesce((SELECT sum(n) FROM ins), 0)::int AS n, (SELECT count(*) FROM batch)::int AS seen,
               (SELECT max(key) FROM batch) AS last`,
  );
  return {
    n: Number(row?.n ?? 0),
    seen: Number(row?.seen ?? 0),
    last: row?.last === null || row?.last === undefined ? null : Number(row.last),
  };
}

/** The subjects of items `from` < seq ≤ `to`, in seq order, as one array (not one row per item). */
export async function chunkSubjects(
  q: Queryable,
  actionId: number,
  from: number,
  to: number,
): Promise<number[]> {
  const [row] = await rows<{ ids: string | null }>(
    q,
    sql`SELECT array_to_string(array_agg(u.subject ORDER BY b.first_seq, u.i), ',') AS ids
        FROM bulk_action_batches b CROSS JOIN LATERAL unnest(b.subjects) WITH ORDINALITY AS u(subject, i)
        WHERE b.action_id = ${actionId} AND b.first_seq <= ${to}
          AND b.first_seq + cardinality(b.subjects) - 1 > ${from}
          AND b.first_seq + u.i - 1 > ${from} AND b.first_seq + u.i - 1 <= ${to}`,
  );
  return row?.ids ? row.ids.split(',').map(Number) : [];
}

/** The subjects of items `seqs` of an action (seq → subject), in one statement. */
export async function subjectsAt(
  q: Queryable,
  actionId: number,
  seqs: readonly number[],
): Promise<Map<number, number>> {
  if (seqs.length === 0) return new Map();
  const found = await rows<{ seq: number; subject: string }>(
    q,
    sql`SELECT s.seq, b.subjects[s.seq - b.first_seq + 1]::text AS subject
        FROM unnest(${`{${seqs.join(',')}}`}::int[]) AS s(seq)
        JOIN bulk_action_batches b ON b.action_id = ${actionId} AND b.first_seq <= s.seq
          AND s.seq < b.first_seq + cardinality(b.subjects)`,
  );
  return new Map(found.map((r) => [Number(r.seq), Number(r.subject)]));
}

/** Retry failed: the source's failed items, by subject. */
export function failedItems(source: { id: number; accountId: number }): ItemSource {
  return (after, limit) =>
    sql`SELECT o.subject_id AS id, o.subject_id AS key FROM bulk_action_outcomes o
        WHERE o.account_id = ${source.accountId} AND o.action_id = ${source.id} AND o.outcome = 'failed'
          AND o.subject_id > ${after}
        ORDER BY o.subject_id LIMIT ${limit}`;
}

/** Undo: the items the source changed (processed, without an outcome), in its order. */
export function changedItems(source: { id: number; accountId: number; cursor: number }): ItemSource {
  return (after, limit) =>
    sql`SELECT s.id, s.key FROM (
          SELECT u.subject AS id, b.first_seq + u.i - 1 AS key
          FROM bulk_action_batches b CROSS JOIN LATERAL unnest(b.subjects) WITH ORDINALITY AS u(subject, i)
          WHERE b.action_id = ${source.id} AND b.first_seq <= ${source.cursor}
            AND b.first_seq + cardinality(b.subjects) - 1 > ${after}) s
        WHERE s.key > ${after} AND s.key <= ${source.cursor}
          AND NOT EXISTS (SELECT 1 FROM bulk_action_outcomes o WHERE o.action_id = ${source.id} AND o.subject_id = s.id)
        ORDER BY s.key LIMIT ${limit}`;
}

/** Records the freeze's progress after a batch, in the batch's transaction. */
export async function advanceFreeze(
  q: Queryable,
  actionId: number,
  progress: { prepared: number; freezeKey: number; maxSubject: number | null },
  now: Date,
): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_actions SET prepared = ${progress.prepared}, freeze_key = ${progress.freezeKey},
          max_subject = ${progress.maxSubject}, updated_at = ${now.toISOString()}::timestamptz
        WHERE id = ${actionId}`,
  );
}

/**
 * Ends the freeze: the action has its total and leaves `preparing` (completed at once when there is
 * nothing to do); a generated name now counts what was frozen.
 */
export async function finishFreeze(
  q: Queryable,
  actionId: number,
  total: number,
  /** The generated name for `total` in the creator's language (null: a typed name, kept). */
  name: string | null,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await q.execute(
    sql`UPDATE bulk_actions SET frozen = true, total = ${total}, prepared = ${total},
          name = coalesce(${name}, name),
          name_spec = CASE WHEN name_spec IS NULL THEN NULL ELSE name_spec || jsonb_build_object('count', ${total}::int) END,
          status = CASE WHEN ${total} = 0 THEN 'completed' ELSE 'queued' END,
          finished_at = CASE WHEN ${total} = 0 THEN ${at}::timestamptz ELSE finished_at END,
          updated_at = ${at}::timestamptz
        WHERE id = ${actionId} AND status = 'preparing'`,
  );
}
