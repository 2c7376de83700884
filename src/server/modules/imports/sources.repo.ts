// SQL of scheduled import sources, their runs, and the account's PGP key for import files.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import {
  importScheduleSchema,
  type ImportRun,
  type ImportSchedule,
  type RemoteProtocol,
} from '../../../shared/import-sources.ts';

/** A source as stored, secrets still sealed. */
export interface SourceRow {
  id: number;
  accountId: number;
  name: string;
  protocol: RemoteProtocol;
  host: string;
  port: number;
  username: string;
  passwordSealed: string | null;
  privateKeySealed: string | null;
  keyPassphraseSealed: string | null;
  hostKeyFingerprint: string | null;
  folder: string;
  pattern: string;
  schedule: ImportSchedule;
  mappingId: number;
  decrypt: boolean;
  afterImport: 'delete' | 'move' | 'leave';
  moveTo: string | null;
  missingAfterMinutes: number;
  allowSelfSigned: boolean;
  enabled: boolean;
  nextRunAt: string | null;
  createdBy: number | null;
  createdAt: string;
}

const SOURCE_COLUMNS = sql`id, account_id AS "accountId", name, protocol, host, port, username,
  password_sealed AS "passwordSealed", private_key_sealed AS "privateKeySealed",
  key_passphrase_sealed AS "keyPassphraseSealed", host_key_fingerprint AS "hostKeyFingerprint", folder, pattern,
  schedule, mapping_id AS "mappingId", decrypt, after_import AS "afterImport", move_to AS "moveTo",
  missing_after_minutes AS "missingAfterMinutes", allow_self_signed AS "allowSelfSigned", enabled,
  next_run_at AS "nextRunAt", created_by AS "createdBy", created_at AS "createdAt"`;

