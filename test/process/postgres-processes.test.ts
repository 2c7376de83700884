// On PostgreSQL, API and job worker run as separate processes sharing one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseConfig } from '../helpers/database.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { createTenant, TEST_PASSWORD } from '../helpers/tenants.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { sseReader } from '../helpers/sse.ts';
import {
  freePort,
  killAllHeralds,
  READY,
  runHerald,
  spawnHerald,
  tempDataDir,
  TEST_SECRET,
  WAIT_MS,
} from './cli.ts';

describe.skipIf(!process.env.DATABASE_URL)(
  '`herald api` and `herald worker` as separate processes on PostgreSQL (needs DATABASE_URL)',
  { timeout: 3 * WAIT_MS },
  () => {
    let env: Record<string, string>;
    let databaseUrl: string;
    const cleanups: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      const { config, drop } = await createTestDatabaseConfig();
      cleanups.push(drop);
      if (config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
      // The data folder must stay unused on PostgreSQL; give it one anyway so nothing lands in the repo.
      const data = await tempDataDir();
      cleanups.push(data.remove);
      databaseUrl = config.url;
      env = { DATABASE_URL: config.url, HERALD_SECRET: TEST_SECRET, HERALD_DATA_DIR: data.dir };
    });

    afterAll(async () => {
      // Children first: dropping the database under them would only add noise to their output.
      await killAllHeralds();
      for (const cleanup of cleanups) await cleanup();
    });

    it('migrates, then serves the API and runs the worker in two processes, and stops both on SIGTERM', async () => {
      const migrate = await runHerald(['migrate'], env);
      expect(migrate, migrate.stderr).toMatchObject({ code: 0, timedOut: false });
      expect(migrate.stdout).toContain('0001_foundation.sql');

      const port = await freePort();
      const api = spawnHerald(['api'], { ...env, PORT: String(port) });
      const worker = spawnHerald(['worker'], env);
      const [apiReady, workerReady] = await Promise.all([
        api.waitForOutput(READY),
        worker.waitForOutput(READY),
      ]);
      expect(apiReady[0]).toMatch(/^Herald api ready in \d+ ms on PostgreSQL: /);
      expect(workerReady[0]).toMatch(/^Herald worker ready in \d+ ms on PostgreSQL\n/);

      const res = await fetch(`http://127.0.0.1:${port}/api/health`, {
        signal: AbortSignal.timeout(WAIT_MS),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', db: 'up' });

      const [apiExit, workerExit] = await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
      expect(apiExit).toEqual({ code: 0, signal: null, forced: false });
      expect(workerExit).toEqual({ code: 0, signal: null, forced: false });
    });

    it("delivers a worker's notification to a stream on the API process, live and after a reconnect, and emails it", async () => {
      expect((await runHerald(['migrate'], env)).code).toBe(0);
      const smtp = await startSmtp();
      cleanups.push(() => smtp.close());
      const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
      cleanups.push(() => database.close());
      const tenant = await createTenant(database.db);

      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const api = spawnHerald(['api'], { ...env, PORT: String(port) });
      const worker = spawnHerald(['worker'], { ...env, SMTP_URL: smtp.url });
      await Promise.all([api.waitForOutput(READY), worker.waitForOutput(READY)]);

      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: tenant.users.owner, password: TEST_PASSWORD }),
      });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${base}/api/accounts/${tenant.subId}${path}`, {
          method,
          headers: {
            cookie,
            'x-csrf-token': csrfToken,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return (await res.json()) as Record<string, unknown>;
      };
      const finished = async (id: unknown) => {
        for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline;) {
          const action = await call('GET', `/bulk-actions/${String(id)}`);
          if (action.status === 'completed') return action;
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error('bulk action did not finish');
      };
      await fetch(`${base}/api/me/settings`, {
        method: 'PATCH',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ emailSystemMessages: true }),
      });

      const stream = await fetch(`${base}/api/me/notifications/events`, { headers: { cookie } });
      const events = sseReader(stream);
      const ready = await events.next((e) => e.event === 'ready', WAIT_MS);

      // The worker deletes two contacts, one email is taken meanwhile, the worker's restore fails for it.
      const a = await call('POST', '/contacts', { email: 'a@example.com' });
      await call('POST', '/contacts', { email: 'b@example.com' });
      const deletion = await call('POST', '/bulk-actions', {
        type: 'delete_contacts',
        selection: { filter: { op: 'and', conditions: [] } },
      });
      await finished(deletion.id);
      await call('POST', '/contacts', { email: 'a@example.com' });
      const restore = await call('POST', `/bulk-actions/${String(deletion.id)}/restore`);
      await finished(restore.id);

      const live = await events.next((e) => e.event === 'notification', WAIT_MS);
      expect(JSON.parse(live.data)).toMatchObject({
        type: 'bulk_action.finished_with_errors',
        params: { failed: 1, succeeded: 1 },
      });
      expect(a.id).toBeDefined();
      await events.cancel();

      // Reconnect from the first event id: the same notification comes again, nothing is lost.
      const again = sseReader(
        await fetch(`${base}/api/me/notifications/events`, {
          headers: { cookie, 'last-event-id': ready.id! },
        }),
      );
      expect((await again.next((e) => e.event === 'notification', WAIT_MS)).id).toBe(live.id);
      await again.cancel();

      for (const deadline = Date.now() + WAIT_MS; smtp.received.length === 0 && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(smtp.received.map((m) => m.to)).toEqual([[tenant.users.owner]]);

      const [apiExit, workerExit] = await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
      expect(apiExit.code).toBe(0);
      expect(workerExit.code).toBe(0);
    });
  },
);
