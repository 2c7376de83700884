// Crash test of the delivery outbox: a worker process sending N deliveries to a loopback HTTP
// server is SIGKILLed while sends are in flight, another worker takes over. Every delivery must end
// in a final state exactly once, and the server must have seen each at most once, except the sends
// that were in flight at the kill (at most the worker's concurrency), which the at-least-once test
// kind sends again once their lease ran out.
//
// PostgreSQL only: the worker is a separate process on the same database; embedded PGlite is one
// process's in-memory database that no second process can open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startLoopback, type LoopbackServer } from '../helpers/loopback-http.ts';
import { createFinalsTable, loopbackKind } from '../helpers/loopback-kind.ts';
import { rows } from '../../src/server/db/types.ts';
import { insertAccount } from '../../src/server/modules/accounts/accounts.repo.ts';
import { enqueueDeliveries } from '../../src/server/engine/delivery/delivery-outbox.ts';
import { WAIT_MS } from './cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const N = 60;
const CONCURRENCY = 4;
/** The server holds every answer this long, so a kill finds sends in flight. */
const ANSWER_DELAY_MS = 300;
/** Lease = time limit + margin: short, so the second worker takes over soon after the kill. */
const TIMEOUT_MS = 1_500;
const LEASE_MARGIN_MS = 500;

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startWorker(databaseUrl: string, loopbackUrl: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/process/delivery-worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DELIVERY_TEST_DATABASE_URL: databaseUrl,
      DELIVERY_TEST_LOOPBACK_URL: loopbackUrl,
      DELIVERY_TEST_CONCURRENCY: String(CONCURRENCY),
      DELIVERY_TEST_TIMEOUT_MS: String(TIMEOUT_MS),
      DELIVERY_TEST_LEASE_MARGIN_MS: String(LEASE_MARGIN_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, output: () => output, exited };
}

/** Polls `check` every 20 ms until it is true; fails with `what` after WAIT_MS. */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.skipIf(!process.env.DATABASE_URL)(
  'delivery outbox crash (postgres; PGlite cannot share a database)',
  () => {
    let t: TestDatabase;
    let server: LoopbackServer;
    const workers: Worker[] = [];

    beforeAll(async () => {
      t = await createTestDatabase();
      server = await startLoopback({ okDelayMs: ANSWER_DELAY_MS });
      await createFinalsTable(t.database.db);
    });
    afterAll(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await server?.close();
      await t?.dispose();
    });

    it('ends every delivery exactly once after a SIGKILL mid-flight, re-sending at most the in-flight ones', async () => {
      const db = t.database.db;
      const config = t.config;
      if (config.kind !== 'postgres') throw new Error('PostgreSQL only');
      const accountId = await insertAccount(db, { name: 'Crash', kind: 'agency', parentId: null });
      const kind = loopbackKind(server.url);
      const ids = await enqueueDeliveries(
        db,
        kind,
        Array.from({ length: N }, (_, i) => ({
          accountId,
          subject: { key: `crash-${i}`, behaviour: 'ok' as const },
        })),
      );
      expect(ids).toHaveLength(N);

      const first = startWorker(config.url, server.url);
      workers.push(first);
      await until('the first worker to send a third of the deliveries', () => {
        if (first.child.exitCode !== null) throw new Error(`worker exited: ${first.output()}`);
        return server.requests.length >= N / 3;
      });
      first.child.kill('SIGKILL');
      await first.exited;
      const receivedAtKill = server.requests.length;
      const states = async () =>
        new Map(
          (
            await rows<{ status: string; n: number }>(
              db,
              sql`SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`,
            )
          ).map((r) => [r.status, r.n]),
        );
      const atKill = await states();
      // The kill landed mid-flight: some sent, some not started, some claimed and in flight.
      expect(receivedAtKill).toBeGreaterThan(0);
      expect(receivedAtKill).toBeLessThan(N);
      expect(atKill.get('sending') ?? 0).toBeGreaterThan(0);
      expect(atKill.get('sending') ?? 0).toBeLessThanOrEqual(CONCURRENCY);
      expect(atKill.get('pending') ?? 0).toBeGreaterThan(0);

      const second = startWorker(config.url, server.url);
      workers.push(second);
      await until('every delivery to be final', async () => {
        if (second.child.exitCode !== null) throw new Error(`worker exited: ${second.output()}`);
        const now = await states();
        return (now.get('pending') ?? 0) + (now.get('sending') ?? 0) === 0;
      });

      const final = await rows<{ id: number; status: string; attempts: number }>(
        db,
        sql`SELECT id, status, attempts FROM deliveries ORDER BY id`,
      );
      expect(final.map((r) => r.status)).toEqual(Array<string>(N).fill('sent'));
      // onFinal ran exactly once per delivery (in the transaction that wrote the final state).
      const finals = await rows<{ id: number; n: number }>(
        db,
        sql`SELECT delivery_id AS id, count(*)::int AS n FROM delivery_test_finals GROUP BY delivery_id`,
      );
      expect(finals).toHaveLength(N);
      expect(finals.every((f) => f.n === 1)).toBe(true);

      // The server saw every delivery, each once, except the ones in flight at the kill.
      const hits = new Map<number, number>();
      for (const r of server.requests) hits.set(r.id, (hits.get(r.id) ?? 0) + 1);
      expect([...hits.keys()].sort((a, b) => a - b)).toEqual(ids.map(Number).sort((a, b) => a - b));
      const duplicates = [...hits.values()].reduce((sum, n) => sum + (n - 1), 0);
      expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
      // The in-flight ones really were taken over after their lease ran out (a second attempt).
      const resent = final.filter((r) => r.attempts > 1);
      expect(resent.length).toBeGreaterThan(0);
      expect(resent.length).toBeLessThanOrEqual(CONCURRENCY);
      expect(final.every((r) => r.attempts <= 2)).toBe(true);
    }, 120_000);
  },
);
