// Runs a distribution's pending targets (job `distribution.run`), one tenant transaction per
// target: lock the target row, skip it unless still pending, resolve, write the copy (or set the
// copy's activation), write the result and notify the target account, all or nothing. A worker
// killed mid-way repeats at most the target it was on (its transaction rolled back), and the unique
// origin index makes a second copy impossible anyway. The lease (`lease_until`) is renewed while
// running; `distribution.sweep` re-queues running distributions whose lease expired.
import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { Db, Tx } from '../../db/types.ts';
import { rows } from '../../db/types.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import { retryOnConflict } from '../../db/pg-errors.ts';
import type { AccessService } from '../accounts/access.service.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { DistributionReason, TargetDetail, TargetStatus } from '../../../shared/distribution.ts';
import * as repo from './distributions.repo.ts';
import type { DistributionRow } from './distributions.repo.ts';
import { findCopy, resolveTarget } from './resolver.ts';
import { isDescendant } from '../accounts/account-tree.ts';
import { insertCopy, mailingSendRuns, saveVersion, setCopyActive, updateCopy } from './copies.repo.ts';
import { copyTableOf } from '../substitutes/element-kinds.ts';
import { sourceSummaryEvent, targetResultEvent } from './notices.ts';

/** How long a taken run stays with its worker without renewal (ms of wall time). */
export const LEASE_MS = 20_000;
/** Target rows read per round (each is then done in its own transaction). */
const BATCH = 50;

interface TargetResult {
  status: Exclude<TargetStatus, 'pending'>;
  reason: DistributionReason | null;
  detail: TargetDetail | null;
  copyId: string | null;
}

interface RunContext {
  d: DistributionRow;
  source: { id: number; name: string };
  /** Set when every pending target must fail with it (the creator lost the right). */
  forced: DistributionReason | null;
}

