// Crash test of imports (`import` bulk actions): the process running an import is SIGKILLed at
// seeded moments, once while the file is still being staged (`preparing`) and then while its rows
// are merged chunk by chunk, restarted, and the import must end exactly as an uninterrupted import
// of the same file into an identical account ends: the same contacts, exact counters and figures,
// no contact created twice, the same error log. On PostgreSQL the separate worker process dies
// (API stays up); on PGlite the one `herald start` process dies and must reopen its data folder.
//
// The two demo sub-accounts (Bäckerei, Velo) get the same starting state by importing the same
// "existing customers" file, uninterrupted; then the crashed run imports the main file into the
// one and the uninterrupted run into the other. The main file has new contacts, changed and
// unchanged existing ones, invalid rows and duplicates inside the file, so that every figure
// (created, updated, unchanged, invalid, duplicates) is non-zero and known from the generator.
//
// Recovery after each kill is the engine's own: the dead worker's lease (20 s) runs out, then the
// `bulk.sweep` (every 10 s) queues the action again and a live worker resumes where it stopped (the
// staging after its last committed batch, the merge at the cursor). Every kill costs up to ~30 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabaseConfig } from '../helpers/database.ts';
import { multipartFile } from '../helpers/multipart.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { rows, type Database, type Db } from '../../src/server/db/types.ts';
import { SESSION_COOKIE } from '../../src/server/plugins/auth.ts';
import type { BulkAction } from '../../src/shared/bulk-actions.ts';
import type {
  ColumnMapping,
  ImportSettingsInput,
  ImportSummary,
  ImportUpload,
} from '../../src/shared/imports.ts';
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

/** The demo sub-accounts Bäckerei Sonnenschein (crashed run) and Velo Berlin (uninterrupted run). */
const CRASHED_ACCOUNT = 2;
const CLEAN_ACCOUNT = 3;
/** The agency owner, with every right in both sub-accounts (from `herald seed`). */
const OWNER = { email: 'owner@nordlicht.example', password: 'herald-demo-2026' };
/** Small chunks, so that an import has enough of them for kills to land between and inside them. */
const CHUNK = '500';
/** Rows of the main file, and existing customers imported first (each matched by one main row). */
const ROWS = 20_000;
const EXISTING = 4_000;
/** Lease (20 s) + sweep interval (10 s) + a restart, with room for a loaded machine. */
const RECOVERY_MS = 90_000;
/** The longest an import may take once started, kills and recoveries included. */
const FINISH_MS = 180_000;
const POLL_MS = 50;
const IN_USE = /data folder .* is in use by another Herald process/;
const ACTIVE_STATUSES: readonly string[] = ['preparing', 'queued', 'in_progress'];

/**
 * The seed of the kill plans: fixed, so a failing run's pattern can be replayed (CRASH_SEED=n to
 * try another). Where exactly a kill lands inside a batch or chunk still varies from run to run.
 */
const SEED = Number(process.env.CRASH_SEED ?? 20_261_130);

/** CRASH_TRACE=1 prints each poll and each slow request, with the time, to see where a run waits. */
function trace(...what: unknown[]): void {
  if (process.env.CRASH_TRACE) console.error(new Date().toISOString(), ...what);
}

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

/** One planned kill: once `fraction` of the work is done, wait `delayMs`, then SIGKILL. */
interface Kill {
  fraction: number;
  delayMs: number;
}

/**
 * The kills of one import: the first while the file is staged, at 5-35 % of its rows (staging is
 * short, so the delay after it is at most 30 ms); then `merging` more while the rows are merged,
 * one in each of equal slices of 5-60 % of the items, each after a 0-300 ms delay.
 */
function killPlan(random: () => number, merging: number): { staging: Kill; merging: Kill[] } {
  const staging = { fraction: 0.05 + 0.3 * random(), delayMs: Math.round(random() * 30) };
  const [from, to] = [0.05, 0.6];
  const slice = (to - from) / merging;
  return {
    staging,
    merging: Array.from({ length: merging }, (_, i) => ({
      fraction: from + slice * (i + random()),
      delayMs: Math.round(random() * 300),
    })),
  };
}

