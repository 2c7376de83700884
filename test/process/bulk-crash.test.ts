// Crash test of the bulk action engine: the process running a large job is SIGKILLed at seeded
// random moments, restarted, and the job must end exactly as an uninterrupted run of the same job
// ends, with exact counters. On PostgreSQL the separate worker process dies (API stays up); on
// PGlite the one `herald start` process dies and must reopen its data folder.
//
// Recovery after each kill is the engine's own: the dead worker's lease (20 s) runs out, then the
// `bulk.sweep` (every 10 s) queues the action again and a live worker resumes at the cursor. So
// every kill costs up to ~30 s of waiting; the kill counts are kept small for that reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabaseConfig } from '../helpers/database.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { rows, type Database, type Db } from '../../src/server/db/types.ts';
import { SESSION_COOKIE } from '../../src/server/plugins/auth.ts';
import type { BulkAction, BulkStats, CreateBulkActionBody } from '../../src/shared/bulk-actions.ts';
import type { Selection, Tag } from '../../src/shared/contacts.ts';
import {
  freePort,
  killAllHeralds,
  READY,
  runHerald,
  spawnHerald,
  tempDataDir,
  TEST_SECRET,
  WAIT_MS,
  type HeraldProcess,
} from './cli.ts';

/** The demo account "Bäckerei Sonnenschein" and its owner (from `herald seed`). */
const ACCOUNT = 2;
const OWNER = { email: 'owner@nordlicht.example', password: 'herald-demo-2026' };
/** Small chunks, so that a job has enough of them for kills to land between and inside them. */
const CHUNK = '500';
/**
 * The embedded run's chunk. A read waits behind the running chunk there, and a restarted process
 * goes on at once: with big chunks a quiet machine ran thousands of items between seeing a kill's
 * point and the kill (and before the state after it could be read), and finished the job before
 * the second kill. Small chunks keep each step short, so the kills land where they are planned.
 */
const EMBEDDED_CHUNK = '100';
/** Lease (20 s) + sweep interval (10 s) + a restart, with room for a loaded machine. */
const RECOVERY_MS = 90_000;
/** The longest any job may take to complete once started, kills and recoveries included. */
const FINISH_MS = 180_000;
const POLL_MS = 50;
const IN_USE = /data folder .* is in use by another Herald process/;
const ALL: Selection = { filter: { op: 'and', conditions: [] } };
const ACTIVE_STATUSES: readonly string[] = ['preparing', 'queued', 'in_progress'];

/**
 * The seed of the kill plans: fixed, so a failing run's pattern can be replayed (CRASH_SEED=n to
 * try another). Where exactly a kill lands inside a chunk still varies from run to run.
 */
const SEED = Number(process.env.CRASH_SEED ?? 20_261_125);

/** mulberry32: a tiny seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One planned kill: once `fraction` of the job is done, wait `delayMs`, then SIGKILL. */
interface Kill {
  fraction: number;
  delayMs: number;
}

/**
 * Random kill points, placed by progress rather than by clock so that they land inside the job
 * however fast this machine runs it: one in each of `count` equal slices of 5-60 % of the job
 * (ascending, apart, with the rest left for the polling to lag behind), each followed by a random
 * 0-300 ms delay, several chunks' worth, so kills fall anywhere relative to chunk commits.
 */
function killPlan(random: () => number, count: number): Kill[] {
  const [from, to] = [0.05, 0.6];
  const slice = (to - from) / count;
  return Array.from({ length: count }, (_, i) => ({
    fraction: from + slice * (i + random()),
    delayMs: Math.round(random() * 300),
  }));
}

const planText = (plan: Kill[]) =>
  plan.map((k) => `${Math.round(k.fraction * 100)} % + ${k.delayMs} ms`).join(', ');

// ---- HTTP -------------------------------------------------------------------------------------

/** A logged-in client of one Herald API: the session cookie, plus the CSRF token on writes. */
class Api {
  private cookie = '';
  private csrf = '';

  constructor(private readonly base: string) {}

