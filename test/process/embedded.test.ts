// One data folder, several `herald` processes: the lock keeps out all but one, and a graceful stop
// hands the folder, with its data, to the next start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  killAllHeralds,
  READY,
  readyMs,
  runHerald,
  spawnHerald,
  tempDataDir,
  WAIT_MS,
  type HeraldProcess,
} from './cli.ts';

const IN_USE = /data folder .* is in use by another Herald process/;

describe('embedded database (PGlite): one process per data folder', { timeout: 3 * WAIT_MS }, () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let first: HeraldProcess;
  let firstUrl: string;
  let firstWallMs: number;

  beforeAll(async () => {
    data = await tempDataDir();
    const port = await freePort();
    firstUrl = `http://127.0.0.1:${port}`;
    const spawnedAt = performance.now();
    first = spawnHerald(['start'], { HERALD_DATA_DIR: data.dir, PORT: String(port) });
    await first.waitForOutput(READY);
    firstWallMs = Math.round(performance.now() - spawnedAt);
  }, WAIT_MS + 10_000);

  afterAll(async () => {
    await killAllHeralds();
    await data.remove();
  });

  it('seeds the demo data on the first start', () => {
    expect(first.stdout).toContain('Applied migrations: 0001_foundation.sql');
    expect(first.stdout).toContain('Seeded demo data');
  });

  it('refuses a second `herald start` on the same data folder', async () => {
    const second = await runHerald(['start'], { HERALD_DATA_DIR: data.dir, PORT: String(await freePort()) });
    expect(second.timedOut, `the second start kept running:\n${second.stdout}`).toBe(false);
    expect(second.code).not.toBe(0);
    expect(second.code).not.toBeNull();
    expect(second.stderr).toMatch(IN_USE);
    expect(second.stdout).not.toMatch(READY);
  });

  it('refuses `herald migrate` on the same data folder', async () => {
    const migrate = await runHerald(['migrate'], { HERALD_DATA_DIR: data.dir });
    expect(migrate.timedOut, `migrate kept running:\n${migrate.stdout}`).toBe(false);
    expect(migrate.code).not.toBe(0);
    expect(migrate.code).not.toBeNull();
    expect(migrate.stderr).toMatch(IN_USE);
  });

  it('keeps serving while the others are turned away', async () => {
    const res = await fetch(`${firstUrl}/api/health`, { signal: AbortSignal.timeout(WAIT_MS) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'up' });
  });

  it('stops on SIGTERM with code 0 and leaves the folder, data included, to the next start', async () => {
    const stopped = await first.stop('SIGTERM');
    expect(stopped).toEqual({ code: 0, signal: null, forced: false });

    const port = await freePort();
    const spawnedAt = performance.now();
    const next = spawnHerald(['start'], { HERALD_DATA_DIR: data.dir, PORT: String(port) });
    await next.waitForOutput(READY);
    const nextWallMs = Math.round(performance.now() - spawnedAt);
    // For the record, not asserted: Herald's own "ready in" (from opening the database) and spawn-to-ready.
    console.info(
      `herald start ready: first start (fresh data folder) ${readyMs(first.stdout)} ms ` +
        `(${firstWallMs} ms from spawn), restart ${readyMs(next.stdout)} ms (${nextWallMs} ms from spawn)`,
    );
    expect(next.stdout).not.toContain('Seeded demo data');
    expect(next.stdout).not.toContain('Applied migrations');

    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@nordlicht.example', password: 'herald-demo-2026' }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(login.status).toBe(200);
    expect((await login.json()) as unknown).toMatchObject({ user: { email: 'owner@nordlicht.example' } });

    expect(await next.stop('SIGTERM')).toEqual({ code: 0, signal: null, forced: false });
  });
});
