// What one chunk of each contact bulk action type does (the engine calls these through the type
// registry, inside its chunk transaction). A chunk changes the contacts set-based with
// `id = ANY($ids)` bounded by the chunk's lowest and highest id (index lookups whatever the table
// statistics say: a freshly written snapshot has none, and a planner guessing wrong must not scan a
// whole tag or record set per chunk), and says why each contact it did not change was failed or
// skipped. Changed contacts get no outcome row.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { ChunkContext, ItemOutcome } from '../../engine/registry.ts';
import { PermanentFailure } from '../../engine/failures.ts';
import type { BulkParams as ContactBulkParams } from '../../../shared/bulk-actions.ts';

type Result = Promise<{ outcomes: Map<number, ItemOutcome> }>;

const idArray = (ids: readonly number[]) => `{${ids.join(',')}}`;
const bounds = (ids: readonly number[]) => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const id of ids) {
    if (id < lo) lo = id;
    if (id > hi) hi = id;
  }
  return { lo, hi };
};

/** Current state and error-log label (email or phone) of contacts that were not changed, to say why. */
async function stateOf(
  q: Queryable,
  accountId: number,
  ids: readonly number[],
): Promise<Map<number, { deleted: boolean; label: string | null }>> {
  if (ids.length === 0) return new Map();
  const found = await rows<{ id: number; deleted: boolean; label: string | null }>(
    q,
    sql`SELECT id, deleted_at IS NOT NULL AS deleted, coalesce(email, phone) AS label
        FROM contacts WHERE id = ANY(${idArray(ids)}::bigint[]) AND account_id = ${accountId}`,
  );
  return new Map(found.map((r) => [Number(r.id), { deleted: r.deleted, label: r.label }]));
}

function unchanged(ids: readonly number[], changed: readonly number[]): number[] {
  const done = new Set(changed);
  return ids.filter((id) => !done.has(id));
}

/** Tag changes: a contact gone (deleted or purged) fails; one already in the wanted state is skipped. */
export function tagChunk(kind: 'add' | 'remove') {
  return async (q: Queryable, ctx: ChunkContext<ContactBulkParams>, ids: readonly number[]): Result => {
    const acc = ctx.action.accountId;
    const tagId = Number(ctx.params.tagId);
    // The tag may have been deleted since the action was queued: that is permanent, not worth a
    // retry, and must not surface as a foreign-key error. KEY SHARE keeps it until the chunk commits.
    const tag = await rows(
      q,
      sql`SELECT 1 FROM tags WHERE id = ${tagId} AND account_id = ${acc} FOR KEY SHARE`,
    );
    if (tag.length === 0) {
      throw new PermanentFailure('target_deleted', {
        kind: 'tag',
        id: String(tagId),
        name: ctx.params.tagName,
      });
    }
    const { lo, hi } = bounds(ids);
    const changed = (
      await rows<{ id: number }>(
        q,
        kind === 'add'
          ? sql`INSERT INTO contact_tags (account_id, contact_id, tag_id)
                SELECT ${acc}, c.id, ${tagId} FROM contacts c
                WHERE c.id = ANY(${idArray(ids)}::bigint[]) AND c.account_id = ${acc} AND c.deleted_at IS NULL
                ON CONFLICT DO NOTHING RETURNING contact_id AS id`
          : sql`DELETE FROM contact_tags ct USING contacts c
                WHERE ct.tag_id = ${tagId} AND ct.contact_id BETWEEN ${lo} AND ${hi}
                  AND ct.contact_id = ANY(${idArray(ids)}::bigint[])
                  AND c.id = ct.contact_id AND c.account_id = ${acc} AND c.deleted_at IS NULL
                RETURNING ct.contact_id AS id`,
      )
    ).map((r) => Number(r.id));
    const rest = unchanged(ids, changed);
    const state = await stateOf(q, acc, rest);
    const outcomes = new Map<number, ItemOutcome>();
    for (const id of rest) {
      const s = state.get(id);
      outcomes.set(
        id,
        !s || s.deleted
          ? { outcome: 'failed', reason: 'contact_deleted', label: s?.label ?? null }
          : { outcome: 'skipped', reason: kind === 'add' ? 'already_tagged' : 'not_tagged', label: s.label },
      );
    }
    return { outcomes };
  };
}

