// The runner's statements on the action row: lease, progress, and finding work.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/types.ts';

/**
 * Takes the lease on an action nobody holds a live lease on, if there is work: a `preparing` one
 * (to freeze), or a frozen, due, queued or running one (which becomes `in_progress`). Returns the
 * status it has now and whether it never ran before, or undefined when there is nothing to do.
 */
export async function claimLease(
  q: Queryable,
  actionId: number,
  owner: string,
  leaseUntil: Date,
  now: Date,
  wallNow: Date,
): Promise<{ status: string; firstStart: boolean; accountId: number } | undefined> {
  const at = now.toISOString();
  const [row] = await rows<{ status: string; firstStart: boolean; accountId: number }>(
    q,
    sql`UPDATE bulk_actions SET lease_owner = ${owner}, lease_until = ${leaseUntil.toISOString()}::timestamptz,
          status = CASE WHEN status = 'preparing' THEN 'preparing' ELSE 'in_progress' END,
          started_at = CASE WHEN status = 'preparing' THEN started_at ELSE coalesce(started_at, ${at}::timestamptz) END,
          updated_at = ${at}::timestamptz
        WHERE id = ${actionId}
          AND (status = 'preparing'
               OR (frozen AND status IN ('queued', 'in_progress')
                   AND (scheduled_for IS NULL OR scheduled_for <= ${at}::timestamptz)))
          AND (lease_until IS NULL OR lease_until < ${wallNow.toISOString()}::timestamptz OR lease_owner = ${owner})
        RETURNING status, cursor = 0 AS "firstStart", account_id AS "accountId"`,
  );
  return row ? { ...row, accountId: Number(row.accountId) } : undefined;
}

/** Gives the lease back (the freeze ended and the action waits for its time, or the run stopped). */
export async function releaseLease(q: Queryable, actionId: number, owner: string): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_actions SET lease_owner = NULL, lease_until = NULL WHERE id = ${actionId} AND lease_owner = ${owner}`,
  );
}

/** After a chunk: cursor, counters, lease, and the end when it was the last chunk. */
export async function advanceRun(
  q: Queryable,
  actionId: number,
  step: {
    to: number;
    counts: { succeeded: number; failed: number; skipped: number };
    /** Every item is final: the action completes. */
    done: boolean;
    /** The last chunk ran: the lease is given back (deliveries still out complete it later). */
    release: boolean;
    owner: string;
    leaseUntil: Date;
    now: Date;
  },
): Promise<void> {
  const { counts, done, release, now } = step;
  const iso = now.toISOString();
  await q.execute(sql`
    UPDATE bulk_actions SET cursor = ${step.to},
      processed = processed + ${counts.succeeded + counts.failed + counts.skipped},
      succeeded = succeeded + ${counts.succeeded}, failed = failed + ${counts.failed}, skipped = skipped + ${counts.skipped},
      updated_at = ${iso}::timestamptz,
      lease_until = ${release ? null : step.leaseUntil.toISOString()}::timestamptz, lease_owner = ${release ? null : step.owner},
      status = ${done ? 'completed' : 'in_progress'},
      finished_at = ${done ? iso : null}::timestamptz
    WHERE id = ${actionId}`);
}

/** One item of a delivery type is final: its counters, and the end when `done`. */
export async function countDelivered(
  q: Queryable,
  actionId: number,
  counts: { succeeded: number; failed: number; skipped: number },
  done: boolean,
  now: Date,
  items = 1,
): Promise<void> {
  const iso = now.toISOString();
  await q.execute(sql`
    UPDATE bulk_actions SET processed = processed + ${items},
      succeeded = succeeded + ${counts.succeeded}, failed = failed + ${counts.failed}, skipped = skipped + ${counts.skipped},
      updated_at = ${iso}::timestamptz,
      status = CASE WHEN ${done} THEN 'completed' ELSE status END,
      finished_at = CASE WHEN ${done} THEN ${iso}::timestamptz ELSE finished_at END
    WHERE id = ${actionId}`);
}

/** Refreshes a table's planner statistics (`table` comes from a type's spec, never from a request). */
export async function analyze(q: Queryable, table: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`Not a table name: ${table}`);
  await q.execute(sql.raw(`ANALYZE ${table}`));
}

/** Renews the lease while a freeze runs. */
export async function renewLease(q: Queryable, actionId: number, leaseUntil: Date): Promise<void> {
  await q.execute(
    sql`UPDATE bulk_actions SET lease_until = ${leaseUntil.toISOString()}::timestamptz WHERE id = ${actionId}`,
  );
}

/**
 * Actions that should be running but are not: preparing, or due, frozen, queued or running, and
 * without a live lease (never started, or their worker died).
 */
export async function findRunnable(q: Queryable, now: Date, wallNow: Date): Promise<number[]> {
  const found = await rows<{ id: number }>(
    q,
    sql`SELECT id FROM bulk_actions
        WHERE (status = 'preparing'
               OR (status IN ('queued', 'in_progress') AND frozen
                   AND (scheduled_for IS NULL OR scheduled_for <= ${now.toISOString()}::timestamptz)
                   -- every chunk ran; only deliveries are out, and their results complete it
                   AND NOT (cursor >= total AND total > 0)))
          AND (lease_until IS NULL OR lease_until < ${wallNow.toISOString()}::timestamptz)
        ORDER BY id LIMIT 100`,
  );
  return found.map((r) => Number(r.id));
}
