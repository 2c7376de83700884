// Crash test of a delivery TYPE on the bulk engine: a worker process runs both the bulk runner
// (whose chunks add one delivery per item to the outbox) and the delivery dispatcher (which sends
// them to a loopback HTTP server that accepts, fails with 500 then accepts, refuses with 422, or
// never answers in time). It is SIGKILLed twice: once while chunks are still being added and
// deliveries are out, once after the last chunk while deliveries are out; each time another worker
// takes over. The action must complete with every item counted exactly once (a final delivery or
// a skip outcome each), and the server must have seen each item as often as its answers require,
// plus at most once more for each kill it was in flight at.
//
// PostgreSQL only: the workers are separate processes on one database; embedded PGlite is one
// process's in-memory database that no second process can open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startLoopback, type LoopbackServer } from '../helpers/loopback-http.ts';
import { createFinalsTable, loopbackKind } from '../helpers/loopback-kind.ts';
import { createTenant } from '../helpers/tenants.ts';
import {
  itemBehaviour,
  itemKey,
  LOOPBACK_BULK_TYPE,
  registerLoopbackBulkType,
} from '../helpers/loopback-bulk-type.ts';
import { systemClock } from '../../src/server/clock.ts';
import { rows, type Db } from '../../src/server/db/types.ts';
import { asAccountId } from '../../src/server/db/tenant.ts';
import { AccessService } from '../../src/server/modules/accounts/access.service.ts';
import { findUserByEmail } from '../../src/server/modules/users/users.repo.ts';
import { BulkActionsService } from '../../src/server/engine/actions.service.ts';
import { BulkTypeRegistry } from '../../src/server/engine/registry.ts';
import type { Actor } from '../../src/server/jobs/types.ts';
import { WAIT_MS } from './cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Items 1..N: see `itemBehaviour` for what the server answers each. */
const N = 120;
/** Ten items per chunk, each chunk held open a while: chunks are still being added when sends begin. */
const CHUNK = 10;
const CHUNK_DELAY_MS = 150;
const CONCURRENCY = 4;
/** The server holds every accepting answer this long, so a kill finds sends in flight. */
const ANSWER_DELAY_MS = 300;
/** The kind's time limit (the hanging items run past it); lease = limit + margin. */
const TIMEOUT_MS = 1_500;
const LEASE_MARGIN_MS = 500;
const RETRY_LIMIT = 3;
/** Calls an item takes without any kill: a 'flaky' one fails twice first; a 'hang' one uses every retry. */
const CALLS: Partial<Record<string, number>> = { ok: 1, rejected: 1, flaky: 3, hang: RETRY_LIMIT + 1 };

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startWorker(databaseUrl: string, loopbackUrl: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/process/bulk-delivery-worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      BULK_DELIVERY_TEST_DATABASE_URL: databaseUrl,
      BULK_DELIVERY_TEST_LOOPBACK_URL: loopbackUrl,
      BULK_DELIVERY_TEST_CHUNK: String(CHUNK),
      BULK_DELIVERY_TEST_CHUNK_DELAY_MS: String(CHUNK_DELAY_MS),
      BULK_DELIVERY_TEST_CONCURRENCY: String(CONCURRENCY),
      BULK_DELIVERY_TEST_TIMEOUT_MS: String(TIMEOUT_MS),
      BULK_DELIVERY_TEST_LEASE_MARGIN_MS: String(LEASE_MARGIN_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, output: () => output, exited };
}

