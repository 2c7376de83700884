// What one chunk of each bulk action type does: one set-based statement over the items with
// seq in (from, to], returning exact counts. Every item ends up either changed (succeeded) or with
// an outcome row (failed or skipped, with a reason), so the counters always add up to the chunk.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { BulkType } from '../../../shared/bulk-actions.ts';
import type { BulkActionRow } from './bulk-actions.repo.ts';

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

type ChunkHandler = (q: Queryable, ctx: ChunkContext) => Promise<ChunkCounts>;

function items(ctx: ChunkContext): SQL {
  return sql`SELECT i.contact_id FROM bulk_action_items i
             WHERE i.action_id = ${ctx.action.id} AND i.seq > ${ctx.from} AND i.seq <= ${ctx.to}`;
}

/** Wraps a "changed" CTE and the outcome rules into one statement that answers the counts. */
async function run(
  q: Queryable,
  ctx: ChunkContext,
  ctes: SQL,
  outcome: SQL,
  reason: SQL,
): Promise<ChunkCounts> {
  const acc = ctx.action.accountId;
  const [row] = await rows<ChunkCounts>(
    q,
    sql`WITH items AS (${items(ctx)}),
        ${ctes},
        outcomes AS (
          INSERT INTO bulk_action_outcomes (action_id, contact_id, account_id, outcome, reason, label, at)
          SELECT ${ctx.action.id}, items.contact_id, ${acc}, ${outcome}, ${reason}, coalesce(c.email, c.phone), ${ctx.now.toISOString()}::timestamptz
          FROM items LEFT JOIN contacts c ON c.id = items.contact_id AND c.account_id = ${acc}
          WHERE NOT EXISTS (SELECT 1 FROM changed WHERE changed.id = items.contact_id)
          RETURNING outcome)
        SELECT (SELECT count(*) FROM changed)::int AS succeeded,
               (SELECT count(*) FROM outcomes WHERE outcome = 'failed')::int AS failed,
               (SELECT count(*) FROM outcomes WHERE outcome = 'skipped')::int AS skipped`,
  );
  return row!;
}

const liveItems = (acc: number) =>
  sql`live AS (SELECT c.id FROM contacts c JOIN items ON c.id = items.contact_id WHERE c.account_id = ${acc} AND c.deleted_at IS NULL)`;

const addTag: ChunkHandler = (q, ctx) => {
  const acc = ctx.action.accountId;
  const tagId = Number(ctx.action.params.tagId);
  return run(
    q,
    ctx,
    sql`${liveItems(acc)},
        changed AS (INSERT INTO contact_tags (account_id, contact_id, tag_id) SELECT ${acc}, id, ${tagId} FROM live
                    ON CONFLICT DO NOTHING RETURNING contact_id AS id)`,
    sql`CASE WHEN c.id IS NULL OR c.deleted_at IS NOT NULL THEN 'failed' ELSE 'skipped' END`,
    sql`CASE WHEN c.id IS NULL OR c.deleted_at IS NOT NULL THEN 'contact_deleted' ELSE 'already_tagged' END`,
  );
};

const removeTag: ChunkHandler = (q, ctx) => {
  const acc = ctx.action.accountId;
  const tagId = Number(ctx.action.params.tagId);
  return run(
    q,
    ctx,
    sql`${liveItems(acc)},
        changed AS (DELETE FROM contact_tags ct USING live WHERE ct.contact_id = live.id AND ct.tag_id = ${tagId}
                    RETURNING ct.contact_id AS id)`,
    sql`CASE WHEN c.id IS NULL OR c.deleted_at IS NOT NULL THEN 'failed' ELSE 'skipped' END`,
    sql`CASE WHEN c.id IS NULL OR c.deleted_at IS NOT NULL THEN 'contact_deleted' ELSE 'not_tagged' END`,
  );
};

