import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db, Tx } from '../../db/types.ts';
import {
  backoffMs,
  type DeliveryKind,
  type DeliveryRegistry,
  type FinalDelivery,
  type SendOutcome,
} from './delivery-kinds.ts';
import {
  claimDue,
  lockExpiredLeases,
  settleClaim,
  settleClaims,
  type ClaimedDelivery,
  type DeliveryState,
} from './delivery.repo.ts';

/** Added to a kind's time limit for its lease: the result must be written before the lease ends. */
const LEASE_MARGIN_MS = 30_000;
/** How long past its time limit a send that ignores its abort signal is waited for. */
const HARD_TIMEOUT_GRACE_MS = 5_000;
/**
 * The longest a kind's `admit` may wait (for a rate-limit token). With the send's own limit and its
 * grace it stays inside the lease margin, so a row waiting for its turn never looks abandoned.
 */
const ADMIT_LIMIT_MS = 15_000;
/** Postponements the other side may ask for (429) before a row fails. */
const POSTPONE_LIMIT = 100;
const SWEEP_BATCH = 500;
/** Results written in one transaction at most (they queue while the previous batch is written). */
const SETTLE_BATCH = 200;

/** A send's result waiting to be written. */
interface Settling {
  kind: DeliveryKind;
  row: ClaimedDelivery;
  state: DeliveryState;
  done: () => void;
}

export interface DispatchOptions {
  /** Sends in flight at once in this process. */
  concurrency: number;
  /** Names this process's claims (diagnostics; also what makes a claim its own). */
  workerId?: string;
  /** Overrides LEASE_MARGIN_MS (tests of lease expiry use a short one). */
  leaseMarginMs?: number;
}

/** What one dispatch round did. */
export interface DispatchStats {
  sent: number;
  retried: number;
  failed: number;
  /** Rows found with an expired lease: sent again ('retry' kinds) or failed ('fail' kinds). */
  expired: number;
}

type Timed = { timedOut: true };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * What the other side said, made storable: PostgreSQL's text and jsonb refuse NUL characters and
 * lone surrogates (a reply cut in the middle of an emoji), and a result that can never be written
 * would leave its row 'sending' until the lease sweep sends it again.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map((v: unknown) => storable(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storable(v)])) as T;
  }
  return value;
}

/**
 * Sends the outbox's due rows: claims as many as it has free slots (each claim its own committed
 * statement), makes the outside calls with no transaction or row lock held, and writes each result
 * in its own short transaction (with the kind's `onFinal` when the row reaches a final state).
 * A crash leaves only the rows in flight 'sending'; their lease runs out and the sweep handles
 * them by the kind's policy.
 */
export class DeliveryDispatcher {
  readonly workerId: string;
  private readonly leaseMarginMs: number;
  private readonly settling: Settling[] = [];
  private writer: Promise<void> | null = null;
  private stopping = false;
  private readonly rounds = new Set<Promise<DispatchStats>>();

  constructor(
    private readonly db: Db,
    private readonly registry: DeliveryRegistry,
    private readonly options: DispatchOptions,
  ) {
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMarginMs = options.leaseMarginMs ?? LEASE_MARGIN_MS;
  }

  /**
   * Graceful stop: no round claims anything any more, and this resolves once every send in flight
   * has its result written. A stop therefore leaves no row 'sending' whose lease would later send
   * it again (only a crash does).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.rounds]);
  }

  /** Sweeps expired leases, then sends until nothing is due (or `budgetMs` has passed), then returns. */
  run(budgetMs = 50_000): Promise<DispatchStats> {
    if (this.stopping) return Promise.resolve({ sent: 0, retried: 0, failed: 0, expired: 0 });
    const round = this.round(budgetMs).finally(() => this.rounds.delete(round));
    this.rounds.add(round);
    return round;
  }