function toSource(r: SourceRow): SourceRow {
  return {
    ...r,
    id: Number(r.id),
    accountId: Number(r.accountId),
    mappingId: Number(r.mappingId),
    createdBy: r.createdBy === null ? null : Number(r.createdBy),
    schedule: importScheduleSchema.parse(r.schedule),
    nextRunAt: r.nextRunAt === null ? null : new Date(r.nextRunAt).toISOString(),
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

export async function listSources(q: Queryable, accountId: AccountId): Promise<SourceRow[]> {
  const found = await rows<SourceRow>(
    q,
    sql`SELECT ${SOURCE_COLUMNS} FROM import_sources WHERE account_id = ${accountId} ORDER BY lower(name), id`,
  );
  return found.map(toSource);
}

export async function findSource(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<SourceRow | undefined> {
  const [found] = await rows<SourceRow>(
    q,
    sql`SELECT ${SOURCE_COLUMNS} FROM import_sources WHERE account_id = ${accountId} AND id = ${id}`,
  );
  return found && toSource(found);
}

/** The stored columns a create or update writes (secrets sealed by the service). */
export type SourceValues = Omit<SourceRow, 'id' | 'accountId' | 'createdAt' | 'createdBy'>;

export async function insertSource(
  q: Queryable,
  accountId: AccountId,
  v: SourceValues & { createdBy: number; now: Date },
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO import_sources (account_id, name, protocol, host, port, username, password_sealed, private_key_sealed,
          key_passphrase_sealed, host_key_fingerprint, folder, pattern, schedule, mapping_id, decrypt, after_import, move_to,
          missing_after_minutes, allow_self_signed, enabled, next_run_at, created_by, created_at, updated_at)
        VALUES (${accountId}, ${v.name}, ${v.protocol}, ${v.host}, ${v.port}, ${v.username}, ${v.passwordSealed},
          ${v.privateKeySealed}, ${v.keyPassphraseSealed}, ${v.hostKeyFingerprint}, ${v.folder}, ${v.pattern},
          ${JSON.stringify(v.schedule)}::jsonb, ${v.mappingId}, ${v.decrypt}, ${v.afterImport}, ${v.moveTo},
          ${v.missingAfterMinutes}, ${v.allowSelfSigned}, ${v.enabled}, ${v.nextRunAt}::timestamptz, ${v.createdBy},
          ${v.now.toISOString()}::timestamptz, ${v.now.toISOString()}::timestamptz)
        RETURNING id`,
  );
  return Number(row!.id);
}

/** Replaces a source's settings; `runAs`: who saved it (scheduled runs import as them). */
export async function updateSource(
  q: Queryable,
  accountId: AccountId,
  id: number,
  v: SourceValues,
  runAs: number,
  now: Date,
): Promise<void> {
  await q.execute(
    sql`UPDATE import_sources SET name = ${v.name}, protocol = ${v.protocol}, host = ${v.host}, port = ${v.port},
          username = ${v.username}, password_sealed = ${v.passwordSealed}, private_key_sealed = ${v.privateKeySealed},
          key_passphrase_sealed = ${v.keyPassphraseSealed}, host_key_fingerprint = ${v.hostKeyFingerprint},
          folder = ${v.folder}, pattern = ${v.pattern}, schedule = ${JSON.stringify(v.schedule)}::jsonb,
          mapping_id = ${v.mappingId}, decrypt = ${v.decrypt}, after_import = ${v.afterImport}, move_to = ${v.moveTo},
          missing_after_minutes = ${v.missingAfterMinutes}, allow_self_signed = ${v.allowSelfSigned},
          enabled = ${v.enabled}, next_run_at = ${v.nextRunAt}::timestamptz, created_by = ${runAs}, updated_at = ${now.toISOString()}::timestamptz
        WHERE account_id = ${accountId} AND id = ${id}`,
  );
}

export async function deleteSource(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  const gone = await rows<{ id: number }>(
    q,
    sql`DELETE FROM import_sources WHERE account_id = ${accountId} AND id = ${id} RETURNING id`,
  );
  return gone.length > 0;
}

export async function pinHostKey(q: Queryable, id: number, fingerprint: string): Promise<void> {
  await q.execute(
    sql`UPDATE import_sources SET host_key_fingerprint = ${fingerprint} WHERE id = ${id} AND host_key_fingerprint IS NULL`,
  );
}

export async function setNextRun(q: Queryable, id: number, at: Date | null): Promise<void> {
  await q.execute(
    sql`UPDATE import_sources SET next_run_at = ${at?.toISOString() ?? null}::timestamptz WHERE id = ${id}`,
  );
}

/**
 * Takes the source for one run unless another run holds it (a crashed run's hold expires):
 * answers whether this run may go on. Outside any tenant (the worker's own bookkeeping).
 */
export async function holdSource(q: Queryable, id: number, until: Date, now: Date): Promise<boolean> {
  const held = await rows<{ id: number }>(
    q,
    sql`UPDATE import_sources SET lease_until = ${until.toISOString()}::timestamptz
        WHERE id = ${id} AND (lease_until IS NULL OR lease_until < ${now.toISOString()}::timestamptz) RETURNING id`,
  );
  return held.length > 0;
}

export async function releaseSource(q: Queryable, id: number): Promise<void> {
  await q.execute(sql`UPDATE import_sources SET lease_until = NULL WHERE id = ${id}`);
}

/** Enabled sources whose time has come: (account, id). */
export async function dueSources(q: Queryable, now: Date): Promise<{ accountId: number; id: number }[]> {
  const found = await rows<{ accountId: number; id: number }>(
    q,
    sql`SELECT account_id AS "accountId", id FROM import_sources
        WHERE enabled AND next_run_at <= ${now.toISOString()}::timestamptz
          AND (lease_until IS NULL OR lease_until < ${now.toISOString()}::timestamptz)
        ORDER BY next_run_at LIMIT 100`,
  );
  return found.map((f) => ({ accountId: Number(f.accountId), id: Number(f.id) }));
}

interface RunRow {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  state: ImportRun['state'];
  trigger: ImportRun['trigger'];
  fileName: string | null;
  sha256: string | null;
  actionId: number | null;
  cause: string | null;
  detail: string | null;
}

const RUN_COLUMNS = sql`id, started_at AS "startedAt", finished_at AS "finishedAt", state, trigger, file_name AS "fileName",
  sha256, action_id AS "actionId", cause, detail`;

function toRun(r: RunRow): ImportRun {
  return {
    id: String(r.id),
    startedAt: new Date(r.startedAt).toISOString(),
    finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
    state: r.state,
    trigger: r.trigger,
    fileName: r.fileName,
    sha256: r.sha256,
    actionId: r.actionId === null ? null : String(r.actionId),
    cause: r.cause,
    detail: r.detail,
  };
}

export async function insertRun(
  q: Queryable,
  accountId: AccountId,
  sourceId: number,
  trigger: ImportRun['trigger'],
  now: Date,
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO import_runs (account_id, source_id, trigger, state, started_at)
        VALUES (${accountId}, ${sourceId}, ${trigger}, 'running', ${now.toISOString()}::timestamptz) RETURNING id`,
  );
  return Number(row!.id);
}

export async function finishRun(
  q: Queryable,
  runId: number,
  r: {
    state: ImportRun['state'];
    fileName?: string | null;
    sha256?: string | null;
    actionId?: number | null;
    cause?: string | null;
    detail?: string | null;
    now: Date;
  },
): Promise<void> {
  await q.execute(
    sql`UPDATE import_runs SET state = ${r.state}, file_name = ${r.fileName ?? null}, sha256 = ${r.sha256 ?? null},
          action_id = ${r.actionId ?? null}, cause = ${r.cause ?? null}, detail = ${r.detail ?? null},
          finished_at = ${r.now.toISOString()}::timestamptz
        WHERE id = ${runId}`,
  );
}

/** Adds a note to a finished run (e.g. the imported file could not be deleted on the server). */
export async function noteRun(q: Queryable, runId: number, detail: string): Promise<void> {
  await q.execute(sql`UPDATE import_runs SET detail = ${detail.slice(0, 2000)} WHERE id = ${runId}`);
}

export async function listRuns(
  q: Queryable,
  accountId: AccountId,
  sourceId: number,
  limit = 50,
): Promise<ImportRun[]> {
  const found = await rows<RunRow>(
    q,
    sql`SELECT ${RUN_COLUMNS} FROM import_runs WHERE account_id = ${accountId} AND source_id = ${sourceId}
        ORDER BY id DESC LIMIT ${limit}`,
  );
  return found.map(toRun);
}

/** The newest run of each of these sources. */
export async function lastRuns(q: Queryable, accountId: AccountId): Promise<Map<number, ImportRun>> {
  const found = await rows<RunRow & { sourceId: number }>(
    q,
    sql`SELECT DISTINCT ON (source_id) source_id AS "sourceId", ${RUN_COLUMNS} FROM import_runs
        WHERE account_id = ${accountId} ORDER BY source_id, id DESC`,
  );
  return new Map(found.map((r) => [Number(r.sourceId), toRun(r)]));
}

/** Whether this source already imported a file with this content. */
export async function importedBefore(q: Queryable, sourceId: number, sha256: string): Promise<boolean> {
  const found = await rows<{ id: number }>(
    q,
    sql`SELECT id FROM import_runs WHERE source_id = ${sourceId} AND sha256 = ${sha256} AND state = 'imported' LIMIT 1`,
  );
  return found.length > 0;
}

/** When this source last imported a file (or was created): for `file_missing`. */
export async function lastImportAt(q: Queryable, sourceId: number): Promise<Date> {
  const [found] = await rows<{ at: string }>(
    q,
    sql`SELECT coalesce((SELECT max(finished_at) FROM import_runs WHERE source_id = ${sourceId} AND state = 'imported'),
                        (SELECT created_at FROM import_sources WHERE id = ${sourceId})) AS at`,
  );
  return new Date(found!.at);
}

export interface PgpKeyRow {
  fingerprint: string;
  userId: string;
  publicKey: string;
  privateKeySealed: string;
  passphraseSealed: string;
  createdAt: string;
}

export async function findPgpKey(q: Queryable, accountId: AccountId): Promise<PgpKeyRow | undefined> {
  const [found] = await rows<PgpKeyRow>(
    q,
    sql`SELECT fingerprint, user_id AS "userId", public_key AS "publicKey", private_key_sealed AS "privateKeySealed",
               passphrase_sealed AS "passphraseSealed", created_at AS "createdAt"
        FROM import_pgp_keys WHERE account_id = ${accountId}`,
  );
  return found && { ...found, createdAt: new Date(found.createdAt).toISOString() };
}

export async function savePgpKey(
  q: Queryable,
  accountId: AccountId,
  k: Omit<PgpKeyRow, 'createdAt'> & { createdBy: number; now: Date },
): Promise<void> {
  await q.execute(
    sql`INSERT INTO import_pgp_keys (account_id, fingerprint, user_id, public_key, private_key_sealed, passphrase_sealed,
          created_by, created_at)
        VALUES (${accountId}, ${k.fingerprint}, ${k.userId}, ${k.publicKey}, ${k.privateKeySealed}, ${k.passphraseSealed},
          ${k.createdBy}, ${k.now.toISOString()}::timestamptz)
        ON CONFLICT (account_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, user_id = EXCLUDED.user_id,
          public_key = EXCLUDED.public_key, private_key_sealed = EXCLUDED.private_key_sealed,
          passphrase_sealed = EXCLUDED.passphrase_sealed, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
  );
}

export async function deletePgpKey(q: Queryable, accountId: AccountId): Promise<boolean> {
  const gone = await rows<{ a: number }>(
    q,
    sql`DELETE FROM import_pgp_keys WHERE account_id = ${accountId} RETURNING account_id AS a`,
  );
  return gone.length > 0;
}