const planText = (plan: { staging: Kill; merging: Kill[] }) =>
  [
    `staging ${Math.round(plan.staging.fraction * 100)} % + ${plan.staging.delayMs} ms`,
    ...plan.merging.map((k) => `${Math.round(k.fraction * 100)} % + ${k.delayMs} ms`),
  ].join(', ');

// ---- the files --------------------------------------------------------------------------------

const HEADER = [
  'E-Mail',
  'Telefon',
  'Vorname',
  'Nachname',
  'Newsletter',
  'SMS',
  'Stadt',
  'Treuepunkte',
  'Geburtstag',
  'Tags',
];
/** The mapping of both files: the demo catalogue's custom fields `city`, `loyalty_points`, `birthday`. */
const COLUMNS: ColumnMapping[] = [
  { header: 'E-Mail', target: { kind: 'email' } },
  { header: 'Telefon', target: { kind: 'phone' } },
  { header: 'Vorname', target: { kind: 'first_name' } },
  { header: 'Nachname', target: { kind: 'last_name' } },
  { header: 'Newsletter', target: { kind: 'email_consent' } },
  { header: 'SMS', target: { kind: 'sms_consent' } },
  { header: 'Stadt', target: { kind: 'custom', key: 'city' } },
  { header: 'Treuepunkte', target: { kind: 'custom', key: 'loyalty_points' } },
  { header: 'Geburtstag', target: { kind: 'custom', key: 'birthday' } },
  { header: 'Tags', target: { kind: 'tags' } },
];
/** Consent from the file applies to existing contacts too (never back to subscribed). */
const SETTINGS: ImportSettingsInput = { columns: COLUMNS, mode: 'upsert', applyConsent: true };

const FIRST = ['Jürgen', 'Änne', 'Björn', 'Özlem', 'Søren', 'Zoë', 'Grete', 'Hans-Peter', 'Ümit', 'Maëlle'];
const LAST = [
  'Müller',
  'Weiß',
  'Groß',
  'Schröder',
  'Käßmann',
  'Öztürk',
  'Łukasiewicz',
  'Fußmann',
  'Bär',
  'Dvořák',
];
const CITIES = [
  'München',
  'Köln',
  'Düsseldorf',
  'Görlitz',
  'Fürth',
  'Lübeck',
  'Halle (Saale); Ost',
  'Bad Tölz',
];
const DOMAIN = 'import.example';

/** A cell of a `;`-separated file, quoted when it holds the delimiter, a quote or a line break. */
const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** A number as a German spreadsheet writes it: `12.345` (a group mark) or `734,5`. */
const germanNumber = (n: number, half = false) =>
  (n >= 1000 ? `${Math.floor(n / 1000)}.${String(n % 1000).padStart(3, '0')}` : String(n)) +
  (half ? ',5' : '');
/** The same mobile number in three spellings (all +49 151 …). */
const mobile = (prefix: string, n: number, style: number) => {
  const digits = `${prefix}${String(n).padStart(7, '0')}`;
  return [`+49 151 ${digits}`, `0151 ${digits}`, `+49 (151) ${digits.slice(0, 4)}-${digits.slice(4)}`][
    style % 3
  ]!;
};

interface Row {
  email: string;
  phone: string;
  first: string;
  last: string;
  newsletter: string;
  sms: string;
  city: string;
  points: string;
  birthday: string;
  tags: string;
}

/** A UTF-8 file with BOM, `;`-separated, CRLF: as Excel saves "CSV UTF-8" in Germany. */
function csvFile(fileRows: Row[]): Buffer {
  const lines = [HEADER.join(';')];
  for (const r of fileRows)
    lines.push(
      [r.email, r.phone, r.first, r.last, r.newsletter, r.sms, r.city, r.points, r.birthday, r.tags]
        .map(cell)
        .join(';'),
    );
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);
}

/** Existing customer k (0 ≤ k < EXISTING), as the first file brings them in. */
function existingRow(k: number): Row {
  return {
    email: `kunde${k}@${DOMAIN}`,
    phone: k % 2 === 0 ? mobile('3', k, k) : '',
    first: FIRST[k % FIRST.length]!,
    last: LAST[(k >> 1) % LAST.length]!,
    // Some unsubscribed, some bounced: the main file says "ja" to them and must not resubscribe them.
    newsletter: k % 10 === 1 ? 'nein' : k % 10 === 3 ? 'unzustellbar' : 'ja',
    sms: k % 7 === 3 ? 'nein' : '',
    city: CITIES[k % CITIES.length]!,
    points: germanNumber((k * 37) % 5000),
    birthday: '',
    tags: k % 3 === 0 ? 'Bestand,VIP' : 'Bestand',
  };
}