/** Soft-deletes, and records the tags and lists each contact had, so restore can bring it all back. */
export async function deleteChunk(
  q: Queryable,
  ctx: ChunkContext<ContactBulkParams>,
  ids: readonly number[],
): Result {
  const acc = ctx.action.accountId;
  const now = ctx.now.toISOString();
  // One statement: record tags and lists of the contacts this chunk deletes, then delete them.
  const changed = (
    await rows<{ id: number }>(
      q,
      sql`WITH gone AS (
            UPDATE contacts SET deleted_at = ${now}::timestamptz, updated_at = ${now}::timestamptz,
                   updated_by = ${ctx.action.createdBy}
            WHERE id = ANY(${idArray(ids)}::bigint[]) AND account_id = ${acc} AND deleted_at IS NULL RETURNING id),
          recorded AS (
            INSERT INTO bulk_deleted_contacts (action_id, contact_id, account_id, tag_ids, list_ids)
            SELECT ${ctx.action.id}, g.id, ${acc},
                   coalesce((SELECT array_agg(ct.tag_id) FROM contact_tags ct WHERE ct.contact_id = g.id), '{}'),
                   coalesce((SELECT array_agg(lm.list_id) FROM list_members lm WHERE lm.contact_id = g.id), '{}')
            FROM gone g RETURNING contact_id)
          SELECT contact_id AS id FROM recorded`,
    )
  ).map((r) => Number(r.id));
  const rest = unchanged(ids, changed);
  const state = await stateOf(q, acc, rest);
  const outcomes = new Map<number, ItemOutcome>(
    rest.map((id) => [
      id,
      { outcome: 'skipped', reason: 'already_deleted', label: state.get(id)?.label ?? null },
    ]),
  );
  return { outcomes };
}

/**
 * Brings back contacts a delete job removed, with their tags and lists (those that still exist).
 * A contact whose email or phone a live contact now uses stays deleted and is reported; so is the
 * second of two contacts in one chunk sharing an email or phone.
 */
