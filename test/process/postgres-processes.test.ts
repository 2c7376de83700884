// On PostgreSQL, API and job worker run as separate processes sharing one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseConfig } from '../helpers/database.ts';
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
    const cleanups: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      const { config, drop } = await createTestDatabaseConfig();
      cleanups.push(drop);
      if (config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
      // The data folder must stay unused on PostgreSQL; give it one anyway so nothing lands in the repo.
      const data = await tempDataDir();
      cleanups.push(data.remove);
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
  },
);