/** What an import of the main file must report, known from how it was made. */
interface Expected {
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicates: number;
}

/**
 * The main file: every 5th row an existing customer (even k changed: first name, points, consent
 * for some; odd k as they are, with "ja" to the unsubscribed and bounced), the rest new contacts,
 * with invalid emails, phones and numbers here and there, and duplicates of earlier rows (the same
 * email in capitals, the same phone spelled differently), some thousands of rows apart.
 */
function mainFile(): { file: Buffer; expected: Expected } {
  const expected: Expected = { created: 0, updated: 0, unchanged: 0, invalid: 0, duplicates: 0 };
  const fileRows: Row[] = [];
  const firstEmails: string[] = [];
  const newPhones: number[] = [];
  for (let i = 1; i <= ROWS; i++) {
    if (i % 5 === 0) {
      const k = i / 5 - 1;
      const base = existingRow(k);
      if (k % 2 === 0) {
        expected.updated++;
        fileRows.push({
          ...base,
          email: k % 4 === 0 ? base.email.toUpperCase() : base.email,
          phone: mobile('3', k, k + 1),
          first: FIRST[(k + 1) % FIRST.length]!,
          newsletter: k % 4 === 0 ? 'nein' : '',
          city: k % 8 === 2 ? '' : CITIES[(k + 3) % CITIES.length]!,
          points: germanNumber((k * 37 + 1) % 5000),
          birthday: k % 6 === 0 ? `${1 + (k % 28)}.${1 + (k % 12)}.19${50 + (k % 50)}` : '',
          tags: 'Bestand,Aktualisiert',
        });
      } else {
        expected.unchanged++;
        fileRows.push({ ...base, phone: '', newsletter: 'ja', tags: 'Geprüft' });
      }
      firstEmails.push(base.email);
      continue;
    }
    const phoneNo = i % 2 === 0 ? i : null;
    const row: Row = {
      email: i % 3 === 0 ? `Neu${i}@IMPORT.example` : `neu${i}@${DOMAIN}`,
      phone: phoneNo === null ? '' : mobile('2', phoneNo, i),
      first: FIRST[i % FIRST.length]!,
      last: LAST[(i * 7) % LAST.length]!,
      newsletter: i % 11 === 0 ? 'nein' : i % 13 === 0 ? 'unzustellbar' : i % 17 === 0 ? 'ja' : '',
      sms: i % 6 === 0 ? 'nein' : '',
      city: i % 9 === 4 ? '' : CITIES[i % CITIES.length]!,
      points: i % 3 === 0 ? '' : germanNumber((i * 131) % 20_000, i % 7 === 0),
      birthday: i % 4 === 0 ? `${1 + (i % 28)}.${1 + (i % 12)}.${1950 + (i % 50)}` : '',
      tags: ['Kunde,Großhändler', 'Café', '', 'VIP, kunde'][i % 4]!,
    };
    if (i % 97 === 3) {
      fileRows.push({ ...row, email: `kein-email-${i}` });
      expected.invalid++;
    } else if (i % 89 === 7) {
      fileRows.push({ ...row, phone: 'Tel. unbekannt' });
      expected.invalid++;
    } else if (i % 83 === 5) {
      fileRows.push({ ...row, points: 'viel' });
      expected.invalid++;
    } else if (i % 41 === 9 && firstEmails.length) {
      const of = firstEmails[(i * 7919) % firstEmails.length]!;
      fileRows.push({ ...row, email: of.toUpperCase(), phone: '', first: 'Doppelt' });
      expected.duplicates++;
    } else if (i % 43 === 10 && newPhones.length) {
      const of = newPhones[(i * 7919) % newPhones.length]!;
      fileRows.push({ ...row, phone: mobile('2', of, of + 1), first: 'Doppelt' });
      expected.duplicates++;
    } else {
      fileRows.push(row);
      expected.created++;
      firstEmails.push(row.email.toLowerCase());
      if (phoneNo !== null) newPhones.push(phoneNo);
    }
  }
  return { file: csvFile(fileRows), expected };
}

