// The shared token buckets on the real database (PGlite or PostgreSQL), with a clock the test
// moves: grants never exceed burst + rate × elapsed, whoever takes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { rows } from '../../db/types.ts';
import { batchFor, RateBuckets, takeTokens, type RateBucketOptions } from './rate-buckets.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.dispose();
});

/** A clock only the test moves: sleeping moves it to the sleeper's wake time (never backwards). */
function manualTime(start = Date.parse('2026-11-30T09:00:00Z')) {
  const time = { now: start };
  const options: RateBucketOptions = {
    now: () => time.now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason as Error;
      const target = time.now + ms;
      await Promise.resolve();
      time.now = Math.max(time.now, target);
    },
  };
  return { time, options, start };
}

/** Checks at every grant: grants so far ≤ burst + rate × elapsed. */
function assertWithinRate(grants: number[], start: number, rate: number) {
  const sorted = [...grants].sort((a, b) => a - b);
  sorted.forEach((at, i) => {
    const allowed = Math.max(1, rate) + (rate * (at - start)) / 1000;
    expect(i + 1, `grant ${i + 1} at +${at - start} ms`).toBeLessThanOrEqual(allowed + 1e-6);
  });
}

describe('rate buckets in the database', () => {
  it('a take is one statement: full at first, refilled by elapsed time, never above the burst', async () => {
    const key = 'test:take';
    const t0 = Date.parse('2026-11-30T09:00:00Z');
    expect(await takeTokens(db.database.db, key, 5, 2, t0)).toBe(3);
    expect(await takeTokens(db.database.db, key, 5, 4, t0)).toBe(-1); // in debt: wait 0.2 s
    expect(await takeTokens(db.database.db, key, 5, 1, t0 + 1_000)).toBe(3); // -1 + 5 - 1
    expect(await takeTokens(db.database.db, key, 5, 1, t0 + 60_000)).toBe(4); // capped at 5, minus 1
    const [row] = await rows<{ tokens: number }>(
      db.database.db,
      sql`SELECT tokens FROM rate_buckets WHERE key = ${key}`,
    );
    expect(Number(row?.tokens)).toBe(4);
  });

  it('one process: 60 grants at 10/s take their time, none ahead of the rate', async () => {
    const { time, options, start } = manualTime();
    const buckets = new RateBuckets(db.database.db, options);
    const grants: number[] = [];
    for (let i = 0; i < 60; i++) {
      await buckets.acquire('test:one', 10, undefined);
      grants.push(time.now);
    }
    assertWithinRate(grants, start, 10);
    // And the limiter does grant at the rate: 60 tokens at 10/s with a burst of 10 need 5 s.
    expect(time.now - start).toBeGreaterThanOrEqual(5_000);
    expect(time.now - start).toBeLessThanOrEqual(6_000);
  });

  it('two limiters (as two processes) on one bucket share the rate, batches included', async () => {
    const { time, options, start } = manualTime();
    const rate = 200; // batches of 10
    expect(batchFor(rate)).toBe(10);
    const a = new RateBuckets(db.database.db, options);
    const b = new RateBuckets(db.database.db, options);
    const grants: number[] = [];
    const worker = async (limiter: RateBuckets) => {
      for (let i = 0; i < 300; i++) {
        await limiter.acquire('test:two', rate);
        grants.push(time.now);
      }
    };
    // Several waiters per process, as a dispatcher with concurrency has.
    await Promise.all([worker(a), worker(a), worker(b), worker(b)]);
    expect(grants).toHaveLength(1_200);
    assertWithinRate(grants, start, rate);
    // 1,200 at 200/s with a burst of 200 need at least 5 s of the clock.
    expect(time.now - start).toBeGreaterThanOrEqual(5_000);
  });

  it('without sharing the row, two limiters would have doubled the rate (the check can fail)', async () => {
    const { time, options, start } = manualTime();
    const a = new RateBuckets(db.database.db, options);
    const b = new RateBuckets(db.database.db, options);
    const grants: number[] = [];
    const worker = async (limiter: RateBuckets, key: string) => {
      for (let i = 0; i < 30; i++) {
        await limiter.acquire(key, 10);
        grants.push(time.now);
      }
    };
    await Promise.all([worker(a, 'test:apart-a'), worker(b, 'test:apart-b')]);
    expect(() => assertWithinRate(grants, start, 10)).toThrow();
  });

  it('an abort while waiting for a token rejects the acquire', async () => {
    const buckets = new RateBuckets(db.database.db); // real time
    await buckets.acquire('test:abort', 0.5); // the one token of the burst
    const controller = new AbortController();
    const waiting = buckets.acquire('test:abort', 0.5, controller.signal); // next in 2 s
    setTimeout(() => controller.abort(new Error('paused')), 20);
    await expect(waiting).rejects.toThrow('paused');
  });
});