export class DistributionRunner {
  private readonly leaseMs: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly notifier: Notifier,
    options: { leaseMs?: number } = {},
  ) {
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  /**
   * Runs the distribution's pending targets until none is left, then completes it with one source
   * summary. Returns at once when the run is finished or another worker holds its lease.
   */
  async run(distributionId: number): Promise<void> {
    // The worker is not a tenant: it takes the lease on the plain database by id.
    const claimed = await repo.claimLease(
      this.db,
      distributionId,
      this.leaseUntil(),
      new Date(),
      this.clock.now(),
    );
    if (!claimed) return;
    const sourceId = claimed.accountId;
    const d = await withTenant(this.db, asAccountId(sourceId), (tx) =>
      repo.findDistribution(tx, sourceId, distributionId, true),
    );
    if (!d) return;
    const [account] = await rows<{ name: string }>(
      this.db,
      sql`SELECT name FROM accounts WHERE id = ${sourceId}`,
    );
    const creator =
      d.createdBy === null ? null : await this.access.accessTo(d.createdBy, asAccountId(sourceId));
    const ctx: RunContext = {
      d,
      source: { id: sourceId, name: account?.name ?? '' },
      forced: creator?.rights.has('distribution.manage') ? null : 'not_permitted',
    };
    let renewed = Date.now();
    for (;;) {
      const batch = await withTenant(this.db, asAccountId(sourceId), (tx) =>
        repo.pendingTargets(tx, distributionId, BATCH),
      );
      if (!batch.length) break;
      for (const target of batch) {
        await this.runTarget(ctx, target);
        if (Date.now() - renewed > this.leaseMs / 4) {
          await repo.renewLease(this.db, distributionId, this.leaseUntil());
          renewed = Date.now();
        }
      }
    }
    await this.finish(ctx);
  }

  /** Running distributions without a live lease (never started, or their worker died). */
  findRunnable(): Promise<number[]> {
    // Across accounts by design: the sweep serves every account.
    return repo.findRunnable(this.db, new Date());
  }

  private leaseUntil(): Date {
    return new Date(Date.now() + this.leaseMs);
  }

  /**
   * One target in its own transaction; an unexpected error marks it failed (transaction_failed)
   * with its notice in a second one, and when that fails too, without the notice in a third.
   */
  private async runTarget(ctx: RunContext, target: number): Promise<void> {
    const id = ctx.d.id;
    try {
      // A deadlock with a concurrent edit of the copy is no failure of the target: run it again.
      await retryOnConflict(() =>
        withTenant(this.db, asAccountId(target), async (tx) => {
          const onModified = await repo.lockPendingTarget(tx, id, target);
          if (onModified === null) return;
          const result: TargetResult = ctx.forced
            ? { status: 'failed', reason: ctx.forced, detail: null, copyId: null }
            : await this.apply(tx, ctx, target, onModified);
          await this.record(tx, ctx, target, result);
        }),
      );
    } catch (err) {
      const failure: TargetResult = {
        status: 'failed',
        reason: 'transaction_failed',
        detail: { message: rootMessage(err).slice(0, 1000) },
        copyId: null,
      };
      try {
        await withTenant(this.db, asAccountId(target), async (tx) => {
          if ((await repo.lockPendingTarget(tx, id, target)) === null) return;
          await this.record(tx, ctx, target, failure);
        });
      } catch {
        // The target account cannot even take the failure and its notice (a poison target): the
        // bare result row, written in the source account (which owns it), lets the run finish
        // and its summary name the failure. A pending row would keep the run open for ever.
        await withTenant(this.db, asAccountId(ctx.source.id), (tx) =>
          repo.finishTarget(tx, id, target, failure, this.clock.now()),
        );
      }
    }
  }

  private async record(tx: Tx, ctx: RunContext, target: number, result: TargetResult): Promise<void> {
    const at = this.clock.now();
    if (!(await repo.finishTarget(tx, ctx.d.id, target, result, at))) return;
    await this.notifier.notify(
      tx,
      target,
      targetResultEvent({
        element: { kind: ctx.d.elementKind, id: ctx.d.elementId, name: ctx.d.elementName },
        operation: ctx.d.operation,
        source: ctx.source,
        at,
        ...result,
      }),
    );
  }

  /** What the target's transaction writes: the copy (distribute) or the copy's activation. */
  private async apply(
    tx: Tx,
    ctx: RunContext,
    target: number,
    onModified: 'skip' | 'overwrite' | 'keep',
  ): Promise<TargetResult> {
    const { d, source } = ctx;
    if (d.operation !== 'distribute') return this.activation(tx, ctx, target);
    const snapshot = d.snapshot!;
    const r = await resolveTarget(tx, snapshot, source.id, target, onModified, { lockCopy: true });
    const origin = {
      sourceAccountId: source.id,
      sourceId: snapshot.id,
      version: snapshot.version,
      distributionId: d.id,
      userId: d.createdBy,
      at: this.clock.now(),
    };
    switch (r.status) {
      case 'created':
        return {
          status: 'created',
          reason: null,
          detail: null,
          copyId: await insertCopy(tx, target, r.content, origin, snapshot.active ?? true),
        };
      case 'updated':
        await saveVersion(tx, target, snapshot.kind, r.copy.id, d.id);
        await updateCopy(tx, target, r.copy.id, r.content, origin);
        return { status: 'updated', reason: null, detail: null, copyId: r.copy.id };
      case 'unchanged':
        return { status: 'unchanged', reason: null, detail: null, copyId: r.copy.id };
      case 'skipped':
        return { status: 'skipped', reason: r.reason, detail: null, copyId: r.copy.id };
      case 'failed':
        return { status: 'failed', reason: r.reason, detail: r.detail, copyId: r.copy?.id ?? null };
    }
  }

  /** Activation change: sets the copy's `active`, or answers why not. */
  private async activation(tx: Tx, ctx: RunContext, target: number): Promise<TargetResult> {
    const { d, source } = ctx;
    const failed = (reason: DistributionReason, copyId: string | null = null): TargetResult => ({
      status: 'failed',
      reason,
      detail: null,
      copyId,
    });
    if (!(await isDescendant(tx, source.id, target))) return failed('not_descendant');
    const copy = await findCopy(tx, { kind: d.elementKind, id: d.elementId }, source.id, target, true);
    if (!copy) return failed('no_copy');
    const want = d.operation === 'activate';
    const table = copyTableOf(d.elementKind);
    const [row] = await rows<{ active: boolean }>(
      tx,
      sql`SELECT active FROM ${table} WHERE account_id = ${target} AND id = ${copy.id}::bigint`,
    );
    if (Boolean(row?.active) === want)
      return { status: 'unchanged', reason: null, detail: null, copyId: copy.id };
    if (!want && d.elementKind === 'mailing' && (await mailingSendRuns(tx, target, copy.id))) {
      return failed('copy_in_use', copy.id);
    }
    await setCopyActive(tx, target, d.elementKind, copy.id, want);
    return { status: want ? 'activated' : 'deactivated', reason: null, detail: null, copyId: copy.id };
  }

  /** Completes the run once no target is pending, with exactly one summary in the source account. */
  private async finish(ctx: RunContext): Promise<void> {
    const { d, source } = ctx;
    await withTenant(this.db, asAccountId(source.id), async (tx) => {
      const at = this.clock.now();
      if (!(await repo.completeIfDone(tx, d.id, at))) {
        await repo.releaseLease(tx, d.id);
        return;
      }
      const now = await repo.findDistribution(tx, source.id, d.id);
      const c = now!.counts;
      await this.notifier.notify(
        tx,
        source.id,
        sourceSummaryEvent({
          distributionId: d.id,
          element: { kind: d.elementKind, id: d.elementId, name: d.elementName },
          operation: d.operation,
          at,
          succeeded: c.created + c.updated + c.unchanged + c.activated + c.deactivated,
          failed: c.failed,
          skipped: c.skipped,
          failures: await repo.unsuccessfulTargets(tx, d.id, 100),
        }),
      );
    });
  }
}

/** The database's own words: the innermost cause (the driver wraps them with the query and its parameters). */
function rootMessage(err: unknown): string {
  let message = String(err);
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (e instanceof Error) message = e.message;
  }
  return message;
}
