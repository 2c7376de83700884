// What one chunk of each bulk action type does. A chunk reads its contact ids from the snapshot,
// changes the contacts set-based with `id = ANY($ids)` (an index lookup whatever the table
// statistics say: a freshly written snapshot has none, and a planner guessing "one row" must not
// turn a chunk into a nested loop), and reports every item: changed (succeeded), or an outcome row
// (failed or skipped, with a reason). The counters of a chunk therefore always add up to its size.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { BulkType, ItemReason } from '../../../shared/bulk-actions.ts';
import type { BulkActionRow } from './bulk-actions.repo.ts';
import { TargetDeletedError } from './bulk-targets.ts';

export interface ChunkCounts {
  succeeded: number;
  failed: number;
  skipped: number;
}

export interface ChunkContext {
  action: BulkActionRow;
  from: number;
  to: number;
  now: Date;
}

type Outcome = { outcome: 'failed' | 'skipped'; reason: ItemReason };

/** Applies a type's change to `ids`; returns the ids it changed and an outcome for each other id. */
type ChunkHandler = (
  q: Queryable,
  ctx: ChunkContext,
  ids: number[],
) => Promise<{ changed: number[]; others: Map<number, Outcome> }>;

const idArray = (ids: readonly number[]) => `{${ids.join(',')}}`;

/** Runs one chunk: snapshot ids, the type's change, the outcome rows; returns exact counts. */
export async function runChunk(q: Queryable, ctx: ChunkContext): Promise<ChunkCounts> {
  const handler = CHUNK_HANDLERS[ctx.action.type];
  if (!handler) throw new Error(`No chunk handler for type ${ctx.action.type}`);
  const ids = (
    await rows<{ id: number }>(
      q,
      sql`SELECT contact_id AS id FROM bulk_action_items
          WHERE action_id = ${ctx.action.id} AND seq > ${ctx.from} AND seq <= ${ctx.to} ORDER BY seq`,
    )
  ).map((r) => Number(r.id));
  const { changed, others } = await handler(q, ctx, ids);
  const list = [...others];
  if (list.length) {
    await q.execute(sql`
      INSERT INTO bulk_action_outcomes (action_id, contact_id, account_id, outcome, reason, label, at)
      SELECT ${ctx.action.id}, o.id, ${ctx.action.accountId}, o.outcome, o.reason,
             (SELECT coalesce(c.email, c.phone) FROM contacts c WHERE c.id = o.id), ${ctx.now.toISOString()}::timestamptz
      FROM unnest(${idArray(list.map(([id]) => id))}::bigint[],
                  ${`{${list.map(([, o]) => o.outcome).join(',')}}`}::text[],
                  ${`{${list.map(([, o]) => o.reason).join(',')}}`}::text[]) AS o(id, outcome, reason)`);
  }
  const failed = list.filter(([, o]) => o.outcome === 'failed').length;
  return { succeeded: changed.length, failed, skipped: list.length - failed };
}

/** Current state of contacts that were not changed, to say why. */
async function stateOf(
  q: Queryable,
  accountId: number,
  ids: number[],
): Promise<Map<number, { deleted: boolean }>> {
  if (ids.length === 0) return new Map();
  const found = await rows<{ id: number; deleted: boolean }>(
    q,
    sql`SELECT id, deleted_at IS NOT NULL AS deleted FROM contacts WHERE id = ANY(${idArray(ids)}::bigint[]) AND account_id = ${accountId}`,
  );
  return new Map(found.map((r) => [Number(r.id), { deleted: r.deleted }]));
}

function unchanged(ids: number[], changed: number[]): number[] {
  const done = new Set(changed);
  return ids.filter((id) => !done.has(id));
}

/** Tag changes: a contact gone (deleted or purged) fails; one already in the wanted state is skipped. */
function tagHandler(kind: 'add' | 'remove'): ChunkHandler {
  return async (q, ctx, ids) => {
    const acc = ctx.action.accountId;
    const tagId = Number(ctx.action.params.tagId);
    // The tag may have been deleted since the action was queued: that is permanent, not worth a
    // retry, and must not surface as a foreign-key error. KEY SHARE keeps it until the chunk commits.
    const tag = await rows(
      q,
      sql`SELECT 1 FROM tags WHERE id = ${tagId} AND account_id = ${acc} FOR KEY SHARE`,
    );
    if (tag.length === 0) throw new TargetDeletedError({ kind: 'tag', id: String(tagId) });
    const changed = (
      await rows<{ id: number }>(
        q,
        kind === 'add'
          ? sql`INSERT INTO contact_tags (account_id, contact_id, tag_id)
                SELECT ${acc}, c.id, ${tagId} FROM contacts c
                WHERE c.id = ANY(${idArray(ids)}::bigint[]) AND c.account_id = ${acc} AND c.deleted_at IS NULL
                ON CONFLICT DO NOTHING RETURNING contact_id AS id`
          : sql`DELETE FROM contact_tags ct USING contacts c
                WHERE ct.contact_id = ANY(${idArray(ids)}::bigint[]) AND ct.tag_id = ${tagId}
                  AND c.id = ct.contact_id AND c.account_id = ${acc} AND c.deleted_at IS NULL
                RETURNING ct.contact_id AS id`,
      )
    ).map((r) => Number(r.id));
    const rest = unchanged(ids, changed);
    const state = await stateOf(q, acc, rest);
    const others = new Map<number, Outcome>();
    for (const id of rest) {
      const s = state.get(id);
      others.set(
        id,
        !s || s.deleted
          ? { outcome: 'failed', reason: 'contact_deleted' }
          : { outcome: 'skipped', reason: kind === 'add' ? 'already_tagged' : 'not_tagged' },
      );
    }
    return { changed, others };
  };
}

