import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import { rows, type Db, type EngineKind, type Queryable, type Tx } from '../../db/types.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { NotificationEvent } from '../../../shared/notifications.ts';

const ABANDONED = 'Interrupted while preparing the contact list';
/** Names in notification parameters are bounded (the catalogue's schema); a renamed action may be longer. */
const actionRef = (id: number, name: string) => ({ id: String(id), name: name.slice(0, 300) });
import * as repo from './bulk-actions.repo.ts';
import { runChunk } from './bulk-chunks.ts';
import { failWithReason, TargetDeletedError } from './bulk-targets.ts';
import { loggableError } from '../../db/log-safe.ts';

export const BULK_CHANNEL = 'herald_bulk';

/**
 * Tells every API process that an action changed (delivered on commit when `q` is a transaction).
 * The payload carries ids only: listeners read the current row.
 */
export async function notifyBulkChange(q: Queryable, accountId: number, actionId: number): Promise<void> {
  await q.execute(sql`SELECT pg_notify(${BULK_CHANNEL}, ${JSON.stringify({ accountId, actionId })})`);
}

/** Chunk sizes per engine: on PGlite each statement blocks the event loop (docs/adr/0003). */
export const CHUNK_SIZE: Record<EngineKind, number> = { postgres: 10_000, pglite: 1_000 };
/** Snapshot rows written per statement when an action is created. */
export const FREEZE_BATCH: Record<EngineKind, number> = { postgres: 100_000, pglite: 5_000 };
const LEASE_MS = 20_000;
const CHUNK_ATTEMPTS = 3;

type ChunkResult = 'more' | 'done' | 'stopped' | 'lost';

/**
 * Runs bulk actions chunk by chunk. A worker first claims the action's lease; each chunk then, in
 * one transaction, locks the row, re-checks status and lease, applies the change set-based, writes
 * the outcomes, advances cursor and counters, renews the lease and notifies listeners. A crash
 * rolls back at most the running chunk; an expired lease lets another worker resume at the cursor.
 * Pause and cancel are status changes that the next chunk reads under the same row lock.
 */
export class BulkRunner {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /**
   * Test seam: called inside each chunk's transaction after its change, before it commits, with the
   * range it covers. Tests use it to act while a chunk is running; production leaves it unset.
   */
  duringChunk: ((actionId: number, from: number, to: number) => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly chunkSize: number,
    private readonly notifier: Notifier,
  ) {}

