// Idempotency-Key for the creates of bulk actions: the first request with a key does the work and
// its answer is stored; repeats get that answer again. Keys live in bulk_idempotency_keys.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/types.ts';
import { withTenant, type AccountId } from '../db/tenant.ts';
import { AppError } from '../errors.ts';
import type { BulkAction } from '../../shared/bulk-actions.ts';
import * as repo from './idempotency.repo.ts';

/** An Idempotency-Key is answered with the first answer for this long. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
/** A key claimed this long ago and still unanswered belongs to a request that died: it may be claimed again. */
const IDEMPOTENCY_STALE_MS = 10 * 60_000;
/** How long a request waits for a parallel one with the same key to answer. */
const IDEMPOTENCY_WAIT_MS = 30_000;

/** The answer to a create: the status code, the action, and whether it repeats an earlier answer. */
export interface CreatedAnswer {
  statusCode: number;
  action: BulkAction;
  replayed: boolean;
}

/**
 * Runs `work` once per key: a later request with the same key and the same request (`scope` and
 * `body`: the route and what was asked) gets the stored answer again for 24 hours, one with another
 * request gets 409 (`details.reason: idempotency_key_reused`). A request arriving while the first
 * is still working waits for its answer. Keys belong to one user in one account.
 */
export async function runOnce(
  db: Db,
  clock: Clock,
  owner: { accountId: AccountId; userId: number; key: string },
  request: { scope: string; body?: unknown },
  work: () => Promise<BulkAction>,
): Promise<CreatedAnswer> {
  const answer = await runOnceFor(db, clock, owner, request, work, {
    statusCode: 201,
    actionIdOf: (a) => Number(a.id),
  });
  return { statusCode: answer.statusCode, action: answer.answer, replayed: answer.replayed };
}

/**
 * `runOnce` for any answer (a feature's own create or start, e.g. scheduling a mailing): the status
 * code it answers and the bulk action it created, if any, to keep with the key.
 */
export async function runOnceFor<T>(
  db: Db,
  clock: Clock,
  owner: { accountId: AccountId; userId: number; key: string },
  request: { scope: string; body?: unknown },
  work: () => Promise<T>,
  kind: { statusCode: number; actionIdOf(answer: T): number | null },
): Promise<{ statusCode: number; answer: T; replayed: boolean }> {
  const { accountId, userId, key } = owner;
  const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  const waitUntil = Date.now() + IDEMPOTENCY_WAIT_MS;
  for (;;) {
    const now = clock.now();
    const claimed = await withTenant(db, accountId, (tx) =>
      repo.claimIdempotencyKey(
        tx,
        { accountId, userId, key, requestHash, now },
        new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS),
        new Date(now.getTime() - IDEMPOTENCY_STALE_MS),
      ),
    );
    if (claimed) {
      let answer: T;
      try {
        answer = await work();
      } catch (err) {
        // A refused request leaves no trace: the same key may be used once the cause is fixed.
        await withTenant(db, accountId, (tx) => repo.releaseIdempotencyKey(tx, accountId, userId, key));
        throw err;
      }
      await withTenant(db, accountId, (tx) =>
        repo.answerIdempotencyKey(tx, accountId, userId, key, {
          actionId: kind.actionIdOf(answer),
          statusCode: kind.statusCode,
          response: answer,
        }),
      );
      return { statusCode: kind.statusCode, answer, replayed: false };
    }
    const found = await withTenant(db, accountId, (tx) =>
      repo.findIdempotencyKey(tx, accountId, userId, key),
    );
    if (found && found.requestHash !== requestHash) {
      throw new AppError('CONFLICT', 'This Idempotency-Key was already used for another request', {
        reason: 'idempotency_key_reused',
      });
    }
    if (found?.response && found.statusCode !== null) {
      return { statusCode: found.statusCode, answer: found.response as T, replayed: true };
    }
    if (Date.now() > waitUntil) {
      throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still being processed', {
        reason: 'idempotency_key_in_progress',
      });
    }
    // The first request with this key is still working (or just failed and released it).
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** JSON with object keys sorted, so that equal requests hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** Forgets Idempotency-Keys past their 24 hours (they answer nothing any more); run by `bulk.purge`. */
export async function purgeIdempotencyKeys(db: Db, clock: Clock): Promise<void> {
  await repo.deleteKeysBefore(db, new Date(clock.now().getTime() - IDEMPOTENCY_WINDOW_MS));
}
