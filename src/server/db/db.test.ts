import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../test/helpers/database.ts';
import { migrate } from './migrate.ts';
import { rows } from './types.ts';

describe(`database layer (${ENGINE})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  it('applied every migration from scratch, and a second run applies none', async () => {
    const applied = await rows<{ name: string }>(
      t.database.db,
      sql`SELECT name FROM herald_migrations ORDER BY name`,
    );
    expect(applied.map((r) => r.name)).toContain('0001_foundation.sql');
    expect(await migrate(t.database)).toEqual([]);
  });

  it('delivers LISTEN/NOTIFY messages', async () => {
    const received: string[] = [];
    const unlisten = await t.database.listen('herald_test', (payload) => received.push(payload));
    await t.database.db.execute(sql`SELECT pg_notify('herald_test', 'hello')`);
    await expect.poll(() => received, { timeout: 5000 }).toEqual(['hello']);
    await unlisten();
    await t.database.db.execute(sql`SELECT pg_notify('herald_test', 'after')`);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toEqual(['hello']);
  });

  it('runs maintenance (VACUUM and CHECKPOINT on PGlite)', async () => {
    await expect(t.database.maintain()).resolves.toBeUndefined();
  });
});
