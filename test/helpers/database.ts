import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { DatabaseConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import type { Database } from '../../src/server/db/types.ts';

/** The engine under test: PostgreSQL when DATABASE_URL is set (as in CI's second run), else PGlite. */
export const ENGINE: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase {
  config: DatabaseConfig;
  database: Database;
  /** Closes and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

/** A fresh, empty database: PGlite in memory, or a new database on the PostgreSQL server. */
export async function createTestDatabaseConfig(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return { config: { kind: 'pglite', dataDir: null }, drop: async () => undefined };
  const name = `herald_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh database with all migrations applied. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { config, drop } = await createTestDatabaseConfig();
  const database = await openDatabase(config);
  await migrate(database);
  return {
    config,
    database,
    async dispose() {
      await database.close();
      await drop();
    },
  };
}