  private async round(budgetMs: number): Promise<DispatchStats> {
    const stats: DispatchStats = { sent: 0, retried: 0, failed: 0, expired: await this.sweepExpired() };
    const kinds = this.registry
      .all()
      .map((k) => ({ name: k.name, leaseMs: k.timeoutMs + this.leaseMarginMs }));
    const deadline = Date.now() + budgetMs;
    const inflight = new Set<Promise<void>>();
    // Claims wait for a few free slots (one claim statement for several sends), except when idle.
    const claimAt = Math.max(1, Math.floor(this.options.concurrency / 4));
    for (;;) {
      const free = this.options.concurrency - inflight.size;
      const claimed =
        !this.stopping && free > 0 && (free >= claimAt || inflight.size === 0) && Date.now() < deadline
          ? await claimDue(this.db, { workerId: this.workerId, now: new Date(), limit: free, kinds })
          : [];
      for (const row of claimed) {
        const sending: Promise<void> = this.deliver(row, stats).finally(() => inflight.delete(sending));
        inflight.add(sending);
      }
      if (inflight.size === 0) return stats;
      // Fewer due than free slots, or too few free: claim again once a send finishes.
      if (claimed.length < free || claimed.length === 0) await Promise.race(inflight);
    }
  }

  /**
   * Settles rows whose lease ran out (the process sending them died): a 'retry' kind's row is due
   * again at once (unless its retries are used up), a 'fail' kind's row fails as 'interrupted'.
   * Rows of kinds this process does not know are left to a process that does.
   */
  async sweepExpired(): Promise<number> {
    let settled = 0;
    for (;;) {
      const count = await this.db.transaction(async (tx) => {
        const now = new Date();
        const known = this.registry.all().map((k) => k.name);
        const expired = await lockExpiredLeases(tx, known, now, SWEEP_BATCH);
        let handled = 0;
        for (const row of expired) {
          const kind = this.registry.get(row.kind);
          if (!kind) continue;
          const error = 'Interrupted while sending (the sending process stopped)';
          const state: DeliveryState =
            kind.onExpiredLease === 'retry'
              ? row.attempts - row.postponements > kind.retry.limit
                ? { status: 'failed', reason: 'retries_exhausted', lastError: error, finishedAt: now }
                : { status: 'pending', dueAt: now, lastError: error, reason: null, finishedAt: null }
              : {
                  status: 'failed',
                  reason: 'interrupted',
                  lastError: `${error}; not sent again to avoid a duplicate`,
                  finishedAt: now,
                };
          const final = await settleClaim(tx, row.id, null, state);
          if (final && state.status !== 'pending') await kind.onFinal?.(tx, final);
          handled++;
        }
        return { handled, full: expired.length === SWEEP_BATCH };
      });
      settled += count.handled;
      if (!count.full) return settled;
    }
  }

  /**
   * One row: the outside call, then its result. Results are written in batches: each waits for
   * the batch it joined to commit. Never rejects (a failure to record is logged; the lease runs out
   * and the sweep decides, as after a crash).
   */
  private async deliver(row: ClaimedDelivery, stats: DispatchStats): Promise<void> {
    const kind = this.registry.get(row.kind)!;
    const outcome = storable(await this.call(kind, row));
    const state = this.stateAfter(kind, row, outcome);
    await new Promise<void>((done) => {
      this.settling.push({ kind, row, state, done });
      this.writer ??= this.writeResults();
    });
    if (state.status === 'pending') stats.retried++;
    else if (state.status === 'failed') stats.failed++;
    else stats.sent++;
  }

  /**
   * Writes queued results, a batch per transaction, until none is left. The writer is forgotten in
   * the same synchronous step that finds the queue empty: a result queued a moment later starts a
   * new writer instead of waiting for one that has already finished (it would wait forever).
   */
  private async writeResults(): Promise<void> {
    try {
      while (this.settling.length) {
        // Let results that already arrived join this batch (one transaction for all of them).
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.settling.splice(0, SETTLE_BATCH);
        try {
          await this.db.transaction((tx) => this.settleBatch(tx, batch));
        } catch {
          // One bad row must not hold the others: each on its own.
          for (const item of batch) {
            try {
              await this.db.transaction((tx) => this.settleBatch(tx, [item]));
            } catch (e) {
              console.error(
                `[deliveries] ${item.row.kind} #${item.row.id}: ${e instanceof Error ? e.message : String(e)}`,
              );
            }
          }
        }
        for (const item of batch) item.done();
      }
    } finally {
      // Reached in the step whose check found the queue empty (no await in between).
      this.writer = null;
    }
  }