const EXISTING_FILE = csvFile(Array.from({ length: EXISTING }, (_, k) => existingRow(k)));
const MAIN = mainFile();

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
      signal: AbortSignal.timeout(2 * WAIT_MS),
    });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!session) throw new Error('login set no session cookie');
    this.cookie = session.split(';')[0]!;
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async get<T>(path: string): Promise<T> {
    return JSON.parse(await this.text(path)) as T;
  }

  async text(path: string): Promise<string> {
    // A socket kept alive to a server that was just SIGKILLed can fail once; reads may retry.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request('GET', path);
      } catch (err) {
        if (!(err instanceof TypeError) || attempt >= 3) throw err;
        await sleep(200);
      }
    }
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return JSON.parse(
      await this.request('POST', path, JSON.stringify(body), { 'content-type': 'application/json' }),
    ) as T;
  }

  async upload(account: number, content: Buffer, fileName: string): Promise<ImportUpload> {
    const { body, headers } = multipartFile(content, fileName);
    return JSON.parse(
      await this.request('POST', `/api/accounts/${account}/imports/uploads`, new Uint8Array(body), headers),
    ) as ImportUpload;
  }

  private async request(
    method: string,
    path: string,
    body?: string | Uint8Array<ArrayBuffer>,
    headers: Record<string, string> = {},
  ): Promise<string> {
    const t0 = performance.now();
    if (method !== 'GET') trace('request', method, path);
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers:
          body === undefined
            ? { cookie: this.cookie }
            : { cookie: this.cookie, 'x-csrf-token': this.csrf, ...headers },
        body,
        signal: AbortSignal.timeout(2 * WAIT_MS),
      });
      text = await res.text();
    } catch (err) {
      // Say which request: a bare TimeoutError does not.
      if (err instanceof Error && err.name === 'TimeoutError')
        throw new Error(`${method} ${path}: no answer within ${2 * WAIT_MS} ms`, { cause: err });
      throw err;
    }
    if (performance.now() - t0 > 500) trace('slow', method, path, `${Math.round(performance.now() - t0)} ms`);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text;
  }
}

/** One import: the account it ran in and its bulk action. */
interface Run {
  account: number;
  id: string;
}

const actionPath = (r: Run) => `/api/accounts/${r.account}/bulk-actions/${r.id}`;
const getAction = (api: Api, r: Run) => api.get<BulkAction>(actionPath(r));
const getSummary = (api: Api, r: Run) => api.get<ImportSummary>(`/api/accounts/${r.account}/imports/${r.id}`);

