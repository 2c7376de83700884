// Contact import at scale (issue 11, "Benchmark"): a generated CSV of N rows (default 1,000,000;
// `--rows N` or BENCH_IMPORT_ROWS) as a German CRM exports it, uploaded through the HTTP API and
// imported to completion, beside the raw COPY of the same file into an unindexed table in the same
// database, all in the same run.
//
// Phases, each from a settled database and each end to end as a user sees it (a fresh upload of the
// file over HTTP, the start call, polling until `completed`):
//   dry_run        on the empty account (every row decides "create", nothing is written);
//   import         the real import (every row creates a contact), the API probed meanwhile;
//   import_update  the same file again (every row updates or leaves a contact unchanged);
// then the baseline: COPY of the file's data lines (the bare bulk path of Database.copyFrom: one
// COPY FROM STDIN on PostgreSQL; on PGlite one COPY FROM '/dev/blob' per 16 MB of whole lines).
//
// Herald runs in this process, so its peak RSS is this process's: process.memoryUsage.rss()
// sampled every 100 ms during the three Herald phases (the generator ran before, the baseline runs
// after; the file is streamed from disk by fetch, never held in memory by the bench).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../src/server/db/types.ts';
import type { ImportSummary, ImportUpload } from '../src/shared/imports.ts';
import { startBenchHerald, createBenchAccount, logInBench } from './bench-herald.ts';
import { idleSamples, probe, type Api, type Samples } from './bulk-api.ts';
import { dataLines, IMPORT_CUSTOM_FIELDS, writeImportCsv } from './import-csv.ts';
import { latency, percentile, progress, round, settle, throughput, timed, type Metrics } from './lib.ts';

/** Rows in the file: `--rows N` after the bench's name, else BENCH_IMPORT_ROWS, else 1,000,000. */
function rowCount(): number {
  const flag = process.argv.indexOf('--rows');
  const text = flag > 0 ? process.argv[flag + 1] : process.env.BENCH_IMPORT_ROWS;
  const n = text === undefined ? 1_000_000 : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--rows: a positive whole number, not ${text}`);
  return n;
}

/**
 * `--analyze-every S`: ANALYZE contacts and import_rows every S seconds during the Herald phases, as autovacuum on
 * its default settings would (50 rows + 10 % changed, checked every minute). Off by default: the
 * figures are then Herald's alone, on a server whose autovacuum may be off (PGlite has none).
 */
function analyzeEverySeconds(): number | undefined {
  const flag = process.argv.indexOf('--analyze-every');
  if (flag < 0) return undefined;
  const s = Number(process.argv[flag + 1]);
  if (!(s > 0)) throw new Error(`--analyze-every: seconds, not ${process.argv[flag + 1]}`);
  return s;
}

/** Runs ANALYZE of contacts and import_rows every `seconds` (one at a time) until stopped. */
function analyzer(database: Database, seconds: number | undefined): () => Promise<void> {
  if (seconds === undefined) return () => Promise.resolve();
  progress(
    `ANALYZE contacts, import_rows every ${seconds} s from the bench (--analyze-every): not Herald's own doing`,
  );
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => database.db.execute(sql`ANALYZE contacts, import_rows`))
      .catch(() => undefined);
  }, seconds * 1000);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MB = 1024 * 1024;

/** The largest RSS seen while sampling, in bytes. */
function rssSampler(): { peak(): number; stop(): void } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => clearInterval(timer),
  };
}

function accountUrl(api: Api, p: string): string {
  return `${api.base}/api/accounts/${api.account}${p}`;
}

async function json<T>(what: string, res: Response, ok = [200, 201]): Promise<T> {
  if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Uploads `file` as multipart field `file`, streamed from disk (fs.openAsBlob). */
async function upload(api: Api, file: string): Promise<ImportUpload> {
  const form = new FormData();
  form.append('file', await fs.openAsBlob(file, { type: 'text/csv' }), 'kunden.csv');
  const { 'content-type': _json, ...headers } = api.headers; // fetch sets the multipart boundary
  const res = await fetch(accountUrl(api, '/imports/uploads'), { method: 'POST', headers, body: form });
  return json('upload', res, [201]);
}

/** One import end to end: upload, start with the suggested mapping, poll until done; times in ms. */
interface ImportRun {
  uploadMs: number;
  totalMs: number;
  summary: ImportSummary;
}

async function uploadAndImport(api: Api, file: string, dryRun: boolean): Promise<ImportRun> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const up = await upload(api, file);
  const uploadMs = performance.now() - start;
  const body = { uploadId: up.id, settings: { columns: up.suggestions }, dryRun };
  const action = await json<{ id: string }>(
    'start import',
    await fetch(accountUrl(api, '/imports'), {
      method: 'POST',
      headers: api.headers,
      body: JSON.stringify(body),
    }),
    [201],
  );
  let lastLog = performance.now();
  for (;;) {
    const view = await json<{ status: string; succeeded: number; failed: number; total: number }>(
      'bulk action',
      await fetch(accountUrl(api, `/bulk-actions/${action.id}`), { headers: api.headers }),
    );
    const status = view.status;
    if (status === 'completed') break;
    if (status === 'failed' || status === 'cancelled') throw new Error(`import ${action.id} ended ${status}`);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      progress(`  ${status}: ${view.succeeded + view.failed} of ${view.total} rows done`);
    }
    await sleep(100);
  }
  const totalMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const summary = await json<ImportSummary>(
    'import figures',
    await fetch(accountUrl(api, `/imports/${action.id}`), { headers: api.headers }),
  );
  progress(
    `  upload ${Math.round(uploadMs)} ms, total ${Math.round(totalMs)} ms: read ${summary.rowsRead}, ` +
      `created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, ` +
      `invalid ${summary.invalid}, failed ${summary.failed}; this process's CPU ${Math.round((user + system) / 1000)} ms`,
  );
  return { uploadMs, totalMs, summary };
}