  /** The results of `batch` in transaction `tx`, and the kinds' final hooks. */
  private async settleBatch(tx: Tx, batch: readonly Settling[]): Promise<void> {
    const finals = await settleClaims(
      tx,
      this.workerId,
      batch.map((b) => ({ id: b.row.id, state: b.state })),
    );
    const byKind = new Map<DeliveryKind, FinalDelivery[]>();
    const kindOf = new Map(batch.map((b) => [b.row.id, b.kind]));
    for (const final of finals) {
      // Due again (a retry): not final, nothing to count.
      if ((final.status as string) === 'pending') continue;
      const kind = kindOf.get(final.id)!;
      const list = byKind.get(kind) ?? [];
      list.push(final);
      byKind.set(kind, list);
    }
    for (const [kind, list] of byKind) {
      if (kind.onFinalBatch) await kind.onFinalBatch(tx, list);
      else for (const final of list) await kind.onFinal?.(tx, final);
    }
  }

  /** The kind's send, bounded by its time limit; a throw is a temporary failure. */
  private async call(kind: DeliveryKind, row: ClaimedDelivery): Promise<SendOutcome> {
    const subject = kind.subject.safeParse(row.subject);
    if (!subject.success) {
      return { status: 'failed', reason: 'invalid_subject', error: subject.error.message };
    }
    if (kind.admit) {
      try {
        const verdict = await kind.admit(subject.data, {
          deliveryId: row.id,
          accountId: row.accountId,
          attempt: row.attempts,
          signal: AbortSignal.timeout(ADMIT_LIMIT_MS),
        });
        if (verdict) return verdict;
      } catch (err) {
        // Waited too long for a token (or could not check): try later, without counting a failure.
        return {
          status: 'retry',
          error: err instanceof Error ? err.message : String(err),
          retryAfterMs: 1_000,
        };
      }
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const abort = setTimeout(() => controller.abort(new Error('Timed out')), kind.timeoutMs);
    const hard = new Promise<Timed>((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), kind.timeoutMs + HARD_TIMEOUT_GRACE_MS);
    });
    try {
      const ctx = {
        deliveryId: row.id,
        accountId: row.accountId,
        attempt: row.attempts,
        signal: controller.signal,
      };
      const outcome = await Promise.race([kind.send(subject.data, ctx), hard]);
      if ('timedOut' in outcome) {
        // The call may still be under way: as uncertain as a send whose process died.
        const error = `No answer within ${kind.timeoutMs} ms`;
        return kind.onExpiredLease === 'retry'
          ? { status: 'retry', error }
          : { status: 'failed', reason: 'timeout', error };
      }
      return outcome;
    } catch (err) {
      return { status: 'retry', error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(abort);
      clearTimeout(timer);
    }
  }

  /** The row's next state: final, or due again after the backoff (or the other side's Retry-After). */
  private stateAfter(kind: DeliveryKind, row: ClaimedDelivery, outcome: SendOutcome): DeliveryState {
    const now = new Date();
    switch (outcome.status) {
      case 'sent':
        return {
          status: outcome.outboxed ? 'outboxed' : 'sent',
          lastError: null,
          reason: null,
          result: outcome.result ?? null,
          finishedAt: now,
        };
      case 'failed':
        return {
          status: 'failed',
          lastError: outcome.error,
          reason: outcome.reason,
          result: outcome.result,
          finishedAt: now,
        };
      case 'retry': {
        const postponed = outcome.retryAfterMs !== undefined;
        const counted = row.attempts - row.postponements - (postponed ? 1 : 0);
        if (postponed ? row.postponements + 1 > POSTPONE_LIMIT : counted > kind.retry.limit) {
          return {
            status: 'failed',
            lastError: outcome.error,
            reason: postponed ? 'postponed_too_often' : 'retries_exhausted',
            result: outcome.result,
            finishedAt: now,
          };
        }
        const wait = postponed ? Math.max(outcome.retryAfterMs!, 0) : backoffMs(kind, counted);
        return {
          status: 'pending',
          dueAt: new Date(now.getTime() + wait),
          lastError: outcome.error,
          reason: null,
          result: outcome.result,
          finishedAt: null,
          postponed,
        };
      }
    }
  }
}
