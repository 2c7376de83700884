// Crash test of bulk email: 10,000 recipients; a separate worker process (bulk runner + delivery
// dispatcher, sending to a real SMTP server on loopback) is SIGKILLed at random points several
// times and restarted. Afterwards every recipient has received the message (distinct Message-IDs at
// the server), duplicates are at most the messages in flight at the kills, and the ledger and the
// action's counters are exact.
//
// PostgreSQL only: the workers are separate processes on one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createTenant } from '../helpers/tenants.ts';
import { startBulkSmtp, type BulkSmtp } from '../helpers/bulk-smtp.ts';
import { systemClock } from '../../src/server/clock.ts';
import { rows, type Db } from '../../src/server/db/types.ts';
import { asAccountId } from '../../src/server/db/tenant.ts';
import { AccessService } from '../../src/server/modules/accounts/access.service.ts';
import { findUserByEmail } from '../../src/server/modules/users/users.repo.ts';
import { BulkActionsService } from '../../src/server/engine/actions.service.ts';
import { BulkTypeRegistry } from '../../src/server/engine/registry.ts';
import { SelectionService } from '../../src/server/modules/selections/selection.service.ts';
import { messagingKinds } from '../../src/server/modules/messaging/messaging-kinds.ts';
import { registerMessagingBulkTypes } from '../../src/server/modules/messaging/messaging-bulk-types.ts';
import { MessagingService } from '../../src/server/modules/messaging/messaging.service.ts';
import { SecretBox } from '../../src/server/security/secret-box.ts';
import type { MessagingChannels } from '../../src/server/modules/senders/channels.ts';
import type { Actor } from '../../src/server/jobs/types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const N = 10_000;
const CHUNK = 1_000;
const CONCURRENCY = 32;
/** The server holds every answer this long, so that kills find messages in flight. */
const ANSWER_DELAY_MS = 5;
const TIMEOUT_MS = 5_000;
const LEASE_MARGIN_MS = 1_000;
const SECRET = 'crash-secret-0123456789-0123456789';
const WAIT_MS = 120_000;

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startWorker(databaseUrl: string, smtpUrl: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/process/messaging-worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MESSAGING_TEST_DATABASE_URL: databaseUrl,
      MESSAGING_TEST_SMTP_URL: smtpUrl,
      MESSAGING_TEST_SECRET: SECRET,
      MESSAGING_TEST_CHUNK: String(CHUNK),
      MESSAGING_TEST_CONCURRENCY: String(CONCURRENCY),
      MESSAGING_TEST_TIMEOUT_MS: String(TIMEOUT_MS),
      MESSAGING_TEST_LEASE_MARGIN_MS: String(LEASE_MARGIN_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, output: () => output.slice(-4000), exited };
}

