import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './types.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same in every Herald process.
const MIGRATION_LOCK_KEY = 7_244_130_001;

/**
 * Applies the numbered SQL files in migrations/ that have not run yet, forward only, all in one
 * transaction under an advisory lock so that several processes starting at once apply them once.
 * Returns the names of the files applied.
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  await database.scriptTransaction(async (exec) => {
    await exec(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY});
      CREATE TABLE IF NOT EXISTS herald_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set((await exec('SELECT name FROM herald_migrations')).map((r) => String(r.name)));
    for (const file of files) {
      if (done.has(file)) continue;
      const script = await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      await exec(script);
      await exec(`INSERT INTO herald_migrations (name) VALUES ('${file.replace(/'/g, "''")}')`);
      applied.push(file);
    }
  });
  return applied;
}