export async function restoreChunk(
  q: Queryable,
  ctx: ChunkContext<ContactBulkParams>,
  ids: readonly number[],
): Result {
  const acc = ctx.action.accountId;
  const source = Number(ctx.params.sourceActionId);
  const now = ctx.now.toISOString();
  const candidates = await rows<{ id: number; emailTaken: boolean; phoneTaken: boolean }>(
    q,
    sql`WITH cand AS (
          SELECT c.id, c.email, c.sort_email, c.phone,
                 row_number() OVER (PARTITION BY c.sort_email ORDER BY c.id) AS email_rank,
                 row_number() OVER (PARTITION BY c.phone ORDER BY c.id) AS phone_rank
          FROM contacts c WHERE c.id = ANY(${idArray(ids)}::bigint[]) AND c.account_id = ${acc} AND c.deleted_at IS NOT NULL)
        -- Per-candidate index probes, as long as the planner knows how many contacts are live: the
        -- type asks the runner to keep the statistics of contacts fresh (statistics: ['contacts']);
        -- with post-delete statistics it hashed every live contact per chunk (3 s per 10,000).
        SELECT cand.id,
          (cand.email IS NOT NULL AND (cand.email_rank > 1 OR EXISTS (
             SELECT 1 FROM contacts o WHERE o.account_id = ${acc} AND o.deleted_at IS NULL
               AND o.sort_email = cand.sort_email))) AS "emailTaken",
          (cand.phone IS NOT NULL AND (cand.phone_rank > 1 OR EXISTS (
             SELECT 1 FROM contacts o WHERE o.account_id = ${acc} AND o.deleted_at IS NULL AND o.phone = cand.phone))) AS "phoneTaken"
        FROM cand`,
  );
  const restorable = candidates.filter((c) => !c.emailTaken && !c.phoneTaken).map((c) => Number(c.id));
  let changed: number[] = [];
  if (restorable.length) {
    const { lo, hi } = bounds(restorable);
    // One statement: bring the contacts back, then their recorded tags and lists (read once, by the
    // delete job's key and the chunk's id range).
    changed = (
      await rows<{ id: number }>(
        q,
        sql`WITH back AS (
              UPDATE contacts SET deleted_at = NULL, updated_at = ${now}::timestamptz, updated_by = ${ctx.action.createdBy}
              WHERE id = ANY(${idArray(restorable)}::bigint[]) AND account_id = ${acc} AND deleted_at IS NOT NULL
              RETURNING id),
            rec AS MATERIALIZED (
              SELECT d.contact_id, d.tag_ids, d.list_ids FROM bulk_deleted_contacts d JOIN back b ON b.id = d.contact_id
              WHERE d.action_id = ${source} AND d.contact_id BETWEEN ${lo} AND ${hi}),
            t AS (
              INSERT INTO contact_tags (account_id, contact_id, tag_id)
              SELECT ${acc}, r.contact_id, tg.id FROM rec r CROSS JOIN LATERAL unnest(r.tag_ids) AS tid(id)
              JOIN tags tg ON tg.id = tid.id AND tg.account_id = ${acc}
              ON CONFLICT DO NOTHING RETURNING 1),
            l AS (
              INSERT INTO list_members (account_id, contact_id, list_id)
              SELECT ${acc}, r.contact_id, sl.id FROM rec r CROSS JOIN LATERAL unnest(r.list_ids) AS lid(id)
              JOIN subscriber_lists sl ON sl.id = lid.id AND sl.account_id = ${acc}
              ON CONFLICT DO NOTHING RETURNING 1)
            -- t and l run to completion although nothing reads them (PostgreSQL's rule for WITH).
            SELECT id FROM back`,
      )
    ).map((r) => Number(r.id));
  }
  const conflict = new Map(candidates.map((c) => [Number(c.id), c]));
  const rest = unchanged(ids, changed);
  const state = await stateOf(q, acc, rest);
  const outcomes = new Map<number, ItemOutcome>();
  for (const id of rest) {
    const s = state.get(id);
    const c = conflict.get(id);
    const label = s?.label ?? null;
    outcomes.set(
      id,
      !s
        ? { outcome: 'failed', reason: 'purged', label }
        : !s.deleted
          ? { outcome: 'skipped', reason: 'already_live', label }
          : { outcome: 'failed', reason: c?.emailTaken ? 'email_in_use' : 'phone_in_use', label },
    );
  }
  return { outcomes };
}

/** How many contacts of a delete job are still deleted (what a restore would take). */
export async function countDeletedRecords(
  q: Queryable,
  accountId: number,
  actionId: number,
): Promise<number> {
  const [row] = await rows<{ n: number }>(
    q,
    sql`SELECT count(*)::int AS n FROM bulk_deleted_contacts d JOIN contacts c ON c.id = d.contact_id
        WHERE d.account_id = ${accountId} AND d.action_id = ${actionId} AND c.deleted_at IS NOT NULL`,
  );
  return row?.n ?? 0;
}

/** A delete job's recorded contacts, for its restore: (id, key) by contact id. */
export function deletedRecordItems(source: { id: number; accountId: number }) {
  return (after: number, limit: number) =>
    sql`SELECT d.contact_id AS id, d.contact_id AS key FROM bulk_deleted_contacts d
        WHERE d.account_id = ${source.accountId} AND d.action_id = ${source.id} AND d.contact_id > ${after}
        ORDER BY d.contact_id LIMIT ${limit}`;
}

/** The highest contact id now: a freeze never takes contacts created after it began. */
export async function maxContactId(q: Queryable): Promise<number> {
  const [row] = await rows<{ maxId: number | null }>(
    q,
    sql`SELECT coalesce(max(id), 0) AS "maxId" FROM contacts`,
  );
  return Number(row?.maxId ?? 0);
}

/** Opens a delete job's 60-day restore window when it ends (completed or cancelled). */
export async function openRestoreWindow(q: Queryable, actionId: number, now: Date): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_actions SET restorable_until = ${now.toISOString()}::timestamptz + interval '60 days' WHERE id = ${actionId}`,
  );
}