/** Soft-deletes, and records what each contact had, so restore can bring it all back. */
const deleteContacts: ChunkHandler = (q, ctx) => {
  const acc = ctx.action.accountId;
  const now = ctx.now.toISOString();
  return run(
    q,
    ctx,
    sql`changed AS (UPDATE contacts c SET deleted_at = ${now}::timestamptz, updated_at = ${now}::timestamptz, updated_by = ${ctx.action.createdBy}
                    FROM items WHERE c.id = items.contact_id AND c.account_id = ${acc} AND c.deleted_at IS NULL
                    RETURNING c.id),
        recorded AS (INSERT INTO bulk_deleted_contacts (action_id, contact_id, account_id, tag_ids, list_ids)
                     SELECT ${ctx.action.id}, changed.id, ${acc},
                            coalesce((SELECT array_agg(ct.tag_id) FROM contact_tags ct WHERE ct.contact_id = changed.id), '{}'),
                            coalesce((SELECT array_agg(lm.list_id) FROM list_members lm WHERE lm.contact_id = changed.id), '{}')
                     FROM changed RETURNING 1)`,
    sql`'skipped'`,
    sql`'already_deleted'`,
  );
};

/**
 * Brings back contacts a delete job removed, with their tags and lists (those that still exist).
 * A contact whose email or phone a live contact now uses stays deleted and is reported; so is the
 * second of two restored contacts sharing one.
 */
const restoreContacts: ChunkHandler = (q, ctx) => {
  const acc = ctx.action.accountId;
  const source = Number(ctx.action.params.sourceActionId);
  const now = ctx.now.toISOString();
  return run(
    q,
    ctx,
    sql`cand0 AS (SELECT c.id, c.email, c.phone,
                     row_number() OVER (PARTITION BY lower(c.email) ORDER BY c.id) AS email_rank,
                     row_number() OVER (PARTITION BY c.phone ORDER BY c.id) AS phone_rank
                  FROM contacts c JOIN items ON c.id = items.contact_id
                  WHERE c.account_id = ${acc} AND c.deleted_at IS NOT NULL),
        cand AS (SELECT cand0.*,
                   (cand0.email IS NOT NULL AND (cand0.email_rank > 1 OR EXISTS (
                      SELECT 1 FROM contacts o WHERE o.account_id = ${acc} AND o.deleted_at IS NULL
                      AND lower(o.email) = lower(cand0.email)))) AS email_taken,
                   (cand0.phone IS NOT NULL AND (cand0.phone_rank > 1 OR EXISTS (
                      SELECT 1 FROM contacts o WHERE o.account_id = ${acc} AND o.deleted_at IS NULL
                      AND o.phone = cand0.phone))) AS phone_taken
                 FROM cand0),
        changed AS (UPDATE contacts c SET deleted_at = NULL, updated_at = ${now}::timestamptz, updated_by = ${ctx.action.createdBy}
                    FROM cand WHERE c.id = cand.id AND NOT cand.email_taken AND NOT cand.phone_taken
                    RETURNING c.id),
        tags_back AS (INSERT INTO contact_tags (account_id, contact_id, tag_id)
                      SELECT ${acc}, d.contact_id, t.id
                      FROM bulk_deleted_contacts d JOIN changed ON changed.id = d.contact_id
                      CROSS JOIN LATERAL unnest(d.tag_ids) AS tid(id) JOIN tags t ON t.id = tid.id AND t.account_id = ${acc}
                      WHERE d.action_id = ${source}
                      ON CONFLICT DO NOTHING RETURNING 1),
        lists_back AS (INSERT INTO list_members (account_id, contact_id, list_id)
                       SELECT ${acc}, d.contact_id, l.id
                       FROM bulk_deleted_contacts d JOIN changed ON changed.id = d.contact_id
                       CROSS JOIN LATERAL unnest(d.list_ids) AS lid(id) JOIN subscriber_lists l ON l.id = lid.id AND l.account_id = ${acc}
                       WHERE d.action_id = ${source}
                       ON CONFLICT DO NOTHING RETURNING 1)`,
    sql`CASE WHEN c.id IS NOT NULL AND c.deleted_at IS NULL THEN 'skipped' ELSE 'failed' END`,
    sql`CASE WHEN c.id IS NULL THEN 'purged'
             WHEN c.deleted_at IS NULL THEN 'already_live'
             WHEN (SELECT cand.email_taken FROM cand WHERE cand.id = c.id) THEN 'email_in_use'
             ELSE 'phone_in_use' END`,
  );
};

export const CHUNK_HANDLERS: Partial<Record<BulkType, ChunkHandler>> = {
  add_tag: addTag,
  remove_tag: removeTag,
  delete_contacts: deleteContacts,
  restore_contacts: restoreContacts,
};
