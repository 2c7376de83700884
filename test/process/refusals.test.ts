// Starts that must not happen: each exits non-zero before opening anything, and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllHeralds, READY, runHerald, tempDataDir, WAIT_MS } from './cli.ts';

describe('herald refuses to start', { timeout: 2 * WAIT_MS }, () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;

  beforeAll(async () => {
    data = await tempDataDir();
  });

  afterAll(async () => {
    await killAllHeralds();
    await data.remove();
  });

  /** Runs `herald <args>`, checks that it failed without getting ready, and returns its stderr. */
  async function refused(args: string[], env: Record<string, string>): Promise<string> {
    const run = await runHerald(args, { HERALD_DATA_DIR: data.dir, ...env });
    expect(run.timedOut, `herald ${args.join(' ')} kept running:\n${run.stdout}`).toBe(false);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stdout).not.toMatch(READY);
    return run.stderr;
  }

  describe.each(['api', 'worker'])('`herald %s` without DATABASE_URL (embedded mode)', (mode) => {
    it('exits non-zero and points to DATABASE_URL and `herald start`', async () => {
      const stderr = await refused([mode], {});
      expect(stderr).toContain('DATABASE_URL');
      expect(stderr).toContain('herald start');
    });
  });

  it.each<{ name: string; env: Record<string, string> }>([
    { name: 'PORT', env: { PORT: 'abc' } },
    { name: 'HERALD_SECRET', env: { DATABASE_URL: 'postgres://x' } },
    { name: 'SMTP_URL', env: { SMTP_URL: 'http://x' } },
  ])('exits non-zero on an invalid configuration and names $name', async ({ name, env }) => {
    const stderr = await refused(['start'], env);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toContain(name);
  });
});