  async login(): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!session) throw new Error('login set no session cookie');
    this.cookie = session.split(';')[0]!;
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async get<T>(path: string): Promise<T> {
    // A socket kept alive to a server that was just SIGKILLed can fail once; reads may retry.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request<T>('GET', path);
      } catch (err) {
        if (!(err instanceof TypeError) || attempt >= 3) throw err;
        await sleep(200);
      }
    }
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers:
        body === undefined
          ? { cookie: this.cookie }
          : { cookie: this.cookie, 'content-type': 'application/json', 'x-csrf-token': this.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

const accountPath = `/api/accounts/${ACCOUNT}`;
const bulkPath = `${accountPath}/bulk-actions`;

async function createTag(api: Api, name: string): Promise<number> {
  return Number((await api.post<Tag>(`${accountPath}/tags`, { name })).id);
}

async function tagsByName(api: Api): Promise<Map<string, Tag>> {
  const { items } = await api.get<{ items: Tag[] }>(`${accountPath}/tags`);
  return new Map(items.map((t) => [t.name, t]));
}

async function countSelection(api: Api, selection: Selection): Promise<number> {
  return (
    await api.post<{ count: number }>(`${accountPath}/selections/preview`, { selection, sampleSize: 0 })
  ).count;
}

const hasTags = (has: number, hasNot: number): Selection => ({
  filter: {
    op: 'and',
    conditions: [
      { type: 'tag', op: 'has', tagId: String(has) },
      { type: 'tag', op: 'has_not', tagId: String(hasNot) },
    ],
  },
});

/** Creates the action and waits until the worker froze its selection (it answers `preparing`). */
async function startAction(api: Api, body: CreateBulkActionBody): Promise<BulkAction> {
  const created = await api.post<BulkAction>(bulkPath, body);
  let action = created;
  const until = Date.now() + RECOVERY_MS;
  while (action.status === 'preparing' && Date.now() < until) {
    await sleep(POLL_MS);
    action = await getAction(api, created.id);
  }
  expect(action.status, 'the selection was frozen').not.toBe('preparing');
  expect(action.total, `the ${body.type} job selected no contact`).toBeGreaterThan(0);
  return action;
}

const getAction = (api: Api, id: string) => api.get<BulkAction>(`${bulkPath}/${id}`);

// ---- processes --------------------------------------------------------------------------------

/** The process a crash test kills: the worker on PostgreSQL, `herald start` on PGlite. */
interface Victim {
  /** SIGKILLs the running process, then starts its successor and waits until that one is ready. */
  crashAndRestart(): Promise<void>;
  /** The processes that must be running right now (an exit means a failed test). */
  running(): HeraldProcess[];
}

function assertRunning(processes: HeraldProcess[]): void {
  for (const p of processes) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(
        `a herald process exited unexpectedly (${p.child.exitCode ?? p.child.signalCode}):\n` +
          `--- stdout\n${p.stdout}\n--- stderr\n${p.stderr}`,
      );
    }
  }
}

