// The delivery outbox against a real HTTP server on loopback, with a delivery kind registered from
// this test file (the engine is not edited to add it): answers 200, 500, 429 with Retry-After, a
// permanent 4xx, and no answer at all; leases that ran out; a bulk action's pause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../../test/helpers/database.ts';
import {
  startLoopback,
  type Behaviour,
  type LoopbackServer,
} from '../../../../test/helpers/loopback-http.ts';
import { createFinalsTable, loopbackKind } from '../../../../test/helpers/loopback-kind.ts';
import { rows, type Db } from '../../db/types.ts';
import { insertAccount } from '../../modules/accounts/accounts.repo.ts';
import { DeliveryRegistry } from './delivery-kinds.ts';
import { DeliveryDispatcher } from './delivery-dispatcher.ts';
import { enqueueDeliveries } from './delivery-outbox.ts';
import { cancelPendingOfAction } from './delivery.repo.ts';

interface Row {
  id: number;
  key: string;
  status: string;
  attempts: number;
  postponements: number;
  reason: string | null;
  lastError: string | null;
}

const CONCURRENCY = 4;

describe(`delivery outbox (${ENGINE})`, () => {
  let t: TestDatabase;
  let server: LoopbackServer;
  let accountId: number;
  let registry: DeliveryRegistry;
  let dispatcher: DeliveryDispatcher;
  const db = (): Db => t.database.db;
  let retrying: ReturnType<typeof loopbackKind>;
  let once: ReturnType<typeof loopbackKind>;

  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startLoopback({ okDelayMs: 100 });
    await createFinalsTable(db());
    accountId = await insertAccount(db(), { name: 'Deliveries', kind: 'agency', parentId: null });
    registry = new DeliveryRegistry();
    retrying = registry.registerDeliveryKind(loopbackKind(server.url, { timeoutMs: 300, retryLimit: 2 }));
    once = registry.registerDeliveryKind(
      loopbackKind(server.url, { name: 'test_loopback_once', onExpiredLease: 'fail', timeoutMs: 300 }),
    );
    dispatcher = new DeliveryDispatcher(db(), registry, { concurrency: CONCURRENCY });
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  const enqueue = (behaviour: Behaviour, key: string, extra: { actionId?: number; seq?: number } = {}) =>
    enqueueDeliveries(db(), retrying, [{ accountId, subject: { key, behaviour }, dedupeKey: key, ...extra }]);

  const byKeys = (prefix: string) =>
    rows<Row>(
      db(),
      sql`SELECT id, subject ->> 'key' AS key, status, attempts, postponements, reason, last_error AS "lastError"
          FROM deliveries WHERE subject ->> 'key' LIKE ${`${prefix}%`} ORDER BY id`,
    );

  const finalsOf = async (ids: number[]) =>
    rows<{ deliveryId: number; status: string; n: number }>(
      db(),
      sql`SELECT delivery_id AS "deliveryId", min(status) AS status, count(*)::int AS n FROM delivery_test_finals
          WHERE delivery_id = ANY(${`{${ids.join(',')}}`}::bigint[]) GROUP BY delivery_id ORDER BY delivery_id`,
    );

  /** Dispatch rounds (as the job runs them) until no row of `prefix` is open, bounded. */
  async function dispatchUntilDone(prefix: string, limitMs = 20_000): Promise<Row[]> {
    const until = Date.now() + limitMs;
    for (;;) {
      await dispatcher.run();
      const now = await byKeys(prefix);
      if (now.every((r) => !['pending', 'sending'].includes(r.status)) || Date.now() > until) return now;
      await sleep(100);
    }
  }

  it('brings every delivery to exactly one final state, with the attempts its answers call for', async () => {
    const plan: [string, Behaviour][] = [
      ...Array.from({ length: 12 }, (_, i): [string, Behaviour] => [`a-ok-${i}`, 'ok']),
      ['a-flaky', 'flaky'],
      ['a-broken', 'broken'],
      ['a-throttled', 'throttled'],
      ['a-rejected', 'rejected'],
      ['a-hang', 'hang'],
    ];
    for (const [key, behaviour] of plan) await enqueue(behaviour, key);
    // The same key again adds nothing ("never twice").
    expect(await enqueue('ok', 'a-ok-0')).toEqual([]);

    const final = await dispatchUntilDone('a-');
    const of = (key: string) => final.find((r) => r.key === key)!;
    expect(final).toHaveLength(plan.length);
    for (let i = 0; i < 12; i++) expect(of(`a-ok-${i}`)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(of('a-flaky')).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(of('a-throttled')).toMatchObject({ status: 'sent', attempts: 2, postponements: 1 });
    expect(of('a-rejected')).toMatchObject({
      status: 'failed',
      attempts: 1,
      reason: 'rejected',
      lastError: 'HTTP 422',
    });
    // Retry limit 2: the first call and two retries.
    expect(of('a-broken')).toMatchObject({ status: 'failed', attempts: 3, reason: 'retries_exhausted' });
    expect(of('a-hang')).toMatchObject({
      status: 'failed',
      attempts: 3,
      reason: 'retries_exhausted',
      lastError: 'timeout',
    });
    // The outside side saw each call once; onFinal ran once per row, with the final status.
    for (const row of final) expect(server.hits(row.key), row.key).toBe(row.attempts);
    const finals = await finalsOf(final.map((r) => r.id));
    expect(finals).toEqual(final.map((r) => ({ deliveryId: r.id, status: r.status, n: 1 })));
    // Sends ran side by side, never more than the limit.
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(server.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
  });

  it('a graceful stop claims nothing more and writes every result of the sends in flight', async () => {
    // A generous time limit: on a loaded machine a 300 ms one would time out and retry sends.
    const patient = registry.registerDeliveryKind(
      loopbackKind(server.url, { name: 'test_loopback_patient', timeoutMs: 10_000, retryLimit: 2 }),
    );
    const keys = Array.from({ length: 12 }, (_, i) => `stop-${i}`);
    for (const key of keys) {
      await enqueueDeliveries(db(), patient, [
        { accountId, subject: { key, behaviour: 'ok' }, dedupeKey: key },
      ]);
    }
    const stopping = new DeliveryDispatcher(db(), registry, { concurrency: CONCURRENCY });
    const round = stopping.run();
    // Stop once the first sends are out (each takes okDelayMs = 100 ms at the server).
    while (!server.requests.some((r) => r.key.startsWith('stop-'))) await sleep(5);
    await stopping.stop();
    await round;
    const after = await byKeys('stop-');
    // Nothing is left 'sending' (whose lease would send it again), and what the server received is
    // exactly what is recorded as sent; the rest was never claimed.
    expect(after.filter((r) => r.status === 'sending')).toEqual([]);
    const sent = after.filter((r) => r.status === 'sent').map((r) => r.key);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(keys.length);
    expect(keys.filter((k) => server.hits(k) > 0).sort()).toEqual([...sent].sort());
    expect(after.filter((r) => r.status === 'pending').every((r) => r.attempts === 0)).toBe(true);
    expect(await stopping.run()).toEqual({ sent: 0, retried: 0, failed: 0, expired: 0 });
    // Another process sends the rest, once each.
    const done = await dispatchUntilDone('stop-');
    expect(done.every((r) => r.status === 'sent')).toBe(true);
    expect(keys.every((k) => server.hits(k) === 1)).toBe(true);
  });

  it('writes a result whose words PostgreSQL could not store as they are (NUL, a cut emoji)', async () => {
    const garbled = registry.registerDeliveryKind({
      name: 'test_garbled_reply',
      subject: z.object({ key: z.string() }),
      send: async () => ({
        status: 'failed',
        reason: 'rejected',
        error: 'bad\u0000 reply \uD83D',
        result: { response: ['\u0000250', 'cut \uDE00 off'] },
      }),
      retry: { limit: 0, baseMs: 10 },
      timeoutMs: 1_000,
      onExpiredLease: 'retry',
    });
    await enqueueDeliveries(db(), garbled, [
      { accountId, subject: { key: 'garbled-1' }, dedupeKey: 'garbled-1' },
    ]);
    await dispatcher.run();
    const [row] = await byKeys('garbled-');
    expect(row).toMatchObject({ status: 'failed', reason: 'rejected', lastError: 'bad reply \uFFFD' });
  });

  it('holds no transaction or row lock during the outside call', async () => {
    const seen: { status: string; locked: boolean }[] = [];
    server.onRequest = async (request) => {
      if (!request.key.startsWith('b-')) return;
      const [row] = await db().transaction(async (tx) => {
        try {
          return await rows<{ status: string }>(
            tx,
            sql`SELECT status FROM deliveries WHERE id = ${request.id} FOR UPDATE NOWAIT`,
          );
        } catch {
          return [{ status: 'locked' }];
        }
      });
      seen.push({ status: row!.status, locked: row!.status === 'locked' });
    };
    try {
      await enqueue('ok', 'b-probe');
      const [row] = await dispatchUntilDone('b-');
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    } finally {
      server.onRequest = undefined;
    }
    // During the call the claim was committed ('sending', seen from another transaction) and unlocked.
    expect(seen).toEqual([{ status: 'sending', locked: false }]);
  });

  it("sends a bulk action's deliveries only while the action is in progress", async () => {
    const action = async (status: string) =>
      Number(
        (
          await rows<{ id: number }>(
            db(),
            sql`INSERT INTO bulk_actions (account_id, type, name, status, created_at, updated_at)
                VALUES (${accountId}, 'add_tag', 'deliveries', ${status}, now(), now()) RETURNING id`,
          )
        )[0]!.id,
      );
    const paused = await action('paused');
    for (let seq = 1; seq <= 3; seq++) await enqueue('ok', `c-held-${seq}`, { actionId: paused, seq });
    await dispatcher.run();
    expect((await byKeys('c-held-')).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(server.hits('c-held-1')).toBe(0);

    await db().execute(sql`UPDATE bulk_actions SET status = 'in_progress' WHERE id = ${paused}`);
    expect((await dispatchUntilDone('c-held-')).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);

    // Cancel: rows not yet claimed end cancelled, without a call.
    const cancelled = await action('paused');
    await enqueue('ok', 'c-cancel-1', { actionId: cancelled, seq: 1 });
    const gone = await db().transaction((tx) => cancelPendingOfAction(tx, cancelled, new Date()));
    expect(gone.map((r) => r.status)).toEqual(['cancelled']);
    await db().execute(sql`UPDATE bulk_actions SET status = 'in_progress' WHERE id = ${cancelled}`);
    await dispatcher.run();
    expect(server.hits('c-cancel-1')).toBe(0);
  });

  it('a send in flight when its action is cancelled, answering "try again", ends cancelled, not pending for ever', async () => {
    const [created] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO bulk_actions (account_id, type, name, status, created_at, updated_at)
          VALUES (${accountId}, 'add_tag', 'cancelled in flight', 'in_progress', now(), now()) RETURNING id`,
    );
    const actionId = Number(created!.id);
    let started!: () => void;
    let release!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const answer = new Promise<void>((resolve) => (release = resolve));
    const held = registry.registerDeliveryKind({
      name: 'test_held_retry',
      subject: z.object({ key: z.string() }),
      send: async () => {
        started();
        await answer;
        return { status: 'retry', error: 'try again later' };
      },
      retry: { limit: 5, baseMs: 10 },
      timeoutMs: 10_000,
      onExpiredLease: 'retry',
    });
    await enqueueDeliveries(db(), held, [
      { accountId, actionId, seq: 1, subject: { key: 'held-1' }, dedupeKey: 'held-1' },
    ]);
    const round = dispatcher.run();
    await inFlight;
    await db().execute(sql`UPDATE bulk_actions SET status = 'cancelled' WHERE id = ${actionId}`);
    await db().transaction((tx) => cancelPendingOfAction(tx, actionId, new Date()));
    release();
    await round;
    expect(await byKeys('held-')).toEqual([
      expect.objectContaining({ status: 'cancelled', reason: 'cancelled' }),
    ]);
  });

  it("settles sends whose lease ran out by the kind's policy: sent again, or failed as interrupted", async () => {
    await enqueue('ok', 'd-again');
    await enqueueDeliveries(db(), once, [{ accountId, subject: { key: 'd-once', behaviour: 'ok' } }]);
    // As a worker that died mid-call leaves them: claimed once, lease over.
    await db().execute(sql`
      UPDATE deliveries SET status = 'sending', attempts = 1, lease_owner = 'dead-worker',
        lease_until = now() - interval '1 second'
      WHERE subject ->> 'key' IN ('d-again', 'd-once')`);
    // A lease still running is left alone.
    await enqueue('ok', 'd-running');
    await db().execute(sql`
      UPDATE deliveries SET status = 'sending', attempts = 1, lease_owner = 'live-worker',
        lease_until = now() + interval '1 hour'
      WHERE subject ->> 'key' = 'd-running'`);

    const stats = await dispatcher.run();
    expect(stats.expired).toBe(2);
    const [again, once_, running] = await byKeys('d-');
    expect(again).toMatchObject({ status: 'sent', attempts: 2 });
    expect(once_).toMatchObject({ status: 'failed', attempts: 1, reason: 'interrupted' });
    expect(once_!.lastError).toMatch(/not sent again/);
    expect(running).toMatchObject({ status: 'sending', attempts: 1 });
    expect([server.hits('d-again'), server.hits('d-once'), server.hits('d-running')]).toEqual([1, 0, 0]);
    expect((await finalsOf([again!.id, once_!.id])).map((f) => [f.status, f.n])).toEqual([
      ['sent', 1],
      ['failed', 1],
    ]);
  });
});
