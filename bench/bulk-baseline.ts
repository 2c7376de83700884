// The baselines of the bulk bench, in raw SQL on the same database and data as the engine.
//
// The fair baseline (issue 10) does the work the engine is required to do, the cheapest way SQL can:
// freeze the selection into a snapshot of packed bigint[] rows of CHUNK ids, then apply the change
// chunk by chunk, reading each chunk's ids from the snapshot inside the database (no ids travel to
// Node), one statement (so one transaction) per chunk. Delete also records each contact's tag and
// list ids; restore reads the delete's snapshot (a frozen, ordered set already), brings contacts back
// unless a live contact holds their email or phone, and re-adds their tags and lists.
//
// The plain baseline is the old reference: one UPDATE/INSERT/DELETE per id range of the contacts
// table, no snapshot, no records, no conflict checks. It shows what the bare change costs.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Database } from '../src/server/db/types.ts';
import { timed } from './lib.ts';

/** Ids per chunk and per snapshot row, as the measurements used. */
export const CHUNK = 10_000;

/** Where a baseline works: the database, the account, and the ids per chunk (CHUNK unless a test says). */
export interface Target {
  database: Database;
  account: number;
  chunk?: number;
}

/** A baseline run: the freeze (snapshot) and the whole (snapshot + chunks), in ms. */
export interface RawRun {
  snapshotMs: number;
  totalMs: number;
}

/** The bench's own snapshot and restore-record tables, beside (not inside) the engine's. */
export async function createBaselineTables(database: Database): Promise<void> {
  await database.db.execute(sql`
    CREATE TABLE bench_snapshot (
      action_id int NOT NULL,
      seq       int NOT NULL,
      ids       bigint[] NOT NULL,
      -- The chunk's bounds as columns: read from the array they would detoast it once per row.
      first_id  bigint NOT NULL,
      last_id   bigint NOT NULL,
      PRIMARY KEY (action_id, seq))`);
  await database.db.execute(sql`
    CREATE TABLE bench_deleted (
      action_id  int NOT NULL,
      contact_id bigint NOT NULL,
      account_id bigint NOT NULL,
      tag_ids    bigint[] NOT NULL,
      list_ids   bigint[] NOT NULL,
      PRIMARY KEY (action_id, contact_id))`);
}

const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/** The ids of chunk `seq` of snapshot `action`, as a row source for a chunk statement. */
const chunkIds = (action: number, seq: number) =>
  sql`(SELECT u.id FROM bench_snapshot s CROSS JOIN LATERAL unnest(s.ids) AS u(id)
       WHERE s.action_id = ${action} AND s.seq = ${seq})`;

/** Freezes every live contact of the account into packed rows; returns the number of chunks. */
async function freezeAll({ database, account, chunk = CHUNK }: Target, action: number): Promise<number> {
  const frozen = await rows<{ seq: number }>(
    database.db,
    sql`INSERT INTO bench_snapshot (action_id, seq, ids, first_id, last_id)
        SELECT ${action}::int, (n - 1) / ${sql.raw(String(chunk))}, array_agg(id ORDER BY id), min(id), max(id)
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM contacts
              WHERE account_id = ${account} AND deleted_at IS NULL) s
        GROUP BY (n - 1) / ${sql.raw(String(chunk))}
        RETURNING seq`,
  );
  return frozen.length;
}