async function waitForAction(
  api: Api,
  id: string,
  victim: Victim,
  what: string,
  until: (action: BulkAction) => boolean,
  timeoutMs: number,
): Promise<BulkAction> {
  const deadline = Date.now() + timeoutMs;
  let last: BulkAction | undefined;
  while (Date.now() < deadline) {
    assertRunning(victim.running());
    last = await getAction(api, id);
    if (until(last)) return last;
    if (!ACTIVE_STATUSES.includes(last.status)) {
      throw new Error(`action ${id} is ${last.status} while waiting for ${what}: ${JSON.stringify(last)}`);
    }
    await sleep(POLL_MS);
  }
  throw new Error(`no ${what} of action ${id} within ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
}

const waitCompleted = (api: Api, id: string, victim: Victim, timeoutMs = FINISH_MS) =>
  waitForAction(api, id, victim, 'completion', (a) => a.status === 'completed', timeoutMs);

/** Where one kill landed: `processed` when its point was seen reached, and as the kill left it. */
interface Landed {
  reached: number;
  left: number;
}

const landedText = (landed: Landed[]) => landed.map((l) => `${l.reached} -> ${l.left}`).join(', ') || 'none';

/**
 * Kills the victim at each planned point while the action runs. Each kill waits until the action
 * is in progress past its point and the (re)started worker has committed a chunk of its own, then
 * its delay. Returns the kills that landed before the end of the job; it stops at the first that
 * did not.
 */
async function crashDuring(api: Api, id: string, victim: Victim, plan: Kill[]): Promise<Landed[]> {
  const landed: Landed[] = [];
  let left = 0;
  for (const { fraction, delayMs } of plan) {
    const reached = await waitForAction(
      api,
      id,
      victim,
      `progress to ${Math.round(fraction * 100)} % and past ${left}`,
      (a) => (a.processed >= fraction * a.total && a.processed > left) || a.status === 'completed',
      RECOVERY_MS,
    );
    if (reached.status === 'completed') break;
    // No second look before the kill: on PGlite a read waits behind the running chunk, and the
    // job would run on meanwhile. Whether the kill landed in time shows right after it.
    await sleep(delayMs);
    await victim.crashAndRestart();
    // Nothing can move until the dead worker's lease runs out, so this is the state it left.
    const after = await getAction(api, id);
    if (after.status === 'completed') break;
    landed.push({ reached: reached.processed, left: after.processed });
    left = after.processed;
  }
  return landed;
}

// ---- database checks --------------------------------------------------------------------------

interface ActionRow {
  status: string;
  total: number;
  cursor: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  leaseOwner: string | null;
}

async function one<T>(db: Db, query: SQL): Promise<T> {
  const [row] = await rows<T>(db, query);
  if (!row) throw new Error('the query returned no row');
  return row;
}

/** Runs a `SELECT count(*)::int AS n ...` and returns n. */
async function count(db: Db, query: SQL): Promise<number> {
  return (await one<{ n: number }>(db, query)).n;
}

const counters = (a: {
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
}) => ({
  total: a.total,
  processed: a.processed,
  succeeded: a.succeeded,
  failed: a.failed,
  skipped: a.skipped,
});

/**
 * What every completed action must satisfy, crashes or not: the cursor at the end, counters that
 * add up, one item per contact, and at most one outcome per contact, one per failed or skipped item.
 */
async function expectExactAction(db: Db, id: string): Promise<ActionRow> {
  const row = await one<ActionRow>(
    db,
    sql`SELECT status, total, cursor, processed, succeeded, failed, skipped, lease_owner AS "leaseOwner"
        FROM bulk_actions WHERE id = ${Number(id)}`,
  );
  expect(row).toMatchObject({
    status: 'completed',
    cursor: row.total,
    processed: row.total,
    leaseOwner: null,
  });
  expect(row.succeeded + row.failed + row.skipped).toBe(row.total);
  const items = await one<{ n: number; contacts: number }>(
    db,
    sql`SELECT count(*)::int AS n, count(DISTINCT contact_id)::int AS contacts
        FROM (SELECT b.action_id, s AS contact_id FROM bulk_action_batches b, unnest(b.subjects) s) items WHERE action_id = ${Number(id)}`,
  );
  expect(items).toEqual({ n: row.total, contacts: row.total });
  const outcomes = await one<{ n: number; contacts: number }>(
    db,
    sql`SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS contacts
        FROM bulk_action_outcomes WHERE action_id = ${Number(id)}`,
  );
  expect(outcomes).toEqual({ n: row.failed + row.skipped, contacts: row.failed + row.skipped });
  return row;
}

/**
 * An add_tag action over contacts of which `pretagged` already had the tag: every item tagged,
 * the new ones counted as succeeded, the others skipped as already tagged, nothing more.
 */
async function expectExactTagJob(db: Db, id: string, tagId: number, pretagged: number): Promise<ActionRow> {
  const row = await expectExactAction(db, id);
  expect(counters(row)).toEqual({
    total: row.total,
    processed: row.total,
    succeeded: row.total - pretagged,
    failed: 0,
    skipped: pretagged,
  });
  expect(
    await count(
      db,
      sql`SELECT count(*)::int AS n FROM bulk_action_outcomes
          WHERE action_id = ${Number(id)} AND outcome = 'skipped' AND reason = 'already_tagged'`,
    ),
  ).toBe(pretagged);
  expect(await count(db, sql`SELECT count(*)::int AS n FROM contact_tags WHERE tag_id = ${tagId}`)).toBe(
    row.succeeded + pretagged,
  );
  expect(
    await count(
      db,
      // A set difference, not NOT EXISTS: without fresh statistics (no autovacuum on the test
      // server) the planner turns the anti-join into a nested loop of 50,000 x 50,000.
      sql`SELECT count(*)::int AS n FROM (
            SELECT contact_id FROM (SELECT b.action_id, s AS contact_id FROM bulk_action_batches b, unnest(b.subjects) s) items WHERE action_id = ${Number(id)}
            EXCEPT SELECT contact_id FROM contact_tags WHERE tag_id = ${tagId}) untagged`,
    ),
    'items left without the tag',
  ).toBe(0);
  return row;
}

/** The crashed run and the uninterrupted run left the same tagged contacts and the same outcomes. */
async function expectSameTagResults(
  db: Db,
  crashed: { id: string; tagId: number },
  clean: { id: string; tagId: number },
): Promise<void> {
  for (const [a, b] of [
    [crashed, clean],
    [clean, crashed],
  ] as const) {
    expect(
      await count(
        db,
        sql`SELECT count(*)::int AS n FROM (
              SELECT contact_id FROM contact_tags WHERE tag_id = ${a.tagId}
              EXCEPT SELECT contact_id FROM contact_tags WHERE tag_id = ${b.tagId}) d`,
      ),
      `contacts with tag ${a.tagId} but not ${b.tagId}`,
    ).toBe(0);
    expect(
      await count(
        db,
        sql`SELECT count(*)::int AS n FROM (
              SELECT subject_id, outcome, reason FROM bulk_action_outcomes WHERE action_id = ${Number(a.id)}
              EXCEPT SELECT subject_id, outcome, reason FROM bulk_action_outcomes WHERE action_id = ${Number(b.id)}) d`,
      ),
      `outcomes of action ${a.id} missing from action ${b.id}`,
    ).toBe(0);
  }
}

/** The same comparison through the API alone: counters, stats, tag counts and filters. */
async function expectSameOverHttp(
  api: Api,
  crashed: { id: string; tagId: number; name: string },
  clean: { id: string; tagId: number; name: string },
  pretagged: number,
): Promise<void> {
  const [a, b] = [await getAction(api, crashed.id), await getAction(api, clean.id)];
  expect([a.status, b.status]).toEqual(['completed', 'completed']);
  expect(counters(a)).toEqual({
    total: a.total,
    processed: a.total,
    succeeded: a.total - pretagged,
    failed: 0,
    skipped: pretagged,
  });
  expect(counters(b)).toEqual(counters(a));
  const stats = await api.get<BulkStats>(`${bulkPath}/${crashed.id}/stats?lang=en`);
  expect(stats).toMatchObject(counters(a));
  expect(stats.reasons).toEqual([
    { outcome: 'skipped', reason: 'already_tagged', label: 'Already had the tag', count: pretagged },
  ]);
  const tags = await tagsByName(api);
  expect(tags.get(crashed.name)?.contactCount).toBe(a.succeeded + pretagged);
  expect(tags.get(clean.name)?.contactCount).toBe(a.succeeded + pretagged);
  expect(await countSelection(api, hasTags(crashed.tagId, clean.tagId))).toBe(0);
  expect(await countSelection(api, hasTags(clean.tagId, crashed.tagId))).toBe(0);
}

/** Two tags for the crashed and the clean run, each pre-set on the same contacts (the VIPs). */
async function prepareTags(
  api: Api,
  victim: Victim,
): Promise<{
  crashed: { tagId: number; name: string };
  clean: { tagId: number; name: string };
  pretagged: number;
}> {
  const vip = (await tagsByName(api)).get('VIP');
  if (!vip) throw new Error('the demo tag VIP is missing');
  const names = { crashed: 'Crash test: killed', clean: 'Crash test: uninterrupted' };
  const crashed = { tagId: await createTag(api, names.crashed), name: names.crashed };
  const clean = { tagId: await createTag(api, names.clean), name: names.clean };
  const vips: Selection = { filter: { op: 'and', conditions: [{ type: 'tag', op: 'has', tagId: vip.id }] } };
  let pretagged = -1;
  for (const { tagId } of [crashed, clean]) {
    const action = await startAction(api, { type: 'add_tag', tagId: String(tagId), selection: vips });
    const done = await waitCompleted(api, action.id, victim);
    expect(done).toMatchObject({ succeeded: done.total, failed: 0, skipped: 0 });
    if (pretagged >= 0) expect(done.total).toBe(pretagged);
    pretagged = done.total;
  }
  return { crashed, clean, pretagged };
}

/** Runs the add_tag job over all contacts twice, killing the victim during the first run. */
async function runTagJobs(
  api: Api,
  victim: Victim,
  tags: Awaited<ReturnType<typeof prepareTags>>,
  plan: Kill[],
  engine: string,
): Promise<{
  crashed: { id: string; tagId: number; name: string };
  clean: { id: string; tagId: number; name: string };
}> {
  const expectedTotal = await countSelection(api, ALL);
  const startedAt = performance.now();
  const crashedAction = await startAction(api, {
    type: 'add_tag',
    tagId: String(tags.crashed.tagId),
    selection: ALL,
  });
  expect(crashedAction.total).toBe(expectedTotal);
  const landed = await crashDuring(api, crashedAction.id, victim, plan);
  const crashedDone = await waitCompleted(api, crashedAction.id, victim);
  const crashedMs = Math.round(performance.now() - startedAt);
  console.info(
    `[${engine}] add_tag over ${crashedDone.total} contacts (seed ${SEED}, kills at ${planText(plan)}): ` +
      `kills landed at processed ${landedText(landed)} (reached -> left); completed in ${crashedMs} ms`,
  );
  expect(landed, `only ${landed.length} of ${plan.length} kills landed before the job ended`).toHaveLength(
    plan.length,
  );

  const cleanStarted = performance.now();
  const cleanAction = await startAction(api, {
    type: 'add_tag',
    tagId: String(tags.clean.tagId),
    selection: ALL,
  });
  await waitCompleted(api, cleanAction.id, victim);
  console.info(`[${engine}] the same job uninterrupted: ${Math.round(performance.now() - cleanStarted)} ms`);
  return {
    crashed: { id: crashedAction.id, ...tags.crashed },
    clean: { id: cleanAction.id, ...tags.clean },
  };
}

// ---- PostgreSQL: the worker process dies, the API stays ----------------------------------------

describe.skipIf(!process.env.DATABASE_URL)(
  'bulk actions survive SIGKILLed worker processes on PostgreSQL (needs DATABASE_URL)',
  () => {
    const random = seededRandom(SEED);
    const cleanups: (() => Promise<void>)[] = [];
    let env: Record<string, string>;
    let api: Api;
    let apiProcess: HeraldProcess;
    let worker: HeraldProcess;
    let database: Database;
    let victim: Victim;
    let tags: Awaited<ReturnType<typeof prepareTags>>;

    const startWorker = async () => {
      const started = spawnHerald(['worker'], { ...env, HERALD_BULK_CHUNK: CHUNK });
      await started.waitForOutput(READY);
      return started;
    };

    beforeAll(async () => {
      const { config, drop } = await createTestDatabaseConfig();
      cleanups.push(drop);
      if (config.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
      const data = await tempDataDir();
      cleanups.push(data.remove);
      env = { DATABASE_URL: config.url, HERALD_SECRET: TEST_SECRET, HERALD_DATA_DIR: data.dir };

      for (const args of [
        ['migrate'],
        ['seed'],
        ['seed', '--contacts', '50000', '--account', String(ACCOUNT)],
      ]) {
        const run = await runHerald(args, env, 2 * WAIT_MS);
        expect(run, `herald ${args.join(' ')}: ${run.stderr}`).toMatchObject({ code: 0, timedOut: false });
      }
      database = await openDatabase(config);
      cleanups.unshift(() => database.close());
      // The test server runs without autovacuum, and Herald does not ANALYZE after seeding: without
      // statistics the planner joins each chunk's items against every contact of the account by
      // nested loop (seconds per 500-contact chunk). Analyze, as autovacuum would on a live server.
      await database.db.execute(sql`ANALYZE`);

      const port = await freePort();
      apiProcess = spawnHerald(['api'], { ...env, PORT: String(port) });
      await apiProcess.waitForOutput(READY);
      worker = await startWorker();
      victim = {
        async crashAndRestart() {
          worker.child.kill('SIGKILL');
          await worker.exited;
          worker = await startWorker();
        },
        running: () => [apiProcess, worker],
      };
      api = new Api(`http://127.0.0.1:${port}`);
      await api.login();
      tags = await prepareTags(api, victim);
    }, 4 * WAIT_MS);

    afterAll(async () => {
      await Promise.all([apiProcess, worker].filter(Boolean).map((p) => p.stop('SIGTERM', 10_000)));
      await killAllHeralds();
      for (const cleanup of cleanups) await cleanup();
    }, 2 * WAIT_MS);

    it(
      'add_tag over 50,000 contacts with the worker killed 3 times ends as an uninterrupted run, counters exact',
      async () => {
        const { crashed, clean } = await runTagJobs(api, victim, tags, killPlan(random, 3), 'postgres');
        const a = await expectExactTagJob(database.db, crashed.id, crashed.tagId, tags.pretagged);
        const b = await expectExactTagJob(database.db, clean.id, clean.tagId, tags.pretagged);
        expect(counters(a)).toEqual(counters(b));
        await expectSameTagResults(database.db, crashed, clean);
        await expectSameOverHttp(api, crashed, clean, tags.pretagged);
      },
      FINISH_MS + 3 * RECOVERY_MS,
    );

    it(
      'delete_contacts with the worker killed twice deletes each selected contact once and records its tags and lists',
      async () => {
        const db = database.db;
        expect(
          await count(db, sql`SELECT count(*)::int AS n FROM contacts WHERE deleted_at IS NOT NULL`),
        ).toBe(0);
        // Every contact outside example.com: some 30,000, about 60 chunks, room for kills well inside.
        const selection: Selection = {
          filter: {
            op: 'and',
            conditions: [{ type: 'email_domain', op: 'not_equals', value: 'example.com' }],
          },
        };
        const expectedTotal = await countSelection(api, selection);
        const plan = killPlan(random, 2);
        const startedAt = performance.now();
        const action = await startAction(api, { type: 'delete_contacts', selection });
        expect(action.total).toBe(expectedTotal);
        const landed = await crashDuring(api, action.id, victim, plan);
        await waitCompleted(api, action.id, victim);
        console.info(
          `[postgres] delete_contacts over ${action.total} contacts (kills at ${planText(plan)}): ` +
            `kills landed at processed ${landedText(landed)} (reached -> left); completed in ${Math.round(performance.now() - startedAt)} ms`,
        );
        expect(
          landed,
          `only ${landed.length} of ${plan.length} kills landed before the job ended`,
        ).toHaveLength(plan.length);

        const id = Number(action.id);
        const row = await expectExactAction(db, action.id);
        expect(counters(row)).toEqual({
          total: expectedTotal,
          processed: expectedTotal,
          succeeded: expectedTotal,
          failed: 0,
          skipped: 0,
        });
        // Exactly the selected contacts are deleted, all of them, and nothing else.
        expect(
          await count(
            db,
            sql`SELECT count(*)::int AS n FROM (SELECT b.action_id, s AS contact_id FROM bulk_action_batches b, unnest(b.subjects) s) i JOIN contacts c ON c.id = i.contact_id
                WHERE i.action_id = ${id} AND c.deleted_at IS NOT NULL`,
          ),
        ).toBe(row.succeeded);
        expect(
          await count(db, sql`SELECT count(*)::int AS n FROM contacts WHERE deleted_at IS NOT NULL`),
        ).toBe(row.succeeded);
        expect(
          await count(
            db,
            sql`SELECT count(*)::int AS n FROM contacts
                WHERE account_id = ${ACCOUNT} AND email_domain IS DISTINCT FROM 'example.com' AND deleted_at IS NULL`,
          ),
        ).toBe(0);
        expect(await countSelection(api, selection)).toBe(0);
        // One restore record per deleted contact, for this action's items only.
        const recorded = await one<{ n: number; contacts: number; items: number }>(
          db,
          sql`SELECT count(*)::int AS n, count(DISTINCT d.contact_id)::int AS contacts,
                     count(i.contact_id)::int AS items
              FROM bulk_deleted_contacts d
              LEFT JOIN (SELECT b.action_id, s AS contact_id FROM bulk_action_batches b, unnest(b.subjects) s) i ON i.action_id = d.action_id AND i.contact_id = d.contact_id
              WHERE d.action_id = ${id}`,
        );
        expect(recorded).toEqual({ n: row.total, contacts: row.total, items: row.total });
        // Each record holds exactly the tags and lists the contact has (deletion is soft: they stay).
        expect(
          await count(
            db,
            sql`SELECT count(*)::int AS n FROM bulk_deleted_contacts d
                WHERE d.action_id = ${id}
                  AND (SELECT coalesce(array_agg(t ORDER BY t), '{}') FROM unnest(d.tag_ids) t)
                      IS DISTINCT FROM
                      (SELECT coalesce(array_agg(ct.tag_id ORDER BY ct.tag_id), '{}') FROM contact_tags ct WHERE ct.contact_id = d.contact_id)`,
          ),
          'deleted contacts whose recorded tags differ from their tags',
        ).toBe(0);
        expect(
          await count(
            db,
            sql`SELECT count(*)::int AS n FROM bulk_deleted_contacts d
                WHERE d.action_id = ${id}
                  AND (SELECT coalesce(array_agg(l ORDER BY l), '{}') FROM unnest(d.list_ids) l)
                      IS DISTINCT FROM
                      (SELECT coalesce(array_agg(lm.list_id ORDER BY lm.list_id), '{}') FROM list_members lm WHERE lm.contact_id = d.contact_id)`,
          ),
          'deleted contacts whose recorded lists differ from their lists',
        ).toBe(0);
      },
      FINISH_MS + 2 * RECOVERY_MS,
    );
  },
);

