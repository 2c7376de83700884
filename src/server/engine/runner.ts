import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db, EngineKind, Tx } from '../db/types.ts';
import { asAccountId, withTenant, type AccountId } from '../db/tenant.ts';
import type { Notifier } from '../modules/notifications/notifier.ts';
import type { NotificationEvent } from '../../shared/notifications.ts';
import { loggableError } from '../db/log-safe.ts';
import * as repo from './actions.repo.ts';
import * as runs from './runner.repo.ts';
import * as snapshot from './snapshot.repo.ts';
import { insertOutcomes } from './outcomes.repo.ts';
import { notifyBulkChange } from './events.ts';
import { failWithReason, PermanentFailure } from './failures.ts';
import type { BulkTypeRegistry, ItemOutcome, ItemSource } from './registry.ts';
import type { FinalDelivery } from './delivery/delivery-kinds.ts';
import { renderName } from './names.ts';

/** Names in notification parameters are bounded (the catalogue's schema); a renamed action may be longer. */
const actionRef = (id: number, name: string) => ({ id: String(id), name: name.slice(0, 300) });

/** Chunk sizes per engine: on PGlite each statement blocks the event loop (docs/adr/0003). */
export const CHUNK_SIZE: Record<EngineKind, number> = { postgres: 10_000, pglite: 1_000 };
/** Items frozen per statement (each its own transaction) while an action is preparing. */
export const FREEZE_BATCH: Record<EngineKind, number> = { postgres: 100_000, pglite: 5_000 };
const LEASE_MS = 20_000;
/**
 * Items between two ANALYZEs of a type's `statistics` tables. Measured on PostgreSQL: a restore of
 * 1,000,000 contacts right after their delete (statistics: no live contacts) hashed every live
 * contact for each chunk (3 s per chunk by the middle) instead of probing an index (0.08 s);
 * fresh statistics every 100,000 items keep the probes, for about 0.3 s per ANALYZE.
 */
const STATISTICS_EVERY_ITEMS = 100_000;
const CHUNK_ATTEMPTS = 3;

type Step = 'more' | 'done' | 'stopped' | 'lost';

/**
 * Whether fresh statistics are due before chunk `n` (0-based) of a run: before the first, then
 * after 1, 2, 4, 8, … chunks, then every `every` chunks. A table that was (nearly) empty for this
 * account when last analysed makes the planner scan it instead of probing an index; the early,
 * doubling intervals catch its growth while it still matters most (measured: an import's contact
 * probes scanned the account's contacts once the second chunk ran on "no contacts" statistics).
 */
export function needsStatistics(n: number, every: number): boolean {
  return n % every === 0 || (n < every && (n & (n - 1)) === 0);
}

/** Sizes the runner works in: items per chunk, items per freeze statement, items per packed row. */
export interface RunnerSizes {
  chunk: number;
  freeze: number;
}

/**
 * Runs bulk actions of any registered type. A worker first claims the action's lease. A
 * `preparing` action is frozen first: its items are written in packed batches, each batch with the
 * freeze's position in one short transaction, so a crash resumes the freeze where it stopped. Then
 * each chunk, in one transaction, locks the row, re-checks status and lease, runs the type's chunk
 * handler, writes the outcomes, advances cursor and counters, renews the lease and notifies
 * listeners. A crash rolls back at most the running chunk; an expired lease lets another worker
 * resume. Pause and cancel are status changes that the next chunk (or freeze batch) reads under the
 * same row lock.
 */
export class BulkRunner {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /**
   * Test seam: called inside each chunk's transaction `tx` after its change and progress, before it
   * commits, with the range it covers. Tests use it to act while a chunk is running (what they
   * write through `tx` lands with the chunk); production leaves it unset.
   */
  duringChunk: ((tx: Tx, actionId: number, from: number, to: number) => Promise<void> | void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sizes: RunnerSizes,
    private readonly notifier: Notifier,
    private readonly registry: BulkTypeRegistry,
  ) {}

