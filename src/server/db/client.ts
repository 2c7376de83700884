import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fromPglite } from 'pg-boss';
import type { DatabaseConfig } from '../config.ts';
import * as schema from './schema.ts';
import type { Database, Db, ScriptRow } from './types.ts';
import { lockDataDir } from './pglite-lock.ts';
import { PgListener } from './pg-listener.ts';

// bigint (int8) columns come back as strings from pg by default; ids stay below 2^53, counts too.
pg.types.setTypeParser(20, (v) => Number(v));

/** Opens the configured engine: PGlite in a locked data folder, or a PostgreSQL pool. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config.url);
}

async function openPglite(dataDir: string | null): Promise<Database> {
  const release = dataDir ? await lockDataDir(dataDir) : async () => undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir ? path.join(dataDir, 'pgdata') : 'memory://');
  } catch (err) {
    await release();
    throw err;
  }
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async scriptTransaction(work) {
      await pglite.transaction(async (tx) => {
        await work(async (script) => (await tx.exec(script)).at(-1)?.rows ?? []);
      });
    },
    async maintain() {
      // PGlite runs no checkpointer or autovacuum: without this the WAL and dead rows only grow.
      // One table per statement, yielding in between, so HTTP requests interleave (PGlite blocks
      // the event loop while a statement runs).
      const tables = await pglite.query<{ name: string }>(
        `SELECT quote_ident(schemaname) || '.' || quote_ident(relname) AS name FROM pg_stat_user_tables`,
      );
      for (const { name } of tables.rows) {
        await pglite.exec(`VACUUM (ANALYZE) ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await pglite.exec('CHECKPOINT');
    },
    async copyFrom(copy, chunks) {
      // PGlite reads COPY data from a Blob mounted at /dev/blob, not from STDIN.
      const statement = copy.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'");
      for await (const chunk of chunks) {
        await pglite.query(statement, [], { blob: new Blob([chunk]) });
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async listen(channel, onMessage) {
      return pglite.listen(channel, onMessage);
    },
    boss: { db: fromPglite(pglite), backend: 'pglite' },
    async close() {
      try {
        await pglite.close();
      } finally {
        await release();
      }
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'herald' });
  pool.on('error', (err) => console.error('PostgreSQL pool error:', err.message));
  // Fail fast with a clear message when the server is not there.
  const probe = await pool.connect();
  probe.release();
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listener = new PgListener(url);
  return {
    kind: 'postgres',
    db,
    async scriptTransaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await work(async (script) => {
          // A multi-statement query answers with an array of results; take the last one's rows.
          const result = (await client.query(script)) as unknown as
            pg.QueryResult<ScriptRow> | pg.QueryResult<ScriptRow>[];
          return (Array.isArray(result) ? result.at(-1)?.rows : result.rows) ?? [];
        });
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async copyFrom(copy, chunks) {
      const client = await pool.connect();
      try {
        const sink = client.query(copyFrom(copy));
        await pipeline(Readable.from(chunks), sink);
      } finally {
        client.release();
      }
    },
    listen: (channel, onMessage) => listener.listen(channel, onMessage),
    maintain: () => Promise.resolve(), // autovacuum and the checkpointer do this on a server
    boss: { connectionString: url, backend: 'postgres' },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}
