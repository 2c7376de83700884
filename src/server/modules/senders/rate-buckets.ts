// Token buckets in the database (`rate_buckets`), one per transport, shared by every worker process.
// A bucket holds up to `burst` tokens (= the rate per second, at least 1) and refills by elapsed
// time × rate. A take is one upsert … RETURNING: it subtracts the tokens wanted at once and may
// leave the bucket in debt; the taker then waits until the debt is paid off (debt / rate) before
// using them. So across all processes no more than burst + rate × elapsed tokens are ever granted,
// and waiting takers are served in the order they took. To keep the hot row cheap at 1,000+ msg/s
// each process takes small batches into a local reserve that expires ~1 s after it became usable
// (unused tokens are lost, never handed out late in a burst).
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';

export interface RateBucketOptions {
  /**
   * Bucket time in ms for the SQL (tests pass a clock they move); default: the database's
   * clock_timestamp(), which every process shares.
   */
  now?: () => number;
  /** Local time for the reserve; default Date.now (or `now` when given). */
  localNow?: () => number;
  /** Waits `ms` (rejects when `signal` aborts); tests pass one that moves their clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How long reserved tokens stay usable after they became available. */
  reserveMs?: number;
  /** Largest batch one take asks for. */
  maxBatch?: number;
}

interface Reserve {
  tokens: number;
  availableAt: number;
  expiresAt: number;
  filling: Promise<void> | null;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('Aborted');
}

/** Tokens one take asks for: about 50 ms worth of the rate, at least 1, at most the burst. */
export function batchFor(rate: number, maxBatch = 100): number {
  return Math.max(1, Math.min(Math.floor(burstFor(rate)), maxBatch, Math.ceil(rate / 20)));
}

/** A bucket's capacity: one second's worth, at least one token. */
export function burstFor(rate: number): number {
  return Math.max(1, rate);
}

/**
 * Takes `n` tokens from the bucket `key` (created full on first use) in one statement; answers the
 * bucket's tokens after the take (negative: debt, to wait for).
 */
export async function takeTokens(
  q: Queryable,
  key: string,
  rate: number,
  n: number,
  nowMs?: number,
): Promise<number> {
  const burst = burstFor(rate);
  const now =
    nowMs === undefined ? sql`clock_timestamp()` : sql`${new Date(nowMs).toISOString()}::timestamptz`;
  const [row] = await rows<{ tokens: number }>(
    q,
    sql`INSERT INTO rate_buckets AS b (key, tokens, updated_at)
        VALUES (${key}, ${burst}::float8 - ${n}::float8, ${now})
        ON CONFLICT (key) DO UPDATE SET
          tokens = LEAST(${burst}::float8,
                         b.tokens + ${rate}::float8 * GREATEST(0, EXTRACT(EPOCH FROM (${now} - b.updated_at))::float8))
                   - ${n}::float8,
          updated_at = GREATEST(b.updated_at, ${now})
        RETURNING tokens`,
  );
  return Number(row?.tokens ?? 0);
}

/** The per-process side of the shared buckets: a reserve per key, one take in flight per key. */
export class RateBuckets {
  private readonly reserves = new Map<string, Reserve>();
  private readonly localNow: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly reserveMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly q: Queryable,
    private readonly options: RateBucketOptions = {},
  ) {
    this.localNow = options.localNow ?? options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.reserveMs = options.reserveMs ?? 1_000;
    this.maxBatch = options.maxBatch ?? 100;
  }

  /** Waits until the bucket `key` (at `rate` per second) grants one token; rejects when `signal` aborts. */
  async acquire(key: string, rate: number, signal?: AbortSignal): Promise<void> {
    let reserve = this.reserves.get(key);
    if (!reserve) {
      reserve = { tokens: 0, availableAt: 0, expiresAt: 0, filling: null };
      this.reserves.set(key, reserve);
    }
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const now = this.localNow();
      if (reserve.tokens > 0 && now < reserve.expiresAt) {
        reserve.tokens--;
        if (now < reserve.availableAt) await this.sleep(reserve.availableAt - now, signal);
        return;
      }
      const r = reserve;
      r.filling ??= this.refill(key, rate, r).finally(() => {
        r.filling = null;
      });
      await (signal ? raceAbort(r.filling, signal) : r.filling);
    }
  }

  private async refill(key: string, rate: number, reserve: Reserve): Promise<void> {
    const n = batchFor(rate, this.maxBatch);
    const tokens = await takeTokens(this.q, key, rate, n, this.options.now?.());
    const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens / rate) * 1000);
    const now = this.localNow();
    reserve.tokens = n;
    reserve.availableAt = now + waitMs;
    reserve.expiresAt = reserve.availableAt + this.reserveMs;
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
