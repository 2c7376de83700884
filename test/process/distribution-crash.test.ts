// Crash test of the distribution runner: a mailing with its template distributed to 200
// sub-accounts (each with a substitute for the template); a separate worker process is SIGKILLed
// twice mid-way (a trigger makes each target's transaction take a while, so kills land inside
// one) and restarted. At the end each target is done exactly once: 200 copies, every target row
// final, exactly one target_result notification per target account and one source summary.
//
// PostgreSQL only, as the other worker crash tests: the worker is a separate process on one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createTenant } from '../helpers/tenants.ts';
import { systemClock } from '../../src/server/clock.ts';
import { rows, type Db } from '../../src/server/db/types.ts';
import { asAccountId } from '../../src/server/db/tenant.ts';
import { AccessService } from '../../src/server/modules/accounts/access.service.ts';
import { findUserByEmail } from '../../src/server/modules/users/users.repo.ts';
import { DistributionService } from '../../src/server/modules/distribution/distribution.service.ts';
import type { Actor } from '../../src/server/jobs/types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const N = 200;
const WAIT_MS = 120_000;

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startWorker(databaseUrl: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/process/distribution-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, DISTRIBUTION_TEST_DATABASE_URL: databaseUrl, DISTRIBUTION_TEST_LEASE_MS: '1500' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, output: () => output.slice(-4000), exited };
}

async function until(what: string, worker: Worker, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${worker.output()}`);
    await sleep(20);
  }
}

const doneTargets = async (db: Db, id: number) =>
  (
    await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM distribution_targets WHERE distribution_id = ${id} AND status <> 'pending'`,
    )
  )[0]!.n;

describe.skipIf(!process.env.DATABASE_URL)(
  'distribution crash (postgres; PGlite cannot share a database)',
  () => {
    let t: TestDatabase;
    let actor: Actor;
    let agencyId: number;
    let mailingId: number;
    const workers: Worker[] = [];

    beforeAll(async () => {
      t = await createTestDatabase();
      const db = t.database.db;
      const tenant = await createTenant(db);
      agencyId = Number(tenant.agencyId);
      const owner = await findUserByEmail(db, tenant.users.owner);
      const access = await new AccessService(db).accessTo(owner!.id, asAccountId(agencyId));
      actor = { access: access!, userId: owner!.id, language: 'en' };
      // 200 sub-accounts in all (the tenant's own one included), each with a template and the
      // substitute for the agency's template.
      await db.execute(sql`INSERT INTO accounts (name, kind, parent_id)
                         SELECT 'Crash client ' || g, 'sub_account', ${agencyId} FROM generate_series(2, ${N}) g`);
      const [tpl] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO message_templates (account_id, channel, name, subject, html)
          VALUES (${agencyId}, 'email', 'Frame', 'Hello', '<p>Hello</p>') RETURNING id::int AS id`,
      );
      const [mailing] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO mailings (account_id, name, template_id, root_id) VALUES (${agencyId}, 'Crash news', ${tpl!.id}, 0)
          RETURNING id::int AS id`,
      );
      mailingId = mailing!.id;
      await db.execute(sql`INSERT INTO message_templates (account_id, channel, name, subject, html)
                         SELECT id, 'email', 'Local frame', 'Hi', '<p>Hi</p>' FROM accounts WHERE parent_id = ${agencyId}`);
      await db.execute(sql`INSERT INTO substitutes (account_id, source_account_id, kind, source_id, substitute_id)
                         SELECT t.account_id, ${agencyId}, 'email_template', ${tpl!.id}, t.id FROM message_templates t
                         JOIN accounts a ON a.id = t.account_id WHERE a.parent_id = ${agencyId}`);
      // Each copy's transaction takes a while: kills land inside one.
      await db.execute(
        sql.raw(`CREATE FUNCTION crash_slow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(0.03); RETURN NEW; END $$`),
      );
      await db.execute(
        sql.raw(`CREATE TRIGGER crash_slow BEFORE INSERT ON mailings FOR EACH ROW
               WHEN (NEW.origin_id IS NOT NULL) EXECUTE FUNCTION crash_slow()`),
      );
    });
    afterAll(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await t?.dispose();
    });

    it('after SIGKILLs mid-way, each of 200 targets is done exactly once', async () => {
      const db = t.database.db;
      if (t.config.kind !== 'postgres') throw new Error('PostgreSQL only');
      const noJobs = { send: () => Promise.resolve(null) };
      const service = new DistributionService(db, systemClock, noJobs);
      const started = await service.start(actor, agencyId, {
        element: { kind: 'mailing', id: String(mailingId) },
        targets: { mode: 'all' },
      });
      const id = Number(started.id);
      expect(started.counts.total).toBe(N);

      const seen: number[] = [];
      for (const fraction of [0.2, 0.55]) {
        const worker = startWorker(t.config.url);
        workers.push(worker);
        const goal = Math.round(N * fraction);
        await until(`${goal} targets done`, worker, async () => (await doneTargets(db, id)) >= goal);
        await sleep(Math.floor(Math.random() * 40));
        worker.child.kill('SIGKILL');
        await worker.exited;
        seen.push(await doneTargets(db, id));
      }
      expect(seen[1]!).toBeLessThan(N);

      const last = startWorker(t.config.url);
      workers.push(last);
      await until('the distribution to complete', last, async () => {
        const [row] = await rows<{ status: string }>(
          db,
          sql`SELECT status FROM distributions WHERE id = ${id}`,
        );
        return row!.status === 'completed';
      });

      const statuses = await rows<{ status: string; n: number }>(
        db,
        sql`SELECT status, count(*)::int AS n FROM distribution_targets WHERE distribution_id = ${id} GROUP BY status`,
      );
      expect(statuses).toEqual([{ status: 'created', n: N }]);
      const [copies] = await rows<{ n: number; accounts: number }>(
        db,
        sql`SELECT count(*)::int AS n, count(DISTINCT account_id)::int AS accounts FROM mailings
          WHERE origin_account_id = ${agencyId} AND origin_id = ${mailingId}`,
      );
      expect(copies).toEqual({ n: N, accounts: N });
      const [wrongTemplate] = await rows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM mailings m
          WHERE m.origin_id = ${mailingId} AND NOT EXISTS (SELECT 1 FROM message_templates t
            WHERE t.account_id = m.account_id AND t.id = m.template_id AND t.name = 'Local frame')`,
      );
      expect(wrongTemplate!.n).toBe(0);
      const perAccount = await rows<{ n: number; accounts: number }>(
        db,
        sql`SELECT n, count(*)::int AS accounts FROM (
            SELECT account_id, count(*)::int AS n FROM notifications
            WHERE type = 'distribution.target_result' GROUP BY account_id) x GROUP BY n`,
      );
      expect(perAccount).toEqual([{ n: 1, accounts: N }]);
      const [summaries] = await rows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM notifications WHERE account_id = ${agencyId} AND type = 'distribution.source_summary'`,
      );
      expect(summaries!.n).toBe(1);
    }, 300_000);
  },
);
