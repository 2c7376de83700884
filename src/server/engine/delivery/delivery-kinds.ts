import type { z } from 'zod';
import type { Tx } from '../../db/types.ts';
import { AppError } from '../../errors.ts';

/** What one call to the outside side came to. */
export type SendOutcome =
  /** Accepted. `outboxed`: kept locally instead (the email outbox without SMTP). */
  | { status: 'sent'; result?: unknown; outboxed?: boolean }
  /**
   * Temporary: due again after the kind's backoff, or after `retryAfterMs` when the other side said
   * when (HTTP 429 / Retry-After), which postpones without counting against the retry limit.
   */
  | { status: 'retry'; error: string; retryAfterMs?: number; result?: unknown }
  /** Permanent: `reason` is a stable code, `error` the other side's words. */
  | { status: 'failed'; reason: string; error: string; result?: unknown };

/** What a send gets besides its subject. */
export interface SendContext {
  deliveryId: number;
  accountId: number;
  /** This call's number, 1 for the first. */
  attempt: number;
  /** Aborted when the kind's time limit is up: pass it to the outside call. */
  signal: AbortSignal;
}

/** A delivery row as it is when its final state is written. */
export interface FinalDelivery {
  id: number;
  accountId: number;
  kind: string;
  actionId: number | null;
  seq: number | null;
  subject: unknown;
  status: 'sent' | 'outboxed' | 'failed' | 'cancelled';
  attempts: number;
  reason: string | null;
  lastError: string | null;
  result: unknown;
}

/**
 * One kind of outside call. `send` runs outside any transaction; `onFinal` runs inside the short
 * transaction that writes the final state (a bulk type writes its outcome and counters there).
 */
export interface DeliveryKind<S extends z.ZodType = z.ZodType> {
  name: string;
  /** The row's `subject`, checked before every send (a row that fails it fails: 'invalid_subject'). */
  subject: S;
  send(subject: z.infer<S>, ctx: SendContext): Promise<SendOutcome>;
  /**
   * Runs right before `send`, outside its time limit (bounded by the dispatcher's ADMIT_LIMIT_MS,
   * signalled through `ctx.signal`): waits for what the call needs (a rate-limit token) and checks
   * that it is still wanted now (the action still running, the recipient still reachable). Answers
   * an outcome to settle the row without the call, or null to send. A throw or the time limit is a
   * postponement, not a failure.
   */
  admit?(subject: z.infer<S>, ctx: SendContext): Promise<SendOutcome | null>;
  /** Temporary failures are tried again `limit` times, `baseMs`, 2×, 4× … apart, at most `maxMs`. */
  retry: { limit: number; baseMs: number; maxMs?: number };
  /** The longest one send may take; its lease is this plus a margin. */
  timeoutMs: number;
  /**
   * A send whose lease ran out (its process died mid-call): 'fail' = not sent again, because the
   * other side may have accepted it (reason 'interrupted'); 'retry' = sent again (at least once:
   * duplicates at most the sends that were in flight).
   */
  onExpiredLease: 'fail' | 'retry';
  onFinal?(tx: Tx, row: FinalDelivery): Promise<void>;
  /**
   * Several final states written in one transaction (the dispatcher settles results in batches):
   * must do what `onFinal` does for each row, in order, with fewer statements. Absent: `onFinal`
   * per row.
   */
  onFinalBatch?(tx: Tx, rows: readonly FinalDelivery[]): Promise<void>;
}

/** The kinds a process can send, by name. Features register theirs when services are built. */
export class DeliveryRegistry {
  private readonly kinds = new Map<string, DeliveryKind>();

  /** Adds a kind; its name is what rows of this kind carry in `deliveries.kind`. */
  registerDeliveryKind<S extends z.ZodType>(kind: DeliveryKind<S>): DeliveryKind<S> {
    if (this.kinds.has(kind.name)) {
      throw new AppError('INTERNAL', `Delivery kind '${kind.name}' is registered twice`);
    }
    this.kinds.set(kind.name, kind);
    return kind;
  }

  get(name: string): DeliveryKind | undefined {
    return this.kinds.get(name);
  }

  all(): DeliveryKind[] {
    return [...this.kinds.values()];
  }
}

/** When a temporary failure after `attempts` calls is due again. */
export function backoffMs(kind: DeliveryKind, attempts: number): number {
  const ms = kind.retry.baseMs * 2 ** Math.max(attempts - 1, 0);
  return Math.min(ms, kind.retry.maxMs ?? Number.MAX_SAFE_INTEGER);
}