function expect(what: string, actual: number, wanted: number): void {
  if (actual !== wanted) throw new Error(`${what}: ${actual}, expected ${wanted}`);
}

/** The baseline: the file's data lines COPYed into an unindexed table of text columns. */
async function rawCopy(database: Database, file: string, n: number): Promise<number> {
  await database.db.execute(sql`DROP TABLE IF EXISTS bench_import_copy`);
  await database.db.execute(
    sql`CREATE TABLE bench_import_copy (email text, first_name text, last_name text, phone text,
          kundennummer text, geburtstag text, notiz text, tags text)`,
  );
  await settle(database);
  progress('baseline: raw COPY of the same file into an unindexed table');
  const { ms } = await timed(() =>
    database.copyFrom(`COPY bench_import_copy FROM STDIN (FORMAT csv, DELIMITER ';')`, dataLines(file)),
  );
  const [copied] = await rows<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM bench_import_copy`,
  );
  expect('copied', Number(copied!.n), n);
  progress(`  ${Math.round(ms)} ms`);
  return ms;
}

export async function run(): Promise<Metrics> {
  const n = rowCount();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'herald-bench-import-'));
  const file = path.join(dir, 'kunden.csv');
  try {
    progress(`writing a CSV of ${n} rows`);
    const size = await writeImportCsv(file, n);
    progress(`  ${(size / MB).toFixed(1)} MB`);
    const { herald, stop } = await startBenchHerald({ HERALD_IMPORT_DIR: path.join(dir, 'uploads') });
    const database = herald.database;
    try {
      const account = await createBenchAccount(herald);
      const api: Api = { base: herald.url!, account, headers: (await logInBench(herald.url!)).headers };
      for (const field of IMPORT_CUSTOM_FIELDS) {
        await json(
          `custom field ${field.key}`,
          await fetch(accountUrl(api, '/custom-fields'), {
            method: 'POST',
            headers: api.headers,
            body: JSON.stringify(field),
          }),
          [201],
        );
      }

      await settle(database);
      progress('API latency while idle');
      const idle = await idleSamples(api, 100);
      const rssBefore = process.memoryUsage.rss();
      const rss = rssSampler();
      const stopAnalyzer = analyzer(database, analyzeEverySeconds());
      const during: Samples = { health: [], list: [] };

      await settle(database);
      progress(`dry run of ${n} rows (upload + dry run)`);
      const dry = await uploadAndImport(api, file, true);
      expect('dry run: would create', dry.summary.created, n);

      await settle(database);
      progress(`import of ${n} rows (upload + import; probing the API meanwhile)`);
      const stopProbe = probe(api, during);
      let first: ImportRun;
      try {
        first = await uploadAndImport(api, file, false);
      } finally {
        await stopProbe();
      }
      expect('import: created', first.summary.created, n);

      await settle(database);
      progress(`the same ${n} rows again (upload + import: all updates)`);
      const again = await uploadAndImport(api, file, false);
      expect('update: updated or unchanged', again.summary.updated + again.summary.unchanged, n);
      await stopAnalyzer();
      rss.stop();
      const peak = rss.peak();
      progress(
        `RSS (this process, Herald in-process; sampled every 100 ms): ${(rssBefore / MB).toFixed(0)} MB before, ` +
          `peak ${(peak / MB).toFixed(0)} MB`,
      );

      const copyMs = await rawCopy(database, file, n);

      const rate = (ms: number) => n / (ms / 1000);
      return {
        import: throughput(rate(first.totalMs), 'rows/s', rate(copyMs)),
        import_update: throughput(rate(again.totalMs), 'rows/s'),
        dry_run: throughput(rate(dry.totalMs), 'rows/s'),
        rss_peak: { value: round(peak / MB, 0), unit: 'MB' },
        health_p95_during_import: latency(percentile(during.health, 95), percentile(idle.health, 95)),
        bulk_list_p95_during_import: latency(percentile(during.list, 95), percentile(idle.list, 95)),
      };
    } finally {
      await stop();
    }
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
