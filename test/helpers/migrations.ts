// A test database with the schema as it was before one migration: for tests of what a migration
// does to data written by the code of its time.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/server/db/client.ts';
import type { Database } from '../../src/server/db/types.ts';
import { createTestDatabaseConfig } from './database.ts';

const MIGRATIONS = fileURLToPath(new URL('../../src/server/db/migrations', import.meta.url));

/**
 * A fresh database on the test engine with every migration whose file name sorts before `before`
 * (e.g. `'0018'`) applied and recorded, so `migrate()` afterwards applies `before` and the rest.
 */
export async function databaseBefore(
  before: string,
): Promise<{ database: Database; drop: () => Promise<void> }> {
  const created = await createTestDatabaseConfig();
  const database = await openDatabase(created.config);
  const files = (await fs.readdir(MIGRATIONS)).filter((f) => /^\d{4}_/.test(f) && f < before).sort();
  await database.scriptTransaction(async (exec) => {
    await exec(
      `CREATE TABLE herald_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const file of files) {
      await exec(await fs.readFile(path.join(MIGRATIONS, file), 'utf8'));
      await exec(`INSERT INTO herald_migrations (name) VALUES ('${file}')`);
    }
  });
  return { database, drop: created.drop };
}
