// Shared plumbing for benchmarks: a fresh database on the selected engine, timing, percentiles and
// the output format of ../shared/STYLE.md convention 12 (progress on stderr, one JSON line last).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DatabaseConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/types.ts';

export interface Metric {
  value: number;
  unit: 'rows/s' | 'ms' | 'msg/s' | 'merges/s' | 'MB' | 'targets/s';
  baseline?: number;
  ratio?: number;
  /** A second reference where the fair baseline is not the only one (bulk: the plain chunked change). */
  plain_baseline?: number;
}
export type Metrics = Record<string, Metric>;

export const engine: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** A throwaway database: PGlite in a temp folder, or a new database on the DATABASE_URL server. */
export async function freshDatabase(): Promise<{ config: DatabaseConfig; dispose(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'herald-bench-'));
    return {
      config: { kind: 'pglite', dataDir: dir },
      dispose: () => fs.rm(dir, { recursive: true, force: true }),
    };
  }
  const name = `herald_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: dbUrl.toString() },
    async dispose() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** A latency metric with its baseline: ratio = baseline / value, so higher is better. */
export function latency(value: number, baseline?: number): Metric {
  return baseline === undefined
    ? { value: round(value), unit: 'ms' }
    : { value: round(value), unit: 'ms', baseline: round(baseline), ratio: round(baseline / value, 3) };
}

/** A throughput metric with its baseline: ratio = value / baseline. */
export function throughput(value: number, unit: 'rows/s' | 'msg/s' | 'targets/s', baseline?: number): Metric {
  return baseline === undefined
    ? { value: round(value, 0), unit }
    : { value: round(value, 0), unit, baseline: round(baseline, 0), ratio: round(value / baseline, 3) };
}

/**
 * Brings the database to a settled state before a measured phase, so that every phase (engine and
 * baseline alike) starts alike: dead rows vacuumed, statistics fresh, dirty pages checkpointed.
 */
export async function settle(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await database.maintain(); // VACUUM (ANALYZE) of every table, then CHECKPOINT
    return;
  }
  await database.db.execute(sql`VACUUM (ANALYZE)`);
  // CHECKPOINT needs a superuser (or pg_checkpoint); without it the phases are a little less alike.
  await database.db.execute(sql`CHECKPOINT`).catch(() => undefined);
}
