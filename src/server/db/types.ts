import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type { Db as BossDb } from 'pg-boss';
import type * as schema from './schema.ts';

/** Drizzle over either engine. Both drivers share the query builder; only the result HKT differs. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A Drizzle transaction (same API as Db). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Queryable = Db | Tx;

/** A row returned by a script: the rows of its last statement. */
export type ScriptRow = Record<string, unknown>;

export type EngineKind = 'pglite' | 'postgres';

/** A handle on the database, whichever engine is behind it. */
export interface Database {
  readonly kind: EngineKind;
  readonly db: Db;
  /** Opens one transaction in which `work` may run multi-statement SQL scripts (migrations). */
  scriptTransaction(work: (exec: (script: string) => Promise<ScriptRow[]>) => Promise<void>): Promise<void>;
  /** Housekeeping the engine does not do itself: CHECKPOINT and VACUUM on PGlite; nothing on PostgreSQL. */
  maintain(): Promise<void>;
  /**
   * Bulk-loads CSV text with COPY (the fastest way in): `copy` is a COPY ... FROM STDIN statement,
   * `chunks` the CSV, streamed. On PGlite each chunk is its own COPY, with a yield in between.
   */
  copyFrom(copy: string, chunks: AsyncIterable<string>): Promise<void>;
  /** Subscribes to a LISTEN channel; returns the unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** pg-boss's database: an adapter for PGlite, or a connection string for PostgreSQL. */
  readonly boss: { db: BossDb; backend: 'pglite' } | { connectionString: string; backend: 'postgres' };
  close(): Promise<void>;
}

/** Runs a raw SQL fragment and returns its rows (both drivers answer with `.rows`). */
export async function rows<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as { rows: T[] };
  return result.rows;
}

/**
 * A timestamp from raw SQL as ISO text. Drizzle hands raw timestamps back as Date on node-postgres
 * but as text on PGlite; mappers of raw rows go through this.
 */
export function isoTime(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