/** Uploads `file` into `account` and starts its import; answers at once (the action is `preparing`). */
async function startImport(api: Api, account: number, file: Buffer, fileName: string): Promise<Run> {
  const upload = await api.upload(account, file, fileName);
  expect(upload.detected).toEqual({ encoding: 'utf-8', delimiter: ';' });
  expect(upload.header).toEqual(HEADER);
  const action = await api.post<BulkAction>(`/api/accounts/${account}/imports`, {
    uploadId: upload.id,
    settings: SETTINGS,
  });
  expect(action.type).toBe('import');
  return { account, id: action.id };
}

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
  run: Run,
  victim: Victim,
  what: string,
  until: (action: BulkAction) => boolean,
  timeoutMs: number,
): Promise<BulkAction> {
  const deadline = Date.now() + timeoutMs;
  let last: BulkAction | undefined;
  while (Date.now() < deadline) {
    assertRunning(victim.running());
    last = await getAction(api, run);
    trace(`import ${run.id}`, last.status, last.processed, last.total);
    if (until(last)) return last;
    if (!ACTIVE_STATUSES.includes(last.status)) {
      throw new Error(
        `import ${run.id} is ${last.status} while waiting for ${what}: ${JSON.stringify(last)}`,
      );
    }
    await sleep(POLL_MS);
  }
  throw new Error(`no ${what} of import ${run.id} within ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
}

const waitCompleted = (api: Api, run: Run, victim: Victim, timeoutMs = FINISH_MS) =>
  waitForAction(api, run, victim, 'completion', (a) => a.status === 'completed', timeoutMs);

/** Where one kill landed: the progress seen when its point was reached, and as the kill left it. */
interface Landed {
  reached: number;
  left: number;
}

const landedText = (landed: Landed[]) => landed.map((l) => `${l.reached} -> ${l.left}`).join(', ') || 'none';

/**
 * Kills the victim while the file is being staged: once at least `fraction` of its rows are staged
 * (committed), after `delayMs`. The kill must leave the import `preparing` with rows still to
 * stage; a machine that stages the whole file between two polls fails the test rather than
 * silently testing less.
 */
async function crashWhileStaging(api: Api, run: Run, victim: Victim, kill: Kill): Promise<Landed> {
  const deadline = Date.now() + RECOVERY_MS;
  let seen: ImportSummary;
  for (;;) {
    assertRunning(victim.running());
    seen = await getSummary(api, run);
    trace(`import ${run.id} staging`, seen.status, seen.rowsRead);
    if (seen.status !== 'preparing' || seen.rowsRead >= ROWS)
      throw new Error(`the file was staged before the planned kill: ${JSON.stringify(seen)}`);
    if (seen.rowsRead >= kill.fraction * ROWS) break;
    if (Date.now() > deadline) throw new Error(`staging did not reach the kill: ${JSON.stringify(seen)}`);
    await sleep(10);
  }
  await sleep(kill.delayMs);
  await victim.crashAndRestart();
  // Nothing moves until the dead worker's lease runs out, so this is the state it left.
  const after = await getSummary(api, run);
  expect(after.status, 'the staging kill landed while the import was preparing').toBe('preparing');
  expect(after.rowsRead, 'the staging kill landed before the whole file was staged').toBeLessThan(ROWS);
  return { reached: seen.rowsRead, left: after.rowsRead };
}

/**
 * Kills the victim at each planned point while the rows are merged. Each kill waits until the
 * import is in progress past its point and the (re)started worker has committed a chunk of its
 * own, then its delay. Returns the kills that landed before the end; it stops at the first that
 * did not.
 */
async function crashWhileMerging(api: Api, run: Run, victim: Victim, plan: Kill[]): Promise<Landed[]> {
  const landed: Landed[] = [];
  let left = 0;
  for (const { fraction, delayMs } of plan) {
    const reached = await waitForAction(
      api,
      run,
      victim,
      `progress to ${Math.round(fraction * 100)} % and past ${left}`,
      (a) =>
        (a.status === 'in_progress' && a.processed >= fraction * a.total && a.processed > left) ||
        a.status === 'completed',
      RECOVERY_MS,
    );
    if (reached.status === 'completed') break;
    // No second look before the kill: on PGlite a read waits behind the running chunk.
    await sleep(delayMs);
    await victim.crashAndRestart();
    const after = await getAction(api, run);
    if (after.status === 'completed') break;
    landed.push({ reached: reached.processed, left: after.processed });
    left = after.processed;
  }
  return landed;
}

/** The same starting state in both accounts: the existing customers, imported uninterrupted. */
async function importExisting(api: Api, victim: Victim): Promise<void> {
  const runs: Run[] = [];
  for (const account of [CRASHED_ACCOUNT, CLEAN_ACCOUNT]) {
    const run = await startImport(api, account, EXISTING_FILE, 'bestandskunden.csv');
    await waitCompleted(api, run, victim);
    runs.push(run);
  }
  for (const run of runs)
    expect(await getSummary(api, run)).toMatchObject({
      status: 'completed',
      rowsRead: EXISTING,
      created: EXISTING,
      invalid: 0,
      duplicates: 0,
      failed: 0,
      skipped: 0,
    });
}

/** Imports the main file into the one account with the victim killed during it, then into the other. */
async function runImports(
  api: Api,
  victim: Victim,
  plan: { staging: Kill; merging: Kill[] },
  engine: string,
): Promise<{ crashed: Run; clean: Run }> {
  const startedAt = performance.now();
  const crashed = await startImport(api, CRASHED_ACCOUNT, MAIN.file, 'kunden-export.csv');
  const staging = await crashWhileStaging(api, crashed, victim, plan.staging);
  const landed = await crashWhileMerging(api, crashed, victim, plan.merging);
  const done = await waitCompleted(api, crashed, victim);
  console.info(
    `[${engine}] import of ${done.total} rows (seed ${SEED}, kills at ${planText(plan)}): ` +
      `staging kill at rows ${landedText([staging])}, merge kills at processed ${landedText(landed)} ` +
      `(reached -> left); completed in ${Math.round(performance.now() - startedAt)} ms`,
  );
  expect(landed, `only ${landed.length} of ${plan.merging.length} kills landed before the end`).toHaveLength(
    plan.merging.length,
  );

  const cleanStarted = performance.now();
  const clean = await startImport(api, CLEAN_ACCOUNT, MAIN.file, 'kunden-export.csv');
  await waitCompleted(api, clean, victim);
  console.info(
    `[${engine}] the same import uninterrupted: ${Math.round(performance.now() - cleanStarted)} ms`,
  );
  return { crashed, clean };
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

const EXPECTED_COUNTERS = {
  total: ROWS,
  processed: ROWS,
  succeeded: MAIN.expected.created + MAIN.expected.updated + MAIN.expected.unchanged,
  failed: MAIN.expected.invalid,
  skipped: MAIN.expected.duplicates,
};

/** Both imports through the API: exact counters and figures, the same error log and failed rows. */
async function expectSameOverHttp(api: Api, crashed: Run, clean: Run): Promise<void> {
  for (const run of [crashed, clean]) {
    const action = await getAction(api, run);
    expect(action.status).toBe('completed');
    expect(counters(action), `counters of import ${run.id}`).toEqual(EXPECTED_COUNTERS);
    expect(await getSummary(api, run), `figures of import ${run.id}`).toMatchObject({
      status: 'completed',
      rowsRead: ROWS,
      ...MAIN.expected,
      failed: MAIN.expected.invalid,
      skipped: MAIN.expected.duplicates,
    });
  }
  // The error log: one line per failed or skipped row, the same lines (row numbers, keys, column,
  // code, message, the row a duplicate collides with) in both.
  const errorLog = async (run: Run) =>
    (await api.text(`${actionPath(run)}/errors.csv?lang=en`)).trimEnd().split('\n');
  const [a, b] = [await errorLog(crashed), await errorLog(clean)];
  expect(a.length - 1).toBe(MAIN.expected.invalid + MAIN.expected.duplicates);
  expect(a[0]).toBe(b[0]);
  expect(new Set(a).size, 'error log lines repeated').toBe(a.length);
  expect(a.slice(1).sort()).toEqual(b.slice(1).sort());
  const failedRows = (run: Run) => api.text(`/api/accounts/${run.account}/imports/${run.id}/failed-rows.csv`);
  const failed = await failedRows(crashed);
  expect(failed.trimEnd().split('\r\n')).toHaveLength(MAIN.expected.invalid + 1);
  expect(await failedRows(clean)).toBe(failed);
}

// ---- database checks --------------------------------------------------------------------------

async function one<T>(db: Db, query: SQL): Promise<T> {
  const [row] = await rows<T>(db, query);
  if (!row) throw new Error('the query returned no row');
  return row;
}

/** The imported contacts of an account, one comparable line each, ordered by email. */
async function importedContacts(db: Db, account: number): Promise<string[]> {
  const found = await rows<{ line: string }>(
    db,
    sql`SELECT concat_ws(' | ', lower(c.email), c.phone, c.first_name, c.last_name, c.email_consent, c.sms_consent,
                         c.custom_fields::text,
                         (SELECT string_agg(t.name, ',' ORDER BY t.name) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                          WHERE ct.contact_id = c.id)) AS line
        FROM contacts c
        WHERE c.account_id = ${account} AND c.deleted_at IS NULL AND lower(c.email) LIKE ${`%@${DOMAIN}`}
        ORDER BY lower(c.email)`,
  );
  return found.map((r) => r.line);
}

/**
 * What a completed import must satisfy, crashes or not: the cursor at the end, the lease given
 * back, counters that add up, one outcome per failed or skipped row, each created contact recorded
 * once for undo, and the staged rows dropped.
 */
async function expectExactImport(db: Db, run: Run): Promise<void> {
  const id = Number(run.id);
  const row = await one<{ status: string; total: number; cursor: number; leaseOwner: string | null }>(
    db,
    sql`SELECT status, total, cursor, lease_owner AS "leaseOwner" FROM bulk_actions WHERE id = ${id}`,
  );
  expect(row).toEqual({ status: 'completed', total: ROWS, cursor: ROWS, leaseOwner: null });
  const outcomes = await one<{ n: number; rows: number }>(
    db,
    sql`SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS rows FROM bulk_action_outcomes WHERE action_id = ${id}`,
  );
  const notMerged = MAIN.expected.invalid + MAIN.expected.duplicates;
  expect(outcomes).toEqual({ n: notMerged, rows: notMerged });
  const created = await one<{ n: number; contacts: number; live: number }>(
    db,
    sql`SELECT count(*)::int AS n, count(DISTINCT x.id)::int AS contacts, count(c.id)::int AS live
        FROM (SELECT unnest(contact_ids) AS id FROM import_created WHERE action_id = ${id}) x
        LEFT JOIN contacts c ON c.id = x.id AND c.account_id = ${run.account} AND c.deleted_at IS NULL`,
  );
  const n = MAIN.expected.created;
  expect(created, 'contacts recorded as created by the import').toEqual({ n, contacts: n, live: n });
  expect(
    (await one<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM import_rows WHERE action_id = ${id}`)).n,
    'staged rows left behind',
  ).toBe(0);
}

