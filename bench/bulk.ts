// Bulk actions at scale: N contacts (default 1,000,000) in one account; add tag, remove tag, delete
// and restore, each end to end through the engine (create -> completed), beside the same change as
// plain chunked SQL in the same run; and how the API answers (health, bulk-actions list) while a job runs.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { RunningHerald } from '../src/server/runtime.ts';
import { rows } from '../src/server/db/types.ts';
import { generateContacts } from '../src/server/seed/contact-generator.ts';
import { CHUNK_SIZE } from '../src/server/engine/runner.ts';
import { startBenchHerald, createBenchAccount, logInBench } from './bench-herald.ts';
import { latency, percentile, progress, throughput, timed, type Metrics } from './lib.ts';

const N = Number(process.env.BENCH_CONTACTS ?? 1_000_000);

interface Api {
  base: string;
  headers: Record<string, string>;
  account: number;
}

async function runAction(
  api: Api,
  body: object | null,
  path = '/bulk-actions',
  probe?: (stop: () => boolean) => Promise<void>,
) {
  let finished = false;
  const probing = probe?.(() => finished);
  const { ms, result } = await timed(async () => {
    const start = performance.now();
    // A bodyless POST must not claim a JSON body.
    const { 'content-type': _json, ...bare } = api.headers;
    const res = await fetch(`${api.base}/api/accounts/${api.account}${path}`, {
      method: 'POST',
      headers: body ? api.headers : bare,
      body: body ? JSON.stringify(body) : null,
    });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
    const created = performance.now();
    const { id } = (await res.json()) as { id: string };
    for (;;) {
      const a = (await (
        await fetch(`${api.base}/api/accounts/${api.account}/bulk-actions/${id}`, { headers: api.headers })
      ).json()) as { status: string; total: number; succeeded: number };
      if (a.status === 'completed') {
        // Where the time went: the create call freezes the snapshot; the worker runs the chunks.
        progress(
          `  freeze (create call) ${Math.round(created - start)} ms, run ${Math.round(performance.now() - created)} ms`,
        );
        return a;
      }
      if (a.status === 'failed' || a.status === 'cancelled')
        throw new Error(`action ${id} ended ${a.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  finished = true;
  await probing;
  return { ms, action: result };
}

/** Plain chunked SQL over id ranges: the baseline for each change. */
async function chunked(
  herald: RunningHerald,
  account: number,
  statement: (lo: number, hi: number) => ReturnType<typeof sql>,
) {
  const [range] = await rows<{ lo: number; hi: number }>(
    herald.database.db,
    sql`SELECT min(id) AS lo, max(id) AS hi FROM contacts WHERE account_id = ${account}`,
  );
  const step = CHUNK_SIZE[herald.database.kind];
  return timed(async () => {
    for (let lo = Number(range!.lo) - 1; lo < Number(range!.hi); lo += step) {
      await herald.database.db.execute(statement(lo, lo + step));
      await new Promise((r) => setImmediate(r));
    }
  });
}

export async function run(): Promise<Metrics> {
  const { herald, stop } = await startBenchHerald();
  const db = herald.database.db;
  try {
    const account = await createBenchAccount(herald);
    progress(`seeding ${N} contacts`);
    await generateContacts(herald.database, account, N);
    if (herald.database.kind === 'pglite') await herald.database.maintain();
    else await db.execute(sql`ANALYZE`);

    const api: Api = { base: herald.url!, account, headers: (await logInBench(herald.url!)).headers };
    const newTag = async (name: string) =>
      Number(
        (
          (await (
            await fetch(`${api.base}/api/accounts/${account}/tags`, {
              method: 'POST',
              headers: api.headers,
              body: JSON.stringify({ name }),
            })
          ).json()) as { id: string }
        ).id,
      );
    const engineTag = await newTag('bench-engine');
    const rawTag = await newTag('bench-raw');
    const all = { filter: { op: 'and', conditions: [] } };

    // The API while a million-contact job runs.
    const health: number[] = [];
    const list: number[] = [];
    const probe = async (stop: () => boolean) => {
      while (!stop()) {
        health.push((await timed(() => fetch(`${api.base}/api/health`).then((r) => r.text()))).ms);
        list.push(
          (
            await timed(() =>
              fetch(`${api.base}/api/accounts/${account}/bulk-actions?limit=25`, {
                headers: api.headers,
              }).then((r) => r.text()),
            )
          ).ms,
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    progress('add tag: engine (probing /api/health and the list meanwhile)');
    const add = await runAction(
      api,
      { type: 'add_tag', tagId: String(engineTag), selection: all },
      '/bulk-actions',
      probe,
    );
    progress('add tag: raw chunked INSERT');
    const addRaw = await chunked(
      herald,
      account,
      (lo, hi) =>
        sql`INSERT INTO contact_tags (account_id, contact_id, tag_id) SELECT account_id, id, ${rawTag} FROM contacts
          WHERE account_id = ${account} AND deleted_at IS NULL AND id > ${lo} AND id <= ${hi} ON CONFLICT DO NOTHING`,
    );
    progress('remove tag: engine, then raw chunked DELETE');
    const remove = await runAction(api, { type: 'remove_tag', tagId: String(engineTag), selection: all });
    const removeRaw = await chunked(
      herald,
      account,
      (lo, hi) =>
        sql`DELETE FROM contact_tags WHERE tag_id = ${rawTag} AND contact_id > ${lo} AND contact_id <= ${hi}`,
    );
    progress('delete: engine');
    const del = await runAction(api, { type: 'delete_contacts', selection: all });
    progress('restore: engine');
    const restore = await runAction(
      api,
      null,
      `/bulk-actions/${await lastId(herald, account, 'delete_contacts')}/restore`,
    );
    progress('delete and restore: raw chunked UPDATE');
    const delRaw = await chunked(
      herald,
      account,
      (lo, hi) =>
        sql`UPDATE contacts SET deleted_at = now() WHERE account_id = ${account} AND deleted_at IS NULL AND id > ${lo} AND id <= ${hi}`,
    );
    const restoreRaw = await chunked(
      herald,
      account,
      (lo, hi) =>
        sql`UPDATE contacts SET deleted_at = NULL WHERE account_id = ${account} AND deleted_at IS NOT NULL AND id > ${lo} AND id <= ${hi}`,
    );
    for (const [name, r] of [
      ['add', add],
      ['remove', remove],
      ['delete', del],
      ['restore', restore],
    ] as const) {
      if (r.action.succeeded !== N) throw new Error(`${name}: ${r.action.succeeded} of ${N} succeeded`);
    }
    const rate = (ms: number) => N / (ms / 1000);
    return {
      add_tag: throughput(rate(add.ms), 'rows/s', rate(addRaw.ms)),
      remove_tag: throughput(rate(remove.ms), 'rows/s', rate(removeRaw.ms)),
      delete_contacts: throughput(rate(del.ms), 'rows/s', rate(delRaw.ms)),
      restore_contacts: throughput(rate(restore.ms), 'rows/s', rate(restoreRaw.ms)),
      health_p95_during_job: latency(percentile(health, 95)),
      health_max_during_job: latency(Math.max(...health)),
      list_p95_during_job: latency(percentile(list, 95)),
    };
  } finally {
    await stop();
  }
}

async function lastId(herald: RunningHerald, account: number, type: string): Promise<number> {
  const [row] = await rows<{ id: number }>(
    herald.database.db,
    sql`SELECT max(id) AS id FROM bulk_actions WHERE account_id = ${account} AND type = ${type}`,
  );
  return Number(row!.id);
}