async function until(what: string, worker: Worker, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${worker.output()}`);
    await sleep(20);
  }
}

const actionRow = async (db: Db, id: number) =>
  (
    await rows<{
      status: string;
      cursor: number;
      total: number;
      processed: number;
      succeeded: number;
      failed: number;
      skipped: number;
    }>(
      db,
      sql`SELECT status, cursor, total, processed, succeeded, failed, skipped FROM bulk_actions WHERE id = ${id}`,
    )
  )[0]!;

describe.skipIf(!process.env.DATABASE_URL)(
  'bulk email crash (postgres; PGlite cannot share a database)',
  () => {
    let t: TestDatabase;
    let smtp: BulkSmtp;
    let actor: Actor;
    let accountId: number;
    const workers: Worker[] = [];

    beforeAll(async () => {
      t = await createTestDatabase();
      smtp = await startBulkSmtp();
      smtp.delayMs = ANSWER_DELAY_MS;
      const db = t.database.db;
      const tenant = await createTenant(db);
      accountId = Number(tenant.subId);
      const owner = await findUserByEmail(db, tenant.users.owner);
      const access = await new AccessService(db).accessTo(owner!.id, asAccountId(accountId));
      actor = { access: access!, userId: owner!.id, language: 'en' };
      await db.execute(sql`INSERT INTO contacts (account_id, email, first_name)
                         SELECT ${accountId}, 'r' || g || '@crash.example', 'R' || g FROM generate_series(1, ${N}) g`);
    });
    afterAll(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await smtp?.close();
      await t?.dispose();
    });

    it('delivers to every recipient after SIGKILLs at random points, duplicates at most those in flight', async () => {
      const db = t.database.db;
      const config = t.config;
      if (config.kind !== 'postgres') throw new Error('PostgreSQL only');

      // Started through the messaging service, as the route does; the workers freeze, chunk and send.
      const types = new BulkTypeRegistry();
      const selections = new SelectionService(db, systemClock);
      const none: MessagingChannels = {
        email: () => Promise.reject(new Error('not here')),
        sms: async () => null,
        acquire: async () => undefined,
        close: () => undefined,
      };
      const kinds = messagingKinds({
        db,
        clock: systemClock,
        secrets: new SecretBox(SECRET),
        publicUrl: 'https://herald.example',
        channels: () => none,
      });
      registerMessagingBulkTypes(types, selections, kinds);
      const noJobs = { send: () => Promise.resolve(null) };
      const bulk = new BulkActionsService(db, systemClock, noJobs, types);
      const messaging = new MessagingService(
        db,
        selections,
        bulk,
        types,
        () => none,
        'Shop <news@shop.example>',
      );
      const ids = await rows<{ id: number }>(
        db,
        sql`SELECT id::int FROM contacts WHERE account_id = ${accountId} ORDER BY id`,
      );
      const action = await messaging.create(actor, {
        channel: 'email',
        selection: { contactIds: ids.map((r) => String(r.id)) },
        content: { subject: 'Hello {{ first_name }}', html: '<p>Dear {{ first_name }}, our news.</p>' },
      });
      const actionId = Number(action.id);

      const inFlightAtKills: number[] = [];
      const kill = async (worker: Worker) => {
        worker.child.kill('SIGKILL');
        await worker.exited;
        await sleep(300);
        const [row] = await rows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM deliveries WHERE action_id = ${actionId} AND status = 'sending'`,
        );
        inFlightAtKills.push(row!.n);
      };

      // Four kills at random points: the first while chunks are likely still being added.
      let received = 0;
      for (let k = 0; k < 4; k++) {
        const worker = startWorker(config.url, smtp.url);
        workers.push(worker);
        const target = received + 300 + Math.floor(Math.random() * 1_500);
        await until(`${target} messages at the server`, worker, () => smtp.accepted.length >= target);
        await sleep(Math.floor(Math.random() * 50));
        await kill(worker);
        received = smtp.accepted.length;
        expect((await actionRow(db, actionId)).status).toBe('in_progress');
      }
      expect(received).toBeLessThan(N);

      const last = startWorker(config.url, smtp.url);
      workers.push(last);
      await until('the action to complete', last, async () => {
        const status = (await actionRow(db, actionId)).status;
        if (status !== 'in_progress' && status !== 'completed') throw new Error(`action ${status}`);
        return status === 'completed';
      });

      // Every recipient got the message: one distinct Message-ID per contact.
      const distinct = new Set(smtp.accepted.map((m) => m.messageId));
      expect(distinct.size).toBe(N);
      expect(new Set(smtp.accepted.map((m) => m.to)).size).toBe(N);
      for (const r of ids) expect(distinct.has(`<a${actionId}.c${r.id}@shop.example>`)).toBe(true);
      // Duplicates only of messages in flight at a kill.
      const duplicates = smtp.accepted.length - distinct.size;
      expect(duplicates).toBeLessThanOrEqual(inFlightAtKills.reduce((a, b) => a + b, 0));
      expect(inFlightAtKills.some((n) => n > 0)).toBe(true);

      // Ledger and counters exact.
      expect(await actionRow(db, actionId)).toEqual({
        status: 'completed',
        cursor: N,
        total: N,
        processed: N,
        succeeded: N,
        failed: 0,
        skipped: 0,
      });
      const ledger = await rows<{ status: string; n: number }>(
        db,
        sql`SELECT status, count(*)::int AS n FROM messages WHERE action_id = ${actionId} GROUP BY status`,
      );
      expect(ledger).toEqual([{ status: 'sent', n: N }]);
      const deliveries = await rows<{ status: string; n: number }>(
        db,
        sql`SELECT status, count(*)::int AS n FROM deliveries WHERE action_id = ${actionId} GROUP BY status`,
      );
      expect(deliveries).toEqual([{ status: 'sent', n: N }]);
    }, 600_000);
  },
);
