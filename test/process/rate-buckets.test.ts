// The rate limit holds across two worker processes: both take tokens from the same bucket in
// PostgreSQL for the same window; together they never get more than burst + rate × elapsed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createTestDatabaseConfig } from '../helpers/database.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { migrate } from '../../src/server/db/migrate.ts';

interface Result {
  pid: number;
  grants: number[];
}

interface Worker {
  ready: Promise<void>;
  start(at: number): void;
  result: Promise<Result>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/process/rate-bucket-worker.ts'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<Result>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('ready\n')) onReady();
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`rate worker exited ${code}: ${err}`));
      const line = out.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(line) as Result);
    });
  });
  return { ready, result, start: (at) => child.stdin.end(`${at}\n`) };
}

describe.skipIf(!process.env.DATABASE_URL)(
  'rate buckets across two processes (PostgreSQL)',
  { timeout: 60_000 },
  () => {
    let url: string;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const created = await createTestDatabaseConfig();
      drop = created.drop;
      if (created.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
      url = created.config.url;
      const database = await openDatabase(created.config);
      await migrate(database);
      await database.close();
    });
    afterAll(async () => {
      await drop();
    });

    it('two processes together stay within burst + rate × elapsed, and both get tokens', async () => {
      const rate = 100; // burst 100, batches of 5
      const env = { RATE_TEST_DATABASE_URL: url, RATE_TEST_RATE: String(rate), RATE_TEST_WINDOW_MS: '2000' };
      const workers = [startWorker(env), startWorker(env)];
      await Promise.all(workers.map((w) => w.ready));
      // Both start at the same moment, once both are connected.
      const startAt = Date.now() + 200;
      for (const w of workers) w.start(startAt);
      const [a, b] = (await Promise.all(workers.map((w) => w.result))) as [Result, Result];
      expect(a.grants.length).toBeGreaterThan(0);
      expect(b.grants.length).toBeGreaterThan(0);
      const all = [...a.grants, ...b.grants].sort((x, y) => x - y);
      // At every grant: how many so far, against what the bucket allows since the common start.
      all.forEach((at, i) => {
        const allowed = rate + (rate * Math.max(0, at - startAt)) / 1000;
        expect(i + 1, `grant ${i + 1} at +${at - startAt} ms`).toBeLessThanOrEqual(allowed);
      });
      // Two processes each alone would get burst + 2 s × rate = 300; together they share that.
      expect(all.length).toBeLessThanOrEqual(rate + 2 * rate + 1);
      // And the limiter does let them send: at least the burst went out.
      expect(all.length).toBeGreaterThanOrEqual(rate);
    });
  },
);
