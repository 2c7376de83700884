// `herald migrate` from scratch, twice: the first run applies every file, the second finds nothing to do.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseConfig } from '../helpers/database.ts';
import { killAllHeralds, runHerald, tempDataDir, TEST_SECRET, WAIT_MS } from './cli.ts';

async function migrateTwice(env: Record<string, string>): Promise<void> {
  const first = await runHerald(['migrate'], env);
  expect(first, first.stderr).toMatchObject({ code: 0, timedOut: false });
  expect(first.stdout).toMatch(/^Applied: .*0001_foundation\.sql/m);

  const second = await runHerald(['migrate'], env);
  expect(second, second.stderr).toMatchObject({ code: 0, timedOut: false });
  expect(second.stdout).toContain('Database is up to date');
}

describe('herald migrate from scratch', { timeout: 3 * WAIT_MS }, () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    await killAllHeralds();
    for (const cleanup of cleanups) await cleanup();
  });

  it('on the embedded database (PGlite) in a fresh data folder', async () => {
    const data = await tempDataDir();
    cleanups.push(data.remove);
    await migrateTwice({ HERALD_DATA_DIR: data.dir });
  });

  it.skipIf(!process.env.DATABASE_URL)('on a fresh PostgreSQL database (needs DATABASE_URL)', async () => {
    const { config, drop } = await createTestDatabaseConfig();
    cleanups.push(drop);
    if (config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
    const data = await tempDataDir();
    cleanups.push(data.remove);
    await migrateTwice({ DATABASE_URL: config.url, HERALD_SECRET: TEST_SECRET, HERALD_DATA_DIR: data.dir });

    const client = new pg.Client({ connectionString: config.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ users: string | null; migrations: string | null }>(
        "SELECT to_regclass('public.users')::text AS users, to_regclass('public.herald_migrations')::text AS migrations",
      );
      expect(rows).toEqual([{ users: 'users', migrations: 'herald_migrations' }]);
    } finally {
      await client.end();
    }
  });
});