/** The crashed and the clean account hold the same contacts, none twice, and the expected number. */
async function expectSameContacts(db: Db, crashed: Run, clean: Run): Promise<void> {
  for (const run of [crashed, clean]) {
    const twice = await rows<{ email: string; n: number }>(
      db,
      sql`SELECT lower(email) AS email, count(*)::int AS n FROM contacts
          WHERE account_id = ${run.account} AND deleted_at IS NULL AND email IS NOT NULL
          GROUP BY lower(email) HAVING count(*) > 1 LIMIT 5`,
    );
    expect(twice, `contacts created twice in account ${run.account}`).toEqual([]);
  }
  const [a, b] = [await importedContacts(db, crashed.account), await importedContacts(db, clean.account)];
  expect(a).toHaveLength(EXISTING + MAIN.expected.created);
  const [inA, inB] = [new Set(a), new Set(b)];
  const onlyA = a.filter((line) => !inB.has(line)).slice(0, 5);
  const onlyB = b.filter((line) => !inA.has(line)).slice(0, 5);
  expect({ onlyCrashed: onlyA, onlyClean: onlyB }).toEqual({ onlyCrashed: [], onlyClean: [] });
  expect(a).toEqual(b);
  // Spot checks that the runs are not equal by being equally wrong.
  const byEmail = new Map(a.map((line) => [line.split(' | ')[0]!, line]));
  // Existing, unsubscribed, "ja" in the file: still unsubscribed; unchanged otherwise.
  expect(byEmail.get(`kunde1@${DOMAIN}`)).toMatch(
    /^kunde1@import\.example \| Änne \| Müller \| unsubscribed \| subscribed \| \{"city": "Köln", "loyalty_points": 37\} \| Bestand,Geprüft$/,
  );
  // Existing and changed: new first name, phone unchanged in another spelling, unsubscribed by the file.
  expect(byEmail.get(`kunde0@${DOMAIN}`)).toMatch(
    /^kunde0@import\.example \| \+4915130000000 \| Änne \| Müller \| unsubscribed \| /,
  );
  // New, with umlauts, a decimal-comma number, a German date and tags made by the import.
  expect(byEmail.get(`neu28@${DOMAIN}`)).toBe(
    `neu28@${DOMAIN} | +4915120000028 | Ümit | Łukasiewicz | subscribed | subscribed | ` +
      '{"city": "Fürth", "birthday": "1978-05-01", "loyalty_points": 3668.5} | Großhändler,Kunde',
  );
  // "VIP, kunde": the tag the first chunk made as "Kunde"; "nein" to the newsletter.
  expect(byEmail.get(`neu11@${DOMAIN}`)).toBe(
    `neu11@${DOMAIN} | Änne | Fußmann | unsubscribed | subscribed | {"city": "Görlitz", "loyalty_points": 1441} | Kunde,VIP`,
  );
  // A quoted cell with the delimiter in it; an email in capitals; SMS "nein".
  expect(byEmail.get(`neu6@${DOMAIN}`)).toBe(
    `neu6@${DOMAIN} | +4915120000006 | Grete | Groß | subscribed | unsubscribed | {"city": "Halle (Saale); Ost"}`,
  );
}