  /** Runs one action until it completes, pauses, is cancelled, fails, or another worker owns it. */
  async run(actionId: number): Promise<void> {
    const found = await repo.findActionAnyAccount(this.db, actionId);
    if (!found) return;
    const accountId = asAccountId(found.accountId);
    if (!(await this.claim(actionId))) return;
    for (;;) {
      let result: ChunkResult | undefined;
      for (let attempt = 1; result === undefined; attempt++) {
        try {
          result = await this.chunk(accountId, actionId);
        } catch (err) {
          if (err instanceof TargetDeletedError) {
            await this.failPermanently(accountId, actionId, err);
            return;
          }
          if (attempt >= CHUNK_ATTEMPTS) {
            await this.fail(accountId, actionId, err);
            return;
          }
          await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
        }
      }
      if (result !== 'more') return;
      // Let HTTP requests and other jobs in between chunks.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Takes the lease if nobody holds a live one; moves a due queued action to in_progress. */
  private async claim(actionId: number): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const leaseUntil = new Date(Date.now() + LEASE_MS).toISOString();
    const claimed = await rows<{ id: number }>(
      this.db,
      sql`UPDATE bulk_actions SET lease_owner = ${this.workerId}, lease_until = ${leaseUntil}::timestamptz,
            status = 'in_progress', started_at = coalesce(started_at, ${now}::timestamptz), updated_at = ${now}::timestamptz
          WHERE id = ${actionId} AND frozen AND status IN ('queued', 'in_progress')
            AND (scheduled_for IS NULL OR scheduled_for <= ${now}::timestamptz)
            AND (lease_until IS NULL OR lease_until < ${new Date().toISOString()}::timestamptz OR lease_owner = ${this.workerId})
          RETURNING id, cursor = 0 AS "firstStart", account_id AS "accountId"`,
    );
    const row = claimed[0] as { id: number; firstStart: boolean; accountId: number } | undefined;
    if (!row) return false;
    // The audit trail shows the engine's own steps too: started, resumed by a worker after a crash, ended.
    await this.audit(Number(row.accountId), actionId, row.firstStart ? 'started' : 'run_resumed', {
      worker: this.workerId,
    });
    await notifyBulkChange(this.db, Number(row.accountId), actionId);
    return true;
  }

  private async chunk(accountId: ReturnType<typeof asAccountId>, actionId: number): Promise<ChunkResult> {
    return withTenant(this.db, accountId, async (tx) => {
      const action = await repo.findAction(tx, accountId, actionId, true);
      if (!action || action.leaseOwner !== this.workerId) return 'lost';
      if (action.status !== 'in_progress') return 'stopped';
      const now = this.clock.now();
      const to = Math.min(action.cursor + this.chunkSize, action.total);
      const counts =
        to > action.cursor
          ? await runChunk(tx, { action, from: action.cursor, to, now })
          : { succeeded: 0, failed: 0, skipped: 0 };
      this.duringChunk?.(actionId, action.cursor, to);
      const done = to >= action.total;
      const leaseUntil = new Date(Date.now() + LEASE_MS).toISOString();
      const iso = now.toISOString();
      await tx.execute(sql`
        UPDATE bulk_actions SET cursor = ${to},
          processed = processed + ${counts.succeeded + counts.failed + counts.skipped},
          succeeded = succeeded + ${counts.succeeded}, failed = failed + ${counts.failed}, skipped = skipped + ${counts.skipped},
          updated_at = ${iso}::timestamptz,
          lease_until = ${done ? null : leaseUntil}::timestamptz, lease_owner = ${done ? null : this.workerId},
          status = ${done ? 'completed' : 'in_progress'},
          finished_at = ${done ? iso : null}::timestamptz,
          restorable_until = CASE WHEN ${done} AND type = 'delete_contacts'
                                  THEN ${iso}::timestamptz + interval '60 days' ELSE restorable_until END
        WHERE id = ${actionId}`);
      if (done) {
        await repo.insertAudit(tx, {
          actionId,
          accountId,
          userId: null,
          event: 'completed',
          // The action's totals (not the last chunk's), so the audit can say "completed with errors".
          details: {
            succeeded: action.succeeded + counts.succeeded,
            failed: action.failed + counts.failed,
            skipped: action.skipped + counts.skipped,
            processed: action.processed + counts.succeeded + counts.failed + counts.skipped,
          },
          at: now,
        });
      }
      await notifyBulkChange(tx, accountId, actionId);
      const failed = action.failed + counts.failed;
      if (done && failed > 0) {
        // Last in the transaction: notify holds the delivery lock until commit.
        await this.tell(tx, accountId, {
          type: 'bulk_action.finished_with_errors',
          params: {
            action: actionRef(actionId, action.name),
            total: action.total,
            succeeded: action.succeeded + counts.succeeded,
            failed,
            skipped: action.skipped + counts.skipped,
          },
          subject: { kind: 'bulk_action', id: String(actionId) },
        });
      }
      return done ? 'done' : 'more';
    });
  }

  /** A chunk that keeps failing fails the action, with the reason; data stays as the last good chunk left it. */
  private async fail(
    accountId: ReturnType<typeof asAccountId>,
    actionId: number,
    err: unknown,
  ): Promise<void> {
    const message =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    await withTenant(this.db, accountId, async (tx) => {
      const error = `A chunk failed ${CHUNK_ATTEMPTS} times: ${message}`;
      await repo.setStatus(tx, actionId, 'failed', this.clock.now(), { finished: true, error });
      await notifyBulkChange(tx, accountId, actionId);
      const action = await repo.findAction(tx, accountId, actionId, false);
      if (action) {
        await this.tell(tx, accountId, {
          type: 'bulk_action.failed',
          params: {
            action: actionRef(actionId, action.name),
            processed: action.processed,
            total: action.total,
            error: error.slice(0, 2000),
          },
          subject: { kind: 'bulk_action', id: String(actionId) },
        });
      }
    });
  }

  /** A permanent failure (the target vanished): failed once, with its reason code, no retries. */
  private async failPermanently(
    accountId: ReturnType<typeof asAccountId>,
    actionId: number,
    err: TargetDeletedError,
  ): Promise<void> {
    await withTenant(this.db, accountId, async (tx) => {
      const action = await repo.findAction(tx, accountId, actionId, true);
      if (!action || action.status !== 'in_progress') return;
      const name = action.params.tagName;
      await failWithReason(
        tx,
        this.notifier,
        accountId,
        action,
        err.reason,
        this.clock.now(),
        name ? { kind: err.target.kind, name } : undefined,
      );
    });
  }

  /**
   * Notifies in a savepoint: a notification that cannot be written must never undo the change it
   * reports (a rolled-back last chunk or failure status would make the action run forever).
   */
  private async tell(tx: Tx, accountId: number, event: NotificationEvent): Promise<void> {
    try {
      await tx.transaction((sp) => this.notifier.notify(sp, accountId, event));
    } catch (err) {
      console.error(
        `[bulk] notification ${event.type} for account ${accountId} not written:`,
        loggableError(err),
      );
    }
  }

  private async audit(
    accountId: number,
    actionId: number,
    event: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await repo.insertAudit(this.db, {
      actionId,
      accountId: asAccountId(accountId),
      userId: null,
      event,
      details,
      at: this.clock.now(),
    });
  }

  /**
   * Actions that should be running but are not: due, frozen, and without a live lease (never
   * started, or their worker died). The sweep re-queues them; the lease makes duplicates harmless.
   */
  async findRunnable(): Promise<number[]> {
    const now = this.clock.now().toISOString();
    const found = await rows<{ id: number }>(
      this.db,
      sql`SELECT id FROM bulk_actions
          WHERE status IN ('queued', 'in_progress') AND frozen
            AND (scheduled_for IS NULL OR scheduled_for <= ${now}::timestamptz)
            AND (lease_until IS NULL OR lease_until < ${new Date().toISOString()}::timestamptz)
          ORDER BY id LIMIT 100`,
    );
    return found.map((r) => Number(r.id));
  }

  /** Actions whose snapshot was never finished (the creating process died): failed, with the reason. */
  async failAbandonedFreezes(olderThanMs = 10 * 60_000): Promise<void> {
    const cutoff = new Date(this.clock.now().getTime() - olderThanMs).toISOString();
    const abandoned = await rows<{ id: number; accountId: number }>(
      this.db,
      sql`SELECT id, account_id AS "accountId" FROM bulk_actions
          WHERE NOT frozen AND status = 'queued' AND created_at < ${cutoff}::timestamptz ORDER BY id LIMIT 100`,
    );
    for (const { id, accountId } of abandoned) {
      const account = asAccountId(Number(accountId));
      await withTenant(this.db, account, async (tx) => {
        const failed = await rows<{ name: string; processed: number; total: number }>(
          tx,
          sql`UPDATE bulk_actions SET status = 'failed', error = ${ABANDONED}, finished_at = updated_at
              WHERE id = ${id} AND NOT frozen AND status = 'queued' RETURNING name, processed, total`,
        );
        if (!failed[0]) return;
        await notifyBulkChange(tx, account, Number(id));
        await this.tell(tx, account, {
          type: 'bulk_action.failed',
          params: {
            action: actionRef(Number(id), failed[0].name),
            processed: Number(failed[0].processed),
            total: Number(failed[0].total),
            error: ABANDONED,
          },
          subject: { kind: 'bulk_action', id: String(id) },
        });
      });
    }
  }
}