/** Soft-deletes, and records the tags and lists each contact had, so restore can bring it all back. */
const deleteContacts: ChunkHandler = async (q, ctx, ids) => {
  const acc = ctx.action.accountId;
  const now = ctx.now.toISOString();
  const changed = (
    await rows<{ id: number }>(
      q,
      sql`UPDATE contacts SET deleted_at = ${now}::timestamptz, updated_at = ${now}::timestamptz, updated_by = ${ctx.action.createdBy}
          WHERE id = ANY(${idArray(ids)}::bigint[]) AND account_id = ${acc} AND deleted_at IS NULL RETURNING id`,
    )
  ).map((r) => Number(r.id));
  if (changed.length) {
    await q.execute(sql`
      INSERT INTO bulk_deleted_contacts (action_id, contact_id, account_id, tag_ids, list_ids)
      SELECT ${ctx.action.id}, d.id, ${acc},
             coalesce((SELECT array_agg(ct.tag_id) FROM contact_tags ct WHERE ct.contact_id = d.id), '{}'),
             coalesce((SELECT array_agg(lm.list_id) FROM list_members lm WHERE lm.contact_id = d.id), '{}')
      FROM unnest(${idArray(changed)}::bigint[]) AS d(id)`);
  }
  const others = new Map<number, Outcome>(
    unchanged(ids, changed).map((id) => [id, { outcome: 'skipped', reason: 'already_deleted' }]),
  );
  return { changed, others };
};

/**
 * Brings back contacts a delete job removed, with their tags and lists (those that still exist).
 * A contact whose email or phone a live contact now uses stays deleted and is reported; so is the
 * second of two contacts in one chunk sharing an email or phone.
 */
const restoreContacts: ChunkHandler = async (q, ctx, ids) => {
  const acc = ctx.action.accountId;
  const source = Number(ctx.action.params.sourceActionId);
  const now = ctx.now.toISOString();
  const candidates = await rows<{ id: number; emailTaken: boolean; phoneTaken: boolean }>(
    q,
    sql`WITH cand AS (
          SELECT c.id, c.email, c.sort_email, c.phone,
                 row_number() OVER (PARTITION BY c.sort_email ORDER BY c.id) AS email_rank,
                 row_number() OVER (PARTITION BY c.phone ORDER BY c.id) AS phone_rank
          FROM contacts c WHERE c.id = ANY(${idArray(ids)}::bigint[]) AND c.account_id = ${acc} AND c.deleted_at IS NOT NULL)
        SELECT cand.id,
          (cand.email IS NOT NULL AND (cand.email_rank > 1 OR EXISTS (
             SELECT 1 FROM contacts o WHERE o.account_id = ${acc} AND o.deleted_at IS NULL
               AND o.sort_email = cand.sort_email))) AS "emailTaken",
          (cand.phone IS NOT NULL AND (cand.phone_rank > 1 OR EXISTS (
             SELECT 1 FROM contacts o WHERE o.account_id = ${acc} AND o.deleted_at IS NULL AND o.phone = cand.phone))) AS "phoneTaken"
        FROM cand`,
  );
  const restorable = candidates.filter((c) => !c.emailTaken && !c.phoneTaken).map((c) => Number(c.id));
  const changed = restorable.length
    ? (
        await rows<{ id: number }>(
          q,
          sql`UPDATE contacts SET deleted_at = NULL, updated_at = ${now}::timestamptz, updated_by = ${ctx.action.createdBy}
              WHERE id = ANY(${idArray(restorable)}::bigint[]) AND account_id = ${acc} AND deleted_at IS NOT NULL RETURNING id`,
        )
      ).map((r) => Number(r.id))
    : [];
  if (changed.length) {
    const back = sql`SELECT d.contact_id, d.tag_ids, d.list_ids FROM bulk_deleted_contacts d
                     WHERE d.action_id = ${source} AND d.contact_id = ANY(${idArray(changed)}::bigint[])`;
    await q.execute(sql`
      INSERT INTO contact_tags (account_id, contact_id, tag_id)
      SELECT ${acc}, d.contact_id, t.id FROM (${back}) d CROSS JOIN LATERAL unnest(d.tag_ids) AS tid(id)
      JOIN tags t ON t.id = tid.id AND t.account_id = ${acc}
      ON CONFLICT DO NOTHING`);
    await q.execute(sql`
      INSERT INTO list_members (account_id, contact_id, list_id)
      SELECT ${acc}, d.contact_id, l.id FROM (${back}) d CROSS JOIN LATERAL unnest(d.list_ids) AS lid(id)
      JOIN subscriber_lists l ON l.id = lid.id AND l.account_id = ${acc}
      ON CONFLICT DO NOTHING`);
  }
  const conflict = new Map(candidates.map((c) => [Number(c.id), c]));
  const rest = unchanged(ids, changed);
  const state = await stateOf(q, acc, rest);
  const others = new Map<number, Outcome>();
  for (const id of rest) {
    const s = state.get(id);
    const c = conflict.get(id);
    others.set(
      id,
      !s
        ? { outcome: 'failed', reason: 'purged' }
        : !s.deleted
          ? { outcome: 'skipped', reason: 'already_live' }
          : { outcome: 'failed', reason: c?.emailTaken ? 'email_in_use' : 'phone_in_use' },
    );
  }
  return { changed, others };
};

const CHUNK_HANDLERS: Partial<Record<BulkType, ChunkHandler>> = {
  add_tag: tagHandler('add'),
  remove_tag: tagHandler('remove'),
  delete_contacts: deleteContacts,
  restore_contacts: restoreContacts,
};