// ---- PGlite: the one process dies and reopens its data folder -----------------------------------

describe('bulk actions survive a SIGKILLed `herald start` on the embedded database (PGlite)', () => {
  const random = seededRandom(SEED + 1);
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let env: Record<string, string>;
  let api: Api;
  let herald: HeraldProcess | undefined;
  let victim: Victim;
  let tags: Awaited<ReturnType<typeof prepareTags>>;
  const restarts: { attempts: number; ms: number }[] = [];

  /**
   * Starts `herald start` on the data folder, again and again while the dead process's lock is
   * not yet stale (15 s). Any other failure to start is a finding: the folder did not survive.
   */
  const startEmbedded = async (): Promise<HeraldProcess> => {
    const startedAt = performance.now();
    const deadline = Date.now() + 2 * WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      const started = spawnHerald(['start'], env);
      const ready = await started.waitForOutput(READY).then(
        () => true,
        () => false,
      );
      if (ready) {
        restarts.push({ attempts: attempt, ms: Math.round(performance.now() - startedAt) });
        return started;
      }
      await started.stop('SIGKILL');
      if (!IN_USE.test(started.stderr)) {
        throw new Error(
          `herald start failed on attempt ${attempt}, and not because of the lock (is the data folder damaged?)\n` +
            `--- stdout\n${started.stdout}\n--- stderr\n${started.stderr}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(`the data folder was still locked after ${attempt} attempts`);
      await sleep(1000);
    }
  };

  beforeAll(async () => {
    data = await tempDataDir();
    env = { HERALD_DATA_DIR: data.dir, PORT: String(await freePort()), HERALD_BULK_CHUNK: EMBEDDED_CHUNK };
    for (const args of [['seed'], ['seed', '--contacts', '20000', '--account', String(ACCOUNT)]]) {
      const run = await runHerald(args, { HERALD_DATA_DIR: data.dir }, 2 * WAIT_MS);
      expect(run, `herald ${args.join(' ')}: ${run.stderr}`).toMatchObject({ code: 0, timedOut: false });
    }
    herald = await startEmbedded();
    restarts.length = 0;
    victim = {
      async crashAndRestart() {
        herald!.child.kill('SIGKILL');
        await herald!.exited;
        herald = await startEmbedded();
      },
      running: () => [herald!],
    };
    api = new Api(`http://127.0.0.1:${env.PORT}`);
    await api.login();
    tags = await prepareTags(api, victim);
  }, 4 * WAIT_MS);

  afterAll(async () => {
    await herald?.stop('SIGTERM', 10_000);
    await killAllHeralds();
    await data.remove();
  }, 2 * WAIT_MS);

  it(
    'add_tag over 20,000 contacts with the process killed twice ends as an uninterrupted run, counters exact',
    async () => {
      const { crashed, clean } = await runTagJobs(api, victim, tags, killPlan(random, 2), 'pglite');
      console.info(
        `[pglite] restarts after SIGKILL: ${restarts.map((r) => `${r.attempts} attempts, ${r.ms} ms`).join('; ')}`,
      );
      await expectSameOverHttp(api, crashed, clean, tags.pretagged);

      // Then the same checks in SQL, on the folder itself once Herald has let go of it.
      expect(await herald!.stop('SIGTERM')).toEqual({ code: 0, signal: null, forced: false });
      herald = undefined;
      const database = await openDatabase({ kind: 'pglite', dataDir: data.dir });
      try {
        const a = await expectExactTagJob(database.db, crashed.id, crashed.tagId, tags.pretagged);
        const b = await expectExactTagJob(database.db, clean.id, clean.tagId, tags.pretagged);
        expect(counters(a)).toEqual(counters(b));
        await expectSameTagResults(database.db, crashed, clean);
      } finally {
        await database.close();
      }
    },
    FINISH_MS + 2 * RECOVERY_MS,
  );
});