/** Polls `check` every 20 ms until it is true; fails with `what` after WAIT_MS or when `worker` exits. */
async function until(what: string, worker: Worker, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${worker.output()}`);
    await sleep(20);
  }
}

interface ActionRow {
  status: string;
  cursor: number;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

const actionRow = async (db: Db, id: number): Promise<ActionRow> => {
  const [row] = await rows<ActionRow>(
    db,
    sql`SELECT status, cursor, total, processed, succeeded, failed, skipped FROM bulk_actions WHERE id = ${id}`,
  );
  return row!;
};

interface DeliveryRow {
  id: number;
  seq: number;
  status: string;
  reason: string | null;
  attempts: number;
}

const deliveriesOf = (db: Db, actionId: number): Promise<DeliveryRow[]> =>
  rows<DeliveryRow>(
    db,
    sql`SELECT id::int, seq, status, reason, attempts FROM deliveries WHERE action_id = ${actionId} ORDER BY seq`,
  );

describe.skipIf(!process.env.DATABASE_URL)(
  'delivery type crash (postgres; PGlite cannot share a database)',
  () => {
    let t: TestDatabase;
    let server: LoopbackServer;
    let actor: Actor;
    const workers: Worker[] = [];

    beforeAll(async () => {
      t = await createTestDatabase();
      server = await startLoopback({ okDelayMs: ANSWER_DELAY_MS });
      const db = t.database.db;
      await createFinalsTable(db);
      const tenant = await createTenant(db);
      const owner = await findUserByEmail(db, tenant.users.owner);
      const access = await new AccessService(db).accessTo(owner!.id, asAccountId(Number(tenant.subId)));
      actor = { access: access!, userId: owner!.id, language: 'en' };
    });
    afterAll(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await server?.close();
      await t?.dispose();
    });

    it('counts every item exactly once after SIGKILLs while chunks are added and while deliveries are out', async () => {
      const db = t.database.db;
      const config = t.config;
      if (config.kind !== 'postgres') throw new Error('PostgreSQL only');

      // Started through the engine's front, as its feature would: the workers freeze and run it.
      const types = new BulkTypeRegistry();
      registerLoopbackBulkType(types, loopbackKind(server.url, { name: 'test_crash_ping_http' }));
      const noJobs = { send: () => Promise.resolve(null) };
      const bulk = new BulkActionsService(db, systemClock, noJobs, types);
      const actionId = Number(
        (
          await bulk.start(actor, {
            type: LOOPBACK_BULK_TYPE,
            params: {},
            source: { upTo: N },
            expected: N,
            details: {},
          })
        ).id,
      );

      /** SIGKILLs `worker`, then reads what it left: the deliveries in flight, and the action. */
      const kill = async (worker: Worker) => {
        worker.child.kill('SIGKILL');
        await worker.exited;
        // Let PostgreSQL see the dead connections (their open chunk transaction rolls back).
        await sleep(300);
        const left = await deliveriesOf(db, actionId);
        return {
          action: await actionRow(db, actionId),
          sending: left.filter((d) => d.status === 'sending').map((d) => d.seq),
          pending: left.filter((d) => d.status === 'pending').length,
          received: server.requests.length,
        };
      };

      // Kill 1: deliveries of the first chunks are out while later chunks are still being added.
      const first = startWorker(config.url, server.url);
      workers.push(first);
      await until('the first deliveries to arrive', first, () => server.requests.length >= 2);
      const kill1 = await kill(first);
      expect(kill1.action.status).toBe('in_progress');
      expect(kill1.action.total).toBe(N);
      expect(kill1.action.cursor).toBeGreaterThan(0);
      expect(kill1.action.cursor).toBeLessThan(N);
      expect(kill1.sending.length).toBeGreaterThan(0);
      expect(kill1.sending.length).toBeLessThanOrEqual(CONCURRENCY);

      // Kill 2: another worker sends what is out, resumes the chunks once the dead worker's action
      // lease ran out, adds the last one, and dies while deliveries are out again.
      const second = startWorker(config.url, server.url);
      workers.push(second);
      await until('the second worker to add the last chunk', second, async () => {
        const a = await actionRow(db, actionId);
        return a.cursor >= a.total;
      });
      const kill2 = await kill(second);
      expect(kill2.received).toBeGreaterThan(kill1.received);
      expect(kill2.sending.length).toBeGreaterThan(0);
      expect(kill2.sending.length).toBeLessThanOrEqual(CONCURRENCY);
      expect(kill2.pending + kill2.sending.length).toBeGreaterThan(0);
      expect(kill2.action.status).toBe('in_progress');
      const resumed = await rows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM bulk_action_audit WHERE action_id = ${actionId} AND event = 'run_resumed'`,
      );
      expect(resumed[0]!.n).toBeGreaterThan(0);

      // A third worker takes over the deliveries in flight at the kill and completes the action.
      const third = startWorker(config.url, server.url);
      workers.push(third);
      await until('the action to complete', third, async () => {
        const status = (await actionRow(db, actionId)).status;
        if (status !== 'in_progress' && status !== 'completed') throw new Error(`action ${status}`);
        return status === 'completed';
      });

      // What each item should come to, by its answers.
      const items = Array.from({ length: N }, (_, i) => ({ n: i + 1, behaviour: itemBehaviour(i + 1) }));
      const sentItems = items.filter((i) => i.behaviour === 'ok' || i.behaviour === 'flaky');
      const failedItems = items.filter((i) => i.behaviour === 'rejected' || i.behaviour === 'hang');
      const skippedItems = items.filter((i) => i.behaviour === 'skip');
      expect(failedItems.some((i) => i.behaviour === 'hang')).toBe(true);

      // The counters: every item once.
      const action = await actionRow(db, actionId);
      expect(action).toEqual({
        status: 'completed',
        cursor: N,
        total: N,
        processed: N,
        succeeded: sentItems.length,
        failed: failedItems.length,
        skipped: skippedItems.length,
      });
      expect(action.succeeded + action.failed + action.skipped).toBe(action.total);

      // One final delivery per item with an address, none for the skipped ones.
      const deliveries = await deliveriesOf(db, actionId);
      expect(deliveries.map((d) => d.seq)).toEqual(
        items.filter((i) => i.behaviour !== 'skip').map((i) => i.n),
      );
      const expectedEnd = (b: string) =>
        b === 'rejected'
          ? ['failed', 'rejected']
          : b === 'hang'
            ? ['failed', 'retries_exhausted']
            : ['sent', null];
      expect(deliveries.map((d) => [d.seq, d.status, d.reason])).toEqual(
        items.filter((i) => i.behaviour !== 'skip').map((i) => [i.n, ...expectedEnd(i.behaviour)]),
      );
      expect(deliveries.every((d) => d.attempts <= RETRY_LIMIT + 1)).toBe(true);

      // The counters agree with the deliveries table and the outcome rows, item by item.
      const outcomes = await rows<{ subject: number; outcome: string; reason: string }>(
        db,
        sql`SELECT subject_id::int AS subject, outcome, reason FROM bulk_action_outcomes
            WHERE action_id = ${actionId} ORDER BY subject_id`,
      );
      expect(action.succeeded).toBe(deliveries.filter((d) => d.status === 'sent').length);
      expect(outcomes.filter((o) => o.outcome === 'failed').map((o) => [o.subject, o.reason])).toEqual(
        deliveries.filter((d) => d.status === 'failed').map((d) => [d.seq, d.reason]),
      );
      expect(outcomes.filter((o) => o.outcome === 'skipped').map((o) => [o.subject, o.reason])).toEqual(
        skippedItems.map((i) => [i.n, 'no_address']),
      );
      expect(outcomes).toHaveLength(action.failed + action.skipped);

      // Each delivery's final state was written (and counted) exactly once.
      const finals = await rows<{ id: number; n: number }>(
        db,
        sql`SELECT f.delivery_id::int AS id, count(*)::int AS n FROM delivery_test_finals f
            JOIN deliveries d ON d.id = f.delivery_id WHERE d.action_id = ${actionId}
            GROUP BY f.delivery_id ORDER BY f.delivery_id`,
      );
      expect(finals).toEqual(deliveries.map((d) => ({ id: d.id, n: 1 })).sort((a, b) => a.id - b.id));

      // The server saw each item as often as its answers require, plus at most once for each kill
      // it was in flight at; the skipped never.
      const inFlightAt = (n: number) => [kill1, kill2].filter((k) => k.sending.includes(n)).length;
      let duplicates = 0;
      for (const { n, behaviour } of items) {
        const hits = server.hits(itemKey(actionId, n));
        if (behaviour === 'skip') expect(hits, `item ${n}`).toBe(0);
        else if (behaviour === 'hang') {
          // Every call counts as an attempt, whether it arrived or its worker died first.
          expect(hits, `item ${n}`).toBeGreaterThan(0);
          expect(hits, `item ${n}`).toBeLessThanOrEqual(CALLS.hang!);
        } else {
          const extra = hits - CALLS[behaviour]!;
          expect(extra, `item ${n} (${behaviour}) called ${hits} times`).toBeGreaterThanOrEqual(0);
          expect(extra, `item ${n} (${behaviour}) called ${hits} times`).toBeLessThanOrEqual(inFlightAt(n));
          duplicates += extra;
        }
      }
      expect(duplicates).toBeLessThanOrEqual(kill1.sending.length + kill2.sending.length);
      console.log(
        `[bulk-delivery-crash] kill 1 at item ${kill1.action.cursor}/${N} with ${kill1.sending.length} in flight, ` +
          `kill 2 with ${kill2.sending.length} in flight; ${duplicates} sent twice`,
      );
    }, 180_000);
  },
);