  /** Runs one action until it completes, pauses, is cancelled, fails, waits for its time, or another worker owns it. */
  async run(actionId: number): Promise<void> {
    let claimed = await this.claim(actionId);
    if (!claimed) return;
    const accountId = asAccountId(claimed.accountId);
    if (claimed.status === 'preparing') {
      if (!(await this.freezeClaimed(accountId, actionId))) return;
      claimed = await this.claim(actionId);
      if (!claimed) return;
    }
    const statistics = await this.statisticsOf(actionId, accountId);
    const every = Math.max(1, Math.ceil(STATISTICS_EVERY_ITEMS / this.sizes.chunk));
    for (let n = 0; ; n++) {
      if (statistics.length && needsStatistics(n, every)) await this.analyze(statistics);
      const step = await this.guard(accountId, actionId, () => this.chunk(accountId, actionId));
      if (step !== 'more') return;
      // Let HTTP requests and other jobs in between chunks.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The tables the action's type wants fresh statistics for (none for most types). */
  private async statisticsOf(actionId: number, accountId: AccountId): Promise<readonly string[]> {
    const action = await withTenant(this.db, accountId, (tx) => repo.findAction(tx, accountId, actionId));
    return (action && this.registry.find(action.type)?.statistics) ?? [];
  }

  /** ANALYZE as the database owner, outside any tenant transaction; a failure only costs speed. */
  private async analyze(tables: readonly string[]): Promise<void> {
    for (const table of tables) {
      try {
        await runs.analyze(this.db, table);
      } catch (err) {
        console.error(`[bulk] ANALYZE ${table} failed:`, loggableError(err));
      }
    }
  }

  /**
   * Freezes a `preparing` action's items and stops there (the action is then queued, or completed
   * when it has none). `run` does the same as its first step; tests use this to hold an action
   * between freeze and run. Returns false when there was nothing to freeze.
   */
  async prepare(actionId: number): Promise<boolean> {
    const claimed = await this.claim(actionId);
    if (!claimed) return false;
    if (claimed.status !== 'preparing') {
      await runs.releaseLease(this.db, actionId, this.workerId);
      return false;
    }
    return this.freezeClaimed(asAccountId(claimed.accountId), actionId);
  }

  private async freezeClaimed(accountId: AccountId, actionId: number): Promise<boolean> {
    const staged = await this.guard(accountId, actionId, () => this.stage(accountId, actionId));
    if (staged !== 'done') return false;
    const frozen = await this.guard(accountId, actionId, () => this.freeze(accountId, actionId));
    if (frozen !== 'done') return false;
    // Give the lease back: the action may wait for its scheduled time (the sweep starts it then).
    await runs.releaseLease(this.db, actionId, this.workerId);
    return true;
  }

  /** Runs a freeze batch or chunk, retrying a failing one twice; then the action fails with the reason. */
  private async guard(accountId: AccountId, actionId: number, step: () => Promise<Step>): Promise<Step> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (err) {
        if (err instanceof PermanentFailure) {
          await this.failPermanently(accountId, actionId, err);
          return 'stopped';
        }
        if (attempt >= CHUNK_ATTEMPTS) {
          await this.fail(accountId, actionId, err);
          return 'stopped';
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  }

  private async claim(actionId: number) {
    const now = this.clock.now();
    const claimed = await runs.claimLease(
      this.db,
      actionId,
      this.workerId,
      new Date(Date.now() + LEASE_MS),
      now,
      new Date(),
    );
    if (!claimed) return undefined;
    if (claimed.status !== 'preparing') {
      // The audit trail shows the engine's own steps too: started, resumed by a worker after a crash, ended.
      await repo.insertAudit(this.db, {
        actionId,
        accountId: asAccountId(claimed.accountId),
        userId: null,
        event: claimed.firstStart ? 'started' : 'run_resumed',
        details: { worker: this.workerId },
        at: now,
      });
    }
    await notifyBulkChange(this.db, claimed.accountId, actionId);
    return claimed;
  }

  /**
   * The type's work before the freeze (registry.ts `stage`), for types that have one. Its
   * heartbeat renews the lease and stops the step when the action was cancelled or taken over.
   */
  private async stage(accountId: AccountId, actionId: number): Promise<Step> {
    const action = await withTenant(this.db, accountId, (tx) => repo.findAction(tx, accountId, actionId));
    if (!action || action.leaseOwner !== this.workerId) return 'lost';
    if (action.status !== 'preparing') return 'stopped';
    const spec = this.registry.get(action.type);
    if (!spec.stage || action.source?.kind !== 'feature') return 'done';
    let alive = true;
    const heartbeat = async () => {
      alive = await withTenant(this.db, accountId, async (tx) => {
        const now = await repo.findAction(tx, accountId, actionId, true);
        if (!now || now.leaseOwner !== this.workerId || now.status !== 'preparing') return false;
        await runs.renewLease(tx, actionId, new Date(Date.now() + LEASE_MS));
        return true;
      });
      return alive;
    };
    await spec.stage({ db: this.db, action, source: action.source.source, heartbeat });
    return alive && (await heartbeat()) ? 'done' : 'stopped';
  }

  /**
   * Freezes the action's items, batch by batch from where the last batch (of this worker or of one
   * that died) stopped. Each batch: packed item rows + progress + lease, one transaction.
   */
  private async freeze(accountId: AccountId, actionId: number): Promise<Step> {
    for (;;) {
      const step = await withTenant(this.db, accountId, async (tx) => {
        const action = await repo.findAction(tx, accountId, actionId, true);
        if (!action || action.leaseOwner !== this.workerId) return 'lost';
        if (action.status !== 'preparing') return 'stopped';
        const now = this.clock.now();
        const { items, maxSubject } = await this.itemsOf(tx, action);
        const batch = await snapshot.freezeBatch(
          tx,
          { id: actionId, accountId },
          items(action.freezeKey, this.sizes.freeze),
          action.prepared,
          this.sizes.chunk,
          maxSubject,
        );
        const prepared = action.prepared + batch.n;
        await runs.renewLease(tx, actionId, new Date(Date.now() + LEASE_MS));
        if (batch.seen < this.sizes.freeze || batch.last === null) {
          const spec = this.registry.get(action.type);
          const name = action.nameSpec
            ? renderName(
                this.registry,
                { ...action, nameSpec: { ...action.nameSpec, count: prepared } },
                action.nameSpec.lang,
              )
            : null;
          await snapshot.finishFreeze(tx, actionId, prepared, name, now);
          await repo.insertAudit(tx, {
            actionId,
            accountId,
            userId: null,
            event: 'prepared',
            details: { total: prepared },
            at: now,
          });
          if (prepared === 0) await spec.onEnded?.(tx, action, now, 'completed');
          await notifyBulkChange(tx, accountId, actionId);
          return 'done';
        }
        await snapshot.advanceFreeze(tx, actionId, { prepared, freezeKey: batch.last, maxSubject }, now);
        await notifyBulkChange(tx, accountId, actionId);
        return 'more';
      });
      if (step !== 'more') return step;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Where the items of `action` come from, and the highest subject they may include. */
  private async itemsOf(
    tx: Tx,
    action: repo.BulkActionRow,
  ): Promise<{ items: ItemSource; maxSubject: number | null }> {
    const source = action.source;
    if (!source) throw new Error(`Bulk action ${action.id} has no item source`);
    if (source.kind === 'feature') {
      const spec = this.registry.get(action.type);
      const maxSubject = action.maxSubject ?? (spec.maxSubject ? await spec.maxSubject(tx) : null);
      return { items: await spec.items(tx, action, source.source), maxSubject };
    }
    const from = await repo.findAction(tx, asAccountId(action.accountId), source.sourceActionId);
    if (!from) throw new Error(`The source of bulk action ${action.id} is gone`);
    const derivation = this.registry.get(from.type).derive?.[source.control];
    const items =
      derivation?.items?.(from) ??
      (source.control === 'retry_failed'
        ? snapshot.failedItems(from)
        : source.control === 'undo'
          ? snapshot.changedItems(from)
          : undefined);
    if (!items) throw new Error(`A ${from.type} action cannot ${source.control}`);
    return { items, maxSubject: null };
  }

  private async chunk(accountId: AccountId, actionId: number): Promise<Step> {
    return withTenant(this.db, accountId, async (tx) => {
      const action = await repo.findAction(tx, accountId, actionId, true);
      if (!action || action.leaseOwner !== this.workerId) return 'lost';
      if (action.status !== 'in_progress') return 'stopped';
      const spec = this.registry.get(action.type);
      const now = this.clock.now();
      const to = Math.min(action.cursor + this.sizes.chunk, action.total);
      const counts = { succeeded: 0, failed: 0, skipped: 0 };
      if (to > action.cursor) {
        const subjects = await snapshot.chunkSubjects(tx, actionId, action.cursor, to);
        const { outcomes, deferred = 0 } = await spec.chunk(
          tx,
          { action, params: spec.params.parse(action.params), now, firstSeq: action.cursor + 1 },
          subjects,
        );
        await insertOutcomes(tx, action, outcomes, now);
        for (const o of outcomes.values()) counts[o.outcome]++;
        counts.succeeded = subjects.length - outcomes.size - deferred;
      }
      const last = to >= action.total;
      const processed = action.processed + counts.succeeded + counts.failed + counts.skipped;
      // Deliveries still out: the action completes when the last of them is final (settleDelivery).
      const done = last && processed >= action.total;
      await runs.advanceRun(tx, actionId, {
        to,
        counts,
        done,
        release: last,
        owner: this.workerId,
        leaseUntil: new Date(Date.now() + LEASE_MS),
        now,
      });
      await this.duringChunk?.(tx, actionId, action.cursor, to);
      const totals = {
        succeeded: action.succeeded + counts.succeeded,
        failed: action.failed + counts.failed,
        skipped: action.skipped + counts.skipped,
        processed,
      };
      if (done) await this.completed(tx, action, totals, now);
      else await notifyBulkChange(tx, accountId, actionId);
      return done ? 'done' : last ? 'stopped' : 'more';
    });
  }

  /**
   * The end of a completed action, in the transaction that completes it: the type's end hook, the
   * audit entry with the totals, the live update, and the notification when items failed.
   */
  private async completed(
    tx: Tx,
    action: repo.BulkActionRow,
    totals: { succeeded: number; failed: number; skipped: number; processed: number },
    now: Date,
  ): Promise<void> {
    const accountId = asAccountId(action.accountId);
    const told = await this.registry.find(action.type)?.onEnded?.(tx, action, now, 'completed');
    await repo.insertAudit(tx, {
      actionId: action.id,
      accountId,
      userId: null,
      event: 'completed',
      // The action's totals (not the last chunk's), so the audit can say "completed with errors".
      details: totals,
      at: now,
    });
    await notifyBulkChange(tx, accountId, action.id);
    if (totals.failed > 0 && told !== 'notified') {
      // Last in the transaction: notify holds the delivery lock until commit.
      await this.tell(tx, accountId, {
        type: 'bulk_action.finished_with_errors',
        params: {
          action: actionRef(action.id, action.name),
          total: action.total,
          succeeded: totals.succeeded,
          failed: totals.failed,
          skipped: totals.skipped,
        },
        subject: { kind: 'bulk_action', id: String(action.id) },
      });
    }
  }

  /**
   * Counts one item of a delivery type whose delivery reached its final state, in the transaction
   * that writes that state (the delivery kind's `onFinal`): its outcome (failed, or skipped when
   * cancelled), the counters, and the end of the action when it was the last item out.
   */
  async settleDelivery(tx: Tx, row: FinalDelivery): Promise<void> {
    if (row.actionId === null || row.seq === null) return;
    const accountId = asAccountId(row.accountId);
    const action = await repo.findAction(tx, accountId, row.actionId, true);
    if (!action) return;
    const now = this.clock.now();
    const [subject] = await snapshot.chunkSubjects(tx, action.id, row.seq - 1, row.seq);
    if (subject === undefined) return;
    const counts = { succeeded: 0, failed: 0, skipped: 0 };
    if (row.status === 'sent' || row.status === 'outboxed') counts.succeeded = 1;
    else {
      const outcome: ItemOutcome =
        row.status === 'cancelled'
          ? { outcome: 'skipped', reason: 'cancelled' }
          : { outcome: 'failed', reason: row.reason ?? 'failed', details: { error: row.lastError } };
      await insertOutcomes(tx, action, new Map([[subject, outcome]]), now);
      counts[outcome.outcome] = 1;
    }
    const totals = {
      succeeded: action.succeeded + counts.succeeded,
      failed: action.failed + counts.failed,
      skipped: action.skipped + counts.skipped,
      processed: action.processed + 1,
    };
    const done =
      action.cursor >= action.total &&
      totals.processed >= action.total &&
      (action.status === 'in_progress' || action.status === 'paused');
    await runs.countDelivered(tx, action.id, counts, done, now);
    if (done) await this.completed(tx, action, totals, now);
    else await notifyBulkChange(tx, accountId, action.id);
  }

  /**
   * `settleDelivery` for several final deliveries in one transaction (the dispatcher's batches):
   * per action one lock, one read of the subjects, one insert of outcomes and one counter update.
   */
  async settleDeliveries(tx: Tx, finals: readonly FinalDelivery[]): Promise<void> {
    const byAction = new Map<number, FinalDelivery[]>();
    for (const row of finals) {
      if (row.actionId === null || row.seq === null) continue;
      const list = byAction.get(row.actionId) ?? [];
      list.push(row);
      byAction.set(row.actionId, list);
    }
    // Actions locked in id order: two workers settling batches over the same actions cannot deadlock.
    for (const [actionId, list] of [...byAction].sort((a, b) => a[0] - b[0])) {
      const accountId = asAccountId(list[0]!.accountId);
      const action = await repo.findAction(tx, accountId, actionId, true);
      if (!action) continue;
      const now = this.clock.now();
      const subjects = await snapshot.subjectsAt(
        tx,
        actionId,
        list.map((r) => r.seq!),
      );
      const counts = { succeeded: 0, failed: 0, skipped: 0 };
      const outcomes = new Map<number, ItemOutcome>();
      let items = 0;
      for (const row of list) {
        const subject = subjects.get(row.seq!);
        if (subject === undefined) continue;
        items++;
        if (row.status === 'sent' || row.status === 'outboxed') counts.succeeded++;
        else {
          const outcome: ItemOutcome =
            row.status === 'cancelled'
              ? { outcome: 'skipped', reason: 'cancelled' }
              : { outcome: 'failed', reason: row.reason ?? 'failed', details: { error: row.lastError } };
          outcomes.set(subject, outcome);
          counts[outcome.outcome]++;
        }
      }
      if (items === 0) continue;
      await insertOutcomes(tx, action, outcomes, now);
      const totals = {
        succeeded: action.succeeded + counts.succeeded,
        failed: action.failed + counts.failed,
        skipped: action.skipped + counts.skipped,
        processed: action.processed + items,
      };
      const done =
        action.cursor >= action.total &&
        totals.processed >= action.total &&
        (action.status === 'in_progress' || action.status === 'paused');
      await runs.countDelivered(tx, action.id, counts, done, now, items);
      if (done) await this.completed(tx, action, totals, now);
      else await notifyBulkChange(tx, accountId, action.id);
    }
  }

  /** A step that keeps failing fails the action, with the reason; data stays as the last good step left it. */
  private async fail(accountId: AccountId, actionId: number, err: unknown): Promise<void> {
    const message =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    await withTenant(this.db, accountId, async (tx) => {
      const error = `A chunk failed ${CHUNK_ATTEMPTS} times: ${message}`;
      const before = await repo.findAction(tx, accountId, actionId, false);
      await repo.setStatus(tx, actionId, 'failed', this.clock.now(), { finished: true, error });
      await notifyBulkChange(tx, accountId, actionId);
      const told = before
        ? await this.registry.find(before.type)?.onFailed?.(tx, before, 'step_failed', this.clock.now())
        : undefined;
      const action = await repo.findAction(tx, accountId, actionId, false);
      if (action && told !== 'notified') {
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
    accountId: AccountId,
    actionId: number,
    err: PermanentFailure,
  ): Promise<void> {
    await withTenant(this.db, accountId, async (tx) => {
      const action = await repo.findAction(tx, accountId, actionId, true);
      if (!action || (action.status !== 'in_progress' && action.status !== 'preparing')) return;
      const name = err.target?.name;
      const now = this.clock.now();
      const told = await this.registry.find(action.type)?.onFailed?.(tx, action, err.reason, now);
      await failWithReason(
        tx,
        this.notifier,
        accountId,
        action,
        err.reason,
        now,
        err.target && name ? { kind: err.target.kind, name } : undefined,
        told !== 'notified',
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

  /**
   * Actions that should be running but are not: preparing, or due, frozen and queued or running,
   * without a live lease (never started, or their worker died). The sweep re-queues them; the lease
   * makes duplicates harmless, and a freeze goes on from its last batch.
   */
  async findRunnable(): Promise<number[]> {
    return runs.findRunnable(this.db, this.clock.now(), new Date());
  }
}