// ---- PostgreSQL: the worker process dies, the API stays ----------------------------------------

describe.skipIf(!process.env.DATABASE_URL)(
  'imports survive SIGKILLed worker processes on PostgreSQL (needs DATABASE_URL)',
  () => {
    const random = seededRandom(SEED);
    const cleanups: (() => Promise<void>)[] = [];
    let env: Record<string, string>;
    let api: Api;
    let apiProcess: HeraldProcess;
    let worker: HeraldProcess;
    let database: Database;
    let victim: Victim;

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
      // API and worker share the data folder: the worker reads the files the API stored.
      env = { DATABASE_URL: config.url, HERALD_SECRET: TEST_SECRET, HERALD_DATA_DIR: data.dir };
      for (const args of [['migrate'], ['seed']]) {
        const run = await runHerald(args, env, 2 * WAIT_MS);
        expect(run, `herald ${args.join(' ')}: ${run.stderr}`).toMatchObject({ code: 0, timedOut: false });
      }
      database = await openDatabase(config);
      cleanups.unshift(() => database.close());

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
      await importExisting(api, victim);
    }, 4 * WAIT_MS);

    afterAll(async () => {
      await Promise.all([apiProcess, worker].filter(Boolean).map((p) => p.stop('SIGTERM', 10_000)));
      await killAllHeralds();
      for (const cleanup of cleanups) await cleanup();
    }, 2 * WAIT_MS);

    it(
      `an import of ${ROWS.toLocaleString('en')} rows with the worker killed while staging and twice while merging ends as an uninterrupted import`,
      async () => {
        const { crashed, clean } = await runImports(api, victim, killPlan(random, 2), 'postgres');
        await expectSameOverHttp(api, crashed, clean);
        await expectExactImport(database.db, crashed);
        await expectExactImport(database.db, clean);
        await expectSameContacts(database.db, crashed, clean);
      },
      FINISH_MS + 3 * RECOVERY_MS,
    );
  },
);

