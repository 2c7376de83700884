// One run of a scheduled import source: connect (retrying an unreachable server with backoff),
// list the folder, download the first matching file whose content (SHA-256) this source has not
// imported yet, decrypt it (PGP), unpack it (zip, gzip), and start an `import` bulk action with the
// source's saved mapping, as the user the source runs as. A run that fails raises
// `ftp_import.failed` exactly once, with its cause; row-level errors are the import's business.
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/types.ts';
import { asAccountId, withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { loggableError } from '../../db/log-safe.ts';
import type { Actor, JobSender } from '../../jobs/types.ts';
import type { AccessService } from '../accounts/access.service.ts';
import { findTimeZone } from '../accounts/accounts.repo.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { ArchiveError, unpackIfNeeded } from '../../adapters/archive.ts';
import { compilePattern } from '../../adapters/glob.ts';
import { decryptFile, isPgpMessage, PgpError } from '../../adapters/pgp.ts';
import { connectWithRetry, RemoteError, type RemoteFiles } from '../../adapters/remote-files.ts';
import type { FTP_FAILURE_CAUSES } from '../../../shared/notifications.ts';
import type { ImportsService } from './imports.service.ts';
import type { ImportSourcesService } from './sources.service.ts';
import { nextRunAfter } from './source-schedule.ts';
import * as repo from './sources.repo.ts';

type Cause = (typeof FTP_FAILURE_CAUSES)[number];

/** A run that cannot go on: its notification cause, what to show, and the file it was about. */
class RunFailure extends Error {
  constructor(
    override readonly cause: Cause,
    readonly detail: string,
    readonly file: string | null = null,
  ) {
    super(`${cause}: ${detail}`);
  }
}

/** How long a run holds its source (a crashed run's hold expires; the next run takes over). */
const HOLD_MS = 15 * 60_000;

export interface PullRequest {
  accountId: number;
  sourceId: number;
  /** The run "Run now" recorded; absent for a scheduled run. */
  runId?: number | null | undefined;
  /** Who pressed "Run now"; a scheduled run imports as the user who last saved the source. */
  userId?: number | null | undefined;
}

export class ImportSourceRunner {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly jobs: JobSender,
    private readonly access: AccessService,
    private readonly notifier: Notifier,
    private readonly sources: ImportSourcesService,
    private readonly imports: ImportsService,
    /** Where downloads are kept while a run works on them. */
    private readonly workDir: string,
    private readonly retry: { attempts: number; baseMs: number } = { attempts: 3, baseMs: 2_000 },
  ) {}

  /** Queues the sources whose time has come and moves their next run on (the `imports.schedule` job). */
  async queueDue(): Promise<number> {
    const now = this.clock.now();
    const due = await repo.dueSources(this.db, now);
    for (const { accountId, id } of due) {
      const next = await withTenant(this.db, asAccountId(accountId), async (tx) => {
        const source = await repo.findSource(tx, asAccountId(accountId), id);
        if (!source) return null;
        const at = nextRunAfter(source.schedule, now, await findTimeZone(tx, asAccountId(accountId)));
        await repo.setNextRun(tx, id, at);
        return source;
      });
      if (next) await this.jobs.send('imports.pull', { accountId, sourceId: id, runId: null, userId: null });
    }
    return due.length;
  }

  /** One run (the `imports.pull` job). Another run of the same source still working: tried again later. */
  async pull(request: PullRequest): Promise<void> {
    const accountId = asAccountId(request.accountId);
    const now = this.clock.now();
    if (!(await repo.holdSource(this.db, request.sourceId, new Date(Date.now() + HOLD_MS), now))) {
      if (request.runId)
        await this.jobs.send(
          'imports.pull',
          { ...request, runId: request.runId, userId: request.userId ?? null },
          {
            startAfter: new Date(Date.now() + 30_000),
          },
        );
      return;
    }
    const dir = path.join(this.workDir, 'runs', `${request.sourceId}-${Date.now()}`);
    try {
      const source = await withTenant(this.db, accountId, (tx) =>
        repo.findSource(tx, accountId, request.sourceId),
      );
      if (!source) return;
      const runId =
        request.runId ??
        (await withTenant(this.db, accountId, (tx) =>
          repo.insertRun(tx, accountId, source.id, 'schedule', now),
        ));
      try {
        await fs.mkdir(dir, { recursive: true });
        await this.work(accountId, source, runId, request, dir);
      } catch (err) {
        const failure =
          err instanceof RunFailure
            ? err
            : new RunFailure(
                'unreachable',
                `Unexpected error: ${err instanceof Error ? err.message : String(err)}`,
              );
        if (!(err instanceof RunFailure)) console.error('[imports] source run failed:', loggableError(err));
        await this.fail(accountId, source, runId, failure);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      await repo.releaseSource(this.db, request.sourceId);
    }
  }

  private async work(
    accountId: AccountId,
    source: repo.SourceRow,
    runId: number,
    request: PullRequest,
    dir: string,
  ): Promise<void> {
    const actor = await this.actor(accountId, request.userId ?? source.createdBy);
    const timeZone = await withTenant(this.db, accountId, (tx) => findTimeZone(tx, accountId));
    const match = compilePattern(source.pattern, this.clock.now(), timeZone);
    let remote: RemoteFiles;
    try {
      remote = await connectWithRetry(this.sources.remoteSpec(source), this.retry);
    } catch (err) {
      throw remoteFailure(err, source.pattern);
    }
    try {
      if (remote.hostKeyFingerprint && !source.hostKeyFingerprint)
        await withTenant(this.db, accountId, (tx) =>
          repo.pinHostKey(tx, source.id, remote.hostKeyFingerprint!),
        );
      let entries;
      try {
        entries = (await remote.list(source.folder)).filter((e) => match(e.name));
      } catch (err) {
        // The folder itself is not there (or not readable): nothing to import from.
        if (err instanceof RemoteError && err.cause === 'remote_error')
          throw new RunFailure('file_missing', `Folder ${source.folder}: ${err.detail}`, source.pattern);
        throw remoteFailure(err, source.pattern);
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (!entries.length) return await this.nothingFound(accountId, source, runId, request);
      for (const entry of entries) {
        const remotePath = path.posix.join(source.folder, entry.name);
        const local = path.join(dir, `download-${entry.name.replace(/[^\w.-]/g, '_')}`);
        try {
          await remote.download(remotePath, local);
        } catch (err) {
          throw remoteFailure(err, entry.name);
        }
        const sha256 = await fileHash(local);
        if (await repo.importedBefore(this.db, source.id, sha256)) {
          await fs.rm(local, { force: true });
          continue;
        }
        const csv = await this.open(accountId, source, local, dir, entry.name);
        await this.start(actor, source, runId, csv, entry.name, sha256);
        await this.afterImport(remote, source, remotePath, runId, accountId);
        return;
      }
      await withTenant(this.db, accountId, (tx) =>
        repo.finishRun(tx, runId, {
          state: 'skipped_same_file',
          fileName: entries
            .map((e) => e.name)
            .join(', ')
            .slice(0, 1000),
          detail: 'Every matching file was imported before (same content)',
          now: this.clock.now(),
        }),
      );
    } finally {
      await remote.close().catch(() => undefined);
    }
  }

  /** The downloaded file made readable: decrypted when asked (or when it is a PGP message), unpacked. */
  private async open(accountId: AccountId, source: repo.SourceRow, local: string, dir: string, name: string) {
    let current = local;
    const head = await readHead(current);
    if (source.decrypt || isPgpMessage(head)) {
      if (!isPgpMessage(head))
        throw new RunFailure(
          'decrypt_failed',
          'The file is not a PGP message, but this source expects encrypted files',
          name,
        );
      const key = await this.sources.decryptionKey(accountId);
      if (!key) throw new RunFailure('decrypt_failed', 'The account has no PGP key to decrypt with', name);
      const out = path.join(dir, 'decrypted');
      try {
        await decryptFile(current, out, key);
      } catch (err) {
        if (err instanceof PgpError)
          throw new RunFailure('decrypt_failed', `${err.reason}: ${err.detail}`, name);
        throw err;
      }
      current = out;
    }
    try {
      return (await unpackIfNeeded(current, path.join(dir, 'unpacked'))).path;
    } catch (err) {
      if (err instanceof ArchiveError)
        throw new RunFailure('unpack_failed', `${err.reason}: ${err.detail}`, name);
      throw err;
    }
  }

  /** Uploads the file and starts the import; the run is marked imported in the import's own transaction. */
  private async start(
    actor: Actor,
    source: repo.SourceRow,
    runId: number,
    file: string,
    name: string,
    sha256: string,
  ) {
    try {
      const upload = await this.imports.upload(
        actor,
        { stream: createReadStream(file), fileName: name },
        {},
        source.id,
      );
      await this.imports.start(
        actor,
        { uploadId: upload.id, mappingId: String(source.mappingId) },
        {
          onCreate: (tx, actionId) =>
            repo.finishRun(tx, runId, {
              state: 'imported',
              fileName: name,
              sha256,
              actionId,
              now: this.clock.now(),
            }),
        },
      );
    } catch (err) {
      if (
        err instanceof AppError &&
        ['IMPORT_FILE_INVALID', 'VALIDATION_FAILED', 'IMPORT_FILE_TOO_LARGE'].includes(err.code)
      )
        throw new RunFailure('parse_failed', err.message, name);
      throw err;
    }
  }

  /** Delete or move the imported file on the server; a failure here is noted on the run, not a failed import. */
  private async afterImport(
    remote: RemoteFiles,
    source: repo.SourceRow,
    remotePath: string,
    runId: number,
    accountId: AccountId,
  ) {
    try {
      if (source.afterImport === 'delete') await remote.remove(remotePath);
      else if (source.afterImport === 'move' && source.moveTo)
        await remote.rename(remotePath, path.posix.join(source.moveTo, path.posix.basename(remotePath)));
    } catch (err) {
      const detail = `Imported, but the file could not be ${source.afterImport === 'delete' ? 'deleted' : 'moved'}: ${
        err instanceof RemoteError ? err.detail : String(err)
      }`;
      await withTenant(this.db, accountId, (tx) => repo.noteRun(tx, runId, detail));
    }
  }

  /** No matching file: a plain "nothing found", or `file_missing` once none came for longer than allowed. */
  private async nothingFound(
    accountId: AccountId,
    source: repo.SourceRow,
    runId: number,
    request: PullRequest,
  ) {
    const now = this.clock.now();
    const since = await repo.lastImportAt(this.db, source.id);
    const overdue =
      request.runId == null &&
      source.missingAfterMinutes > 0 &&
      now.getTime() - since.getTime() > source.missingAfterMinutes * 60_000;
    if (overdue)
      throw new RunFailure(
        'file_missing',
        `No file matching "${source.pattern}" in ${source.folder} since ${since.toISOString()}`,
        source.pattern,
      );
    await withTenant(this.db, accountId, (tx) =>
      repo.finishRun(tx, runId, {
        state: 'nothing_found',
        detail: `No file matches "${source.pattern}"`,
        now,
      }),
    );
  }

  /** The failed run and its notification, in one transaction: exactly one per failed run. */
  private async fail(accountId: AccountId, source: repo.SourceRow, runId: number, failure: RunFailure) {
    const now = this.clock.now();
    await withTenant(this.db, accountId, async (tx) => {
      await repo.finishRun(tx, runId, {
        state: 'failed',
        fileName: failure.file,
        cause: failure.cause,
        detail: failure.detail.slice(0, 2000),
        now,
      });
      await this.notifier.notify(tx, accountId, {
        type: 'ftp_import.failed',
        params: {
          import: { id: String(source.id), name: source.name.slice(0, 300) },
          cause: failure.cause,
          server: `${source.protocol}://${source.host}:${source.port}`.slice(0, 300),
          file: (failure.file ?? source.pattern).slice(0, 1000),
          detail: failure.detail.slice(0, 2000),
        },
        subject: { kind: 'ftp_import', id: String(source.id) },
        groupKey: `ftp_import:${source.id}:${failure.cause}`,
      });
    });
  }

  /** The user the run imports as, with their current rights: `contacts.import` or `not_permitted`. */
  private async actor(accountId: AccountId, userId: number | null): Promise<Actor> {
    const granted = userId === null ? null : await this.access.accessTo(userId, accountId);
    if (userId === null || !granted || !granted.rights.has('contacts.import'))
      throw new RunFailure(
        'not_permitted',
        'The user this source imports as may not import contacts in this account',
      );
    return { access: granted, userId, language: 'en' };
  }
}

/** A connection or listing failure in the notification's words (TLS and host key problems count as unreachable / credentials). */
function remoteFailure(err: unknown, file: string): RunFailure {
  if (!(err instanceof RemoteError))
    return new RunFailure('unreachable', err instanceof Error ? err.message : String(err), file);
  switch (err.cause) {
    case 'auth_failed':
      return new RunFailure('auth_failed', err.detail, file);
    case 'host_key_mismatch':
      return new RunFailure(
        'auth_failed',
        `The server's host key changed (${err.hostKeyFingerprint ?? 'unknown'}): ${err.detail}`,
        file,
      );
    case 'tls_failed':
      return new RunFailure('unreachable', `TLS: ${err.detail}`, file);
    case 'unreachable':
    case 'remote_error':
      return new RunFailure('unreachable', err.detail, file);
  }
}

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await fh.read(buf, 0, 64, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