async function chunkCount(database: Database, action: number): Promise<number> {
  const [row] = await rows<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM bench_snapshot WHERE action_id = ${action}`,
  );
  return Number(row!.n);
}

/** Runs `statement` for every chunk of snapshot `action`, yielding between chunks as a worker would. */
async function eachChunk(
  database: Database,
  action: number,
  chunks: number,
  statement: (seq: number) => SQL,
): Promise<void> {
  for (let seq = 0; seq < chunks; seq++) {
    await database.db.execute(statement(seq));
    await yieldToEventLoop();
  }
}

/** Every live contact of the account gets the tag. */
export async function fairAddTag(target: Target, action: number, tag: string): Promise<RawRun> {
  const { database, account } = target;
  let snapshotMs = 0;
  const { ms } = await timed(async () => {
    const frozen = await timed(() => freezeAll(target, action));
    snapshotMs = frozen.ms;
    await eachChunk(
      database,
      action,
      frozen.result,
      (seq) => sql`
        INSERT INTO contact_tags (account_id, contact_id, tag_id)
        SELECT ${account}::bigint, c.id, ${tag}::bigint FROM ${chunkIds(action, seq)} AS sel JOIN contacts c ON c.id = sel.id
        WHERE c.account_id = ${account} AND c.deleted_at IS NULL
        ON CONFLICT DO NOTHING`,
    );
  });
  return { snapshotMs, totalMs: ms };
}

/** Every live contact of the account loses the tag; each chunk's delete is bounded by its first and last id. */
export async function fairRemoveTag(target: Target, action: number, tag: string): Promise<RawRun> {
  const { database, account } = target;
  let snapshotMs = 0;
  const { ms } = await timed(async () => {
    const frozen = await timed(() => freezeAll(target, action));
    snapshotMs = frozen.ms;
    await eachChunk(
      database,
      action,
      frozen.result,
      (seq) => sql`
        DELETE FROM contact_tags ct
        USING bench_snapshot s CROSS JOIN LATERAL unnest(s.ids) AS sel(id), contacts c
        WHERE s.action_id = ${action} AND s.seq = ${seq}
          AND ct.tag_id = ${tag} AND ct.contact_id = sel.id
          AND ct.contact_id BETWEEN s.first_id AND s.last_id
          AND c.id = sel.id AND c.account_id = ${account} AND c.deleted_at IS NULL`,
    );
  });
  return { snapshotMs, totalMs: ms };
}

/** Soft-deletes every live contact of the account, recording each one's tag and list ids for restore. */
export async function fairDelete(target: Target, action: number): Promise<RawRun> {
  const { database, account } = target;
  let snapshotMs = 0;
  const { ms } = await timed(async () => {
    const frozen = await timed(() => freezeAll(target, action));
    snapshotMs = frozen.ms;
    await eachChunk(
      database,
      action,
      frozen.result,
      (seq) => sql`
        WITH gone AS (
          UPDATE contacts c SET deleted_at = now(), updated_at = now()
          FROM ${chunkIds(action, seq)} AS sel
          WHERE c.id = sel.id AND c.account_id = ${account} AND c.deleted_at IS NULL
          RETURNING c.id)
        INSERT INTO bench_deleted (action_id, contact_id, account_id, tag_ids, list_ids)
        SELECT ${action}::int, g.id, ${account}::bigint,
               coalesce((SELECT array_agg(ct.tag_id) FROM contact_tags ct WHERE ct.contact_id = g.id), '{}'),
               coalesce((SELECT array_agg(lm.list_id) FROM list_members lm WHERE lm.contact_id = g.id), '{}')
        FROM gone g`,
    );
  });
  return { snapshotMs, totalMs: ms };
}

/**
 * Restores what delete `deleteAction` removed, chunk by chunk along the delete's own snapshot: a
 * contact comes back unless a live contact (or an earlier one in the chunk) holds its email or
 * phone; its recorded tags and lists come back if they still exist.
 */
export async function fairRestore(target: Target, deleteAction: number): Promise<RawRun> {
  const { database, account } = target;
  const { ms } = await timed(async () => {
    const chunks = await chunkCount(database, deleteAction);
    await eachChunk(
      database,
      deleteAction,
      chunks,
      (seq) => sql`
        WITH cand AS (
          SELECT c.id, c.email, c.phone,
                 row_number() OVER (PARTITION BY lower(c.email) ORDER BY c.id) AS email_rank,
                 row_number() OVER (PARTITION BY c.phone ORDER BY c.id) AS phone_rank
          FROM ${chunkIds(deleteAction, seq)} AS sel JOIN contacts c ON c.id = sel.id
          WHERE c.account_id = ${account} AND c.deleted_at IS NOT NULL),
        ok AS (
          SELECT cand.id FROM cand
          WHERE (cand.email IS NULL OR (cand.email_rank = 1 AND NOT EXISTS (
                  SELECT 1 FROM contacts o WHERE o.account_id = ${account} AND o.deleted_at IS NULL
                    AND o.email IS NOT NULL AND lower(o.email) = lower(cand.email))))
            AND (cand.phone IS NULL OR (cand.phone_rank = 1 AND NOT EXISTS (
                  SELECT 1 FROM contacts o WHERE o.account_id = ${account} AND o.deleted_at IS NULL
                    AND o.phone IS NOT NULL AND o.phone = cand.phone)))),
        back AS (
          UPDATE contacts c SET deleted_at = NULL, updated_at = now()
          FROM ok WHERE c.id = ok.id RETURNING c.id),
        rec AS (
          SELECT d.contact_id, d.tag_ids, d.list_ids FROM back
          JOIN bench_deleted d ON d.action_id = ${deleteAction} AND d.contact_id = back.id),
        tagged AS (
          INSERT INTO contact_tags (account_id, contact_id, tag_id)
          SELECT ${account}::bigint, rec.contact_id, t.id FROM rec CROSS JOIN LATERAL unnest(rec.tag_ids) AS tid(id)
          JOIN tags t ON t.id = tid.id AND t.account_id = ${account}
          ON CONFLICT DO NOTHING)
        INSERT INTO list_members (account_id, contact_id, list_id)
        SELECT ${account}::bigint, rec.contact_id, l.id FROM rec CROSS JOIN LATERAL unnest(rec.list_ids) AS lid(id)
        JOIN subscriber_lists l ON l.id = lid.id AND l.account_id = ${account}
        ON CONFLICT DO NOTHING`,
    );
  });
  return { snapshotMs: 0, totalMs: ms };
}

/** Forgets a baseline's snapshot (not the delete's records), so later phases start from the same tables. */
export async function dropSnapshot(database: Database, action: number): Promise<void> {
  await database.db.execute(sql`DELETE FROM bench_snapshot WHERE action_id = ${action}`);
}

/** The plain changes, one statement per id range of CHUNK: the old reference. */
export const plain = {
  addTag: (account: number, tag: string) => (lo: number, hi: number) =>
    sql`INSERT INTO contact_tags (account_id, contact_id, tag_id)
        SELECT account_id, id, ${tag}::bigint FROM contacts
        WHERE account_id = ${account} AND deleted_at IS NULL AND id > ${lo} AND id <= ${hi}
        ON CONFLICT DO NOTHING`,
  removeTag: (_account: number, tag: string) => (lo: number, hi: number) =>
    sql`DELETE FROM contact_tags WHERE tag_id = ${tag} AND contact_id > ${lo} AND contact_id <= ${hi}`,
  delete: (account: number) => (lo: number, hi: number) =>
    sql`UPDATE contacts SET deleted_at = now() WHERE account_id = ${account} AND deleted_at IS NULL AND id > ${lo} AND id <= ${hi}`,
  restore: (account: number) => (lo: number, hi: number) =>
    sql`UPDATE contacts SET deleted_at = NULL WHERE account_id = ${account} AND deleted_at IS NOT NULL AND id > ${lo} AND id <= ${hi}`,
};

/** Runs a plain statement over the account's contacts id range, CHUNK ids at a time. */
export async function plainChunked(
  { database, account, chunk = CHUNK }: Target,
  statement: (lo: number, hi: number) => SQL,
): Promise<RawRun> {
  const { ms } = await timed(async () => {
    const [range] = await rows<{ lo: number; hi: number }>(
      database.db,
      sql`SELECT min(id) AS lo, max(id) AS hi FROM contacts WHERE account_id = ${account}`,
    );
    for (let lo = Number(range!.lo) - 1; lo < Number(range!.hi); lo += chunk) {
      await database.db.execute(statement(lo, lo + chunk));
      await yieldToEventLoop();
    }
  });
  return { snapshotMs: 0, totalMs: ms };
}

/** Counts that prove a phase did its work (checked outside the timings). */
export const check = {
  tagged: async (database: Database, tag: string) =>
    Number(
      (
        await rows<{ n: number }>(
          database.db,
          sql`SELECT count(*)::int AS n FROM contact_tags WHERE tag_id = ${tag}`,
        )
      )[0]!.n,
    ),
  deleted: async (database: Database, account: number) =>
    Number(
      (
        await rows<{ n: number }>(
          database.db,
          sql`SELECT count(*)::int AS n FROM contacts WHERE account_id = ${account} AND deleted_at IS NOT NULL`,
        )
      )[0]!.n,
    ),
  recorded: async (database: Database, action: number) =>
    Number(
      (
        await rows<{ n: number }>(
          database.db,
          sql`SELECT count(*)::int AS n FROM bench_deleted WHERE action_id = ${action}`,
        )
      )[0]!.n,
    ),
};