// ---- PGlite: the one process dies and reopens its data folder -----------------------------------

describe('imports survive a SIGKILLed `herald start` on the embedded database (PGlite)', () => {
  const random = seededRandom(SEED + 1);
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let env: Record<string, string>;
  let api: Api;
  let herald: HeraldProcess | undefined;
  let victim: Victim;
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
    env = { HERALD_DATA_DIR: data.dir, PORT: String(await freePort()), HERALD_BULK_CHUNK: CHUNK };
    const seeded = await runHerald(['seed'], { HERALD_DATA_DIR: data.dir }, 2 * WAIT_MS);
    expect(seeded, `herald seed: ${seeded.stderr}`).toMatchObject({ code: 0, timedOut: false });
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
    await importExisting(api, victim);
  }, 4 * WAIT_MS);

  afterAll(async () => {
    trace('herald start stderr', herald?.stderr);
    await herald?.stop('SIGTERM', 10_000);
    await killAllHeralds();
    await data.remove();
  }, 2 * WAIT_MS);

  it(
    `an import of ${ROWS.toLocaleString('en')} rows with the process killed while staging and while merging ends as an uninterrupted import`,
    async () => {
      const { crashed, clean } = await runImports(api, victim, killPlan(random, 1), 'pglite');
      console.info(
        `[pglite] restarts after SIGKILL: ${restarts.map((r) => `${r.attempts} attempts, ${r.ms} ms`).join('; ')}`,
      );
      await expectSameOverHttp(api, crashed, clean);

      // Then the same checks in SQL, on the folder itself once Herald has let go of it.
      expect(await herald!.stop('SIGTERM')).toEqual({ code: 0, signal: null, forced: false });
      herald = undefined;
      const database = await openDatabase({ kind: 'pglite', dataDir: data.dir });
      try {
        await expectExactImport(database.db, crashed);
        await expectExactImport(database.db, clean);
        await expectSameContacts(database.db, crashed, clean);
      } finally {
        await database.close();
      }
    },
    FINISH_MS + 2 * RECOVERY_MS,
  );
});
