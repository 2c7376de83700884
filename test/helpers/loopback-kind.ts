import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../src/server/db/types.ts';
import type { DeliveryKind, SendOutcome } from '../../src/server/engine/delivery/delivery-kinds.ts';

const behaviours = ['ok', 'flaky', 'broken', 'throttled', 'rejected', 'hang'] as const;

/** The subject of a test delivery: a key to find it by, and how the loopback server answers it. */
export const loopbackSubject = z.object({ key: z.string(), behaviour: z.enum(behaviours) });

/** Where `onFinal` writes: one row per final state written, so "exactly once" can be counted. */
export async function createFinalsTable(q: Queryable): Promise<void> {
  await q.execute(sql`CREATE TABLE IF NOT EXISTS delivery_test_finals (
    delivery_id bigint NOT NULL, status text NOT NULL, reason text, attempts integer NOT NULL)`);
}

/**
 * A delivery kind registered from a test: POSTs its subject to a loopback HTTP server and maps the
 * answer (2xx sent, 429 postponed by Retry-After, 5xx or no answer retried, other 4xx failed).
 */
export function loopbackKind(
  url: string,
  options: { name?: string; onExpiredLease?: 'fail' | 'retry'; timeoutMs?: number; retryLimit?: number } = {},
): DeliveryKind<typeof loopbackSubject> {
  return {
    name: options.name ?? 'test_loopback',
    subject: loopbackSubject,
    retry: { limit: options.retryLimit ?? 3, baseMs: 50 },
    timeoutMs: options.timeoutMs ?? 1_000,
    onExpiredLease: options.onExpiredLease ?? 'retry',
    async send(subject, ctx): Promise<SendOutcome> {
      let res: Response;
      try {
        res = await fetch(`${url}/deliver`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: ctx.deliveryId, ...subject }),
          signal: ctx.signal,
        });
        await res.arrayBuffer();
      } catch (err) {
        return { status: 'retry', error: ctx.signal.aborted ? 'timeout' : String(err) };
      }
      if (res.ok) return { status: 'sent', result: { httpStatus: res.status } };
      if (res.status === 429) {
        const seconds = Number(res.headers.get('retry-after') ?? '1');
        return { status: 'retry', error: 'HTTP 429', retryAfterMs: seconds * 1000 };
      }
      if (res.status >= 500) return { status: 'retry', error: `HTTP ${res.status}` };
      return { status: 'failed', reason: 'rejected', error: `HTTP ${res.status}` };
    },
    async onFinal(tx, row) {
      await tx.execute(sql`INSERT INTO delivery_test_finals (delivery_id, status, reason, attempts)
        VALUES (${row.id}, ${row.status}, ${row.reason}, ${row.attempts})`);
    },
  };
}
