// Imports: upload (streamed to disk, hashed and sniffed on the way), preview with per-cell
// validation, start (an `import` bulk action, dry run or real), the import's figures, the failed
// rows in the file's own columns, and the undo preview. The work itself runs on the bulk engine
// (import-bulk-type.ts).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { pgArray } from '../../db/sql-arrays.ts';
import type { Db, Tx } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import { rows } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import type { BulkActionsService } from '../../engine/actions.service.ts';
import type { Actor } from '../../jobs/types.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import {
  importSettingsSchema,
  type ColumnMapping,
  type CsvSettings,
  type ImportSettings,
  type ImportSummary,
  type ImportUpload,
  type StartImportBody,
} from '../../../shared/imports.ts';
import { csvCell } from '../../engine/reports.service.ts';
import { openCsv } from './file/csv-reader.ts';
import { detectDelimiter } from './file/delimiter.ts';
import { EncodingSniffer } from './file/encoding-sniffer.ts';
import { suggestTargets } from './file/header-suggestions.ts';
import { ImportFileError } from './file/import-file-error.ts';
import * as repo from './imports.repo.ts';
import { findMapping } from './mappings.repo.ts';
import { customFieldTypes } from './import-staging.ts';
import { printable, RowValidator } from './row-validator.ts';
import { outcomesPage } from '../../engine/outcomes.repo.ts';

const PREVIEW_ROWS = 20;
/** Uploaded files are kept this long (the failed-rows file of their imports needs them). */
const UPLOAD_RETENTION_DAYS = 30;

/** An upload's bytes: a stream and the name the client gave it. */
export interface IncomingFile {
  stream: Readable;
  fileName: string;
}

export class ImportsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bulk: BulkActionsService,
    /** Where uploaded (and pulled) files are kept. */
    readonly uploadsDir: string,
    private readonly maxBytes: number,
  ) {}

  /**
   * Streams a file to the uploads folder, hashing and sniffing it on the way (never whole in
   * memory), then answers its detected settings, header, preview and suggested mapping. 400
   * `IMPORT_FILE_INVALID` (details.reason: empty_file, binary_file, no_header, …) for a file that
   * cannot be imported at all; 413-like 400 `IMPORT_FILE_TOO_LARGE` beyond the limit.
   */
  async upload(
    actor: Actor,
    file: IncomingFile,
    overrides: Partial<CsvSettings> = {},
    sourceId: number | null = null,
  ): Promise<ImportUpload> {
    const stored = await this.store(actor.access.accountId, file.stream);
    try {
      const detected: CsvSettings = {
        encoding: stored.sniff.encoding,
        delimiter: detectDelimiter(new TextDecoder(stored.sniff.encoding).decode(stored.sniff.sample)),
      };
      if (stored.sniff.binary) throw fileError('binary_file', 'This is not a text (CSV) file');
      if (stored.size === 0) throw fileError('empty_file', 'The file is empty');
      const settings = { ...detected, ...overrides };
      const uploadId = await withTenant(this.db, actor.access.accountId, (tx) =>
        repo.insertUpload(tx, {
          accountId: actor.access.accountId,
          fileName: cleanName(file.fileName),
          storedName: stored.name,
          size: stored.size,
          sha256: stored.sha256,
          encoding: detected.encoding,
          delimiter: detected.delimiter,
          createdBy: actor.userId,
          sourceId,
        }),
      );
      return await this.preview(actor, uploadId, { settings });
    } catch (err) {
      await fs.rm(path.join(this.uploadsDir, stored.name), { force: true });
      throw err;
    }
  }

  /** The upload read with `settings` (default: detected), its first rows checked against `columns` (default: suggestions). */
  async preview(
    actor: Actor,
    uploadId: number,
    body: { settings?: CsvSettings | undefined; columns?: ColumnMapping[] | undefined },
  ): Promise<ImportUpload> {
    const accountId = actor.access.accountId;
    const { upload, defs, fieldLabels } = await withTenant(this.db, accountId, async (tx) => ({
      upload: await this.mustFindUpload(tx, accountId, uploadId),
      defs: await customFieldTypes(tx, accountId),
      fieldLabels: await rows<{ key: string; label: string }>(
        tx,
        sql`SELECT key, label FROM custom_field_defs WHERE account_id = ${accountId}`,
      ),
    }));
    const detected: CsvSettings = {
      encoding: upload.encoding as CsvSettings['encoding'],
      delimiter: upload.delimiter as CsvSettings['delimiter'],
    };
    const settings = body.settings ?? detected;
    const file = await readFile(path.join(this.uploadsDir, upload.storedName), settings);
    const { header, rows: fileRows } = file;
    const suggestions = suggestMappings(header, fieldLabels);
    const columns = body.columns ?? suggestions;
    const preview: ImportUpload['preview'] = [];
    try {
      const validator = new RowValidator(
        header,
        importSettingsSchema.parse({
          columns: columns.length ? columns : [{ header: header[0] ?? '', target: { kind: 'skip' } }],
        }),
        defs,
        { preview: true, decimalComma: settings.delimiter === ';' },
      );
      for await (const row of fileRows) {
        const errors = row.error ? row.cells.map(() => null) : validator.cellErrors(row);
        preview.push({
          row: row.row,
          line: row.line,
          cells: row.cells
            .slice(0, 500)
            .map((value, i) => ({ value: value.slice(0, 1000), error: errors[i] ?? null })),
          error: row.error?.message ?? null,
        });
        if (preview.length >= PREVIEW_ROWS) break;
      }
    } catch (err) {
      throw asFileError(err);
    } finally {
      file.close();
    }
    return {
      id: String(upload.id),
      fileName: upload.fileName,
      size: upload.size,
      sha256: upload.sha256,
      detected,
      settings,
      header,
      preview,
      suggestions,
      createdAt: new Date(upload.createdAt).toISOString(),
    };
  }

  /**
   * Starts an import (or its dry run) of an upload as an `import` bulk action; answers at once.
   * 400 when the mapping does not fit the file or names unknown tags, lists or custom fields;
   * 404 for another account's upload or mapping.
   */
  async start(
    actor: Actor,
    body: StartImportBody,
    options: { onCreate?: (tx: Tx, actionId: number) => Promise<void> } = {},
  ): Promise<BulkAction> {
    const accountId = actor.access.accountId;
    const uploadId = Number(body.uploadId);
    const { upload, settings, defs } = await withTenant(this.db, accountId, async (tx) => {
      const upload = await this.mustFindUpload(tx, accountId, uploadId);
      let settings: ImportSettings;
      if (body.mappingId !== undefined) {
        const mapping = await findMapping(tx, accountId, Number(body.mappingId));
        if (!mapping) throw new AppError('NOT_FOUND', 'Mapping not found');
        settings = mapping.settings;
      } else settings = importSettingsSchema.parse(body.settings);
      await assertCatalog(tx, accountId, settings);
      return { upload, settings, defs: await customFieldTypes(tx, accountId) };
    });
    const csv: CsvSettings = body.csv ?? {
      encoding: upload.encoding as CsvSettings['encoding'],
      delimiter: upload.delimiter as CsvSettings['delimiter'],
    };
    const filePath = path.join(this.uploadsDir, upload.storedName);
    const file = await readFile(filePath, csv);
    file.close();
    new RowValidator(file.header, settings, defs); // throws 400 naming what does not fit
    const dryRun = body.dryRun ?? false;
    return this.bulk.start(actor, {
      type: 'import',
      params: { fileName: upload.fileName, dryRun, uploadId: String(upload.id) },
      source: { uploadId: String(upload.id) },
      // Until the file is staged: an estimate from its size (the freeze then counts exactly).
      expected: Math.max(0, Math.round(upload.size / 80)),
      customName: body.name,
      details: { uploadId: String(upload.id), fileName: upload.fileName, dryRun, mode: settings.mode },
      onCreate: async (tx, actionId) => {
        await repo.insertImport(tx, { actionId, accountId, uploadId: upload.id, dryRun, csv, settings });
        await options.onCreate?.(tx, actionId);
      },
    });
  }

  /** The import's figures (rows read, created, updated, unchanged, skipped, failed, invalid, duplicates). */
  async summary(actor: Actor, actionId: number): Promise<ImportSummary> {
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const imp = await repo.findImport(tx, accountId, actionId);
      if (!imp) throw new AppError('NOT_FOUND', 'Import not found');
      const [action] = await rows<{
        status: string;
        failed: number;
        skipped: number;
        total: number;
        processed: number;
      }>(
        tx,
        sql`SELECT status, failed, skipped, total, processed FROM bulk_actions WHERE id = ${actionId} AND account_id = ${accountId}`,
      );
      const upload = await repo.findUpload(tx, accountId, imp.uploadId);
      return {
        actionId: String(actionId),
        uploadId: String(imp.uploadId),
        fileName: upload?.fileName ?? '',
        dryRun: imp.dryRun,
        status: action?.status ?? 'failed',
        rowsRead: imp.stagedRows,
        created: imp.created,
        updated: imp.updated,
        unchanged: imp.unchanged,
        skipped: action?.skipped ?? 0,
        failed: action?.failed ?? 0,
        invalid: imp.invalid,
        duplicates: imp.duplicates,
        settings: imp.settings,
        csv: imp.csv,
      };
    });
  }

  /**
   * The rows that failed (not those skipped as duplicates or by the mode), in the file's own columns and encoding-free UTF-8 (with
   * BOM, so spreadsheets read the umlauts), ready to fix and upload again; streamed.
   */
  async *failedRowsCsv(actor: Actor, actionId: number): AsyncGenerator<string> {
    const accountId = actor.access.accountId;
    const { imp, upload } = await withTenant(this.db, accountId, async (tx) => {
      const imp = await repo.findImport(tx, accountId, actionId);
      if (!imp) throw new AppError('NOT_FOUND', 'Import not found');
      return { imp, upload: await repo.findUpload(tx, accountId, imp.uploadId) };
    });
    if (!upload) throw new AppError('NOT_FOUND', 'The import file is gone');
    const { header, rows: fileRows } = await readFile(path.join(this.uploadsDir, upload.storedName), imp.csv);
    yield '\ufeff' + header.map(csvCell).join(',') + '\r\n';
    const failed = this.failedRowNumbers(accountId, actionId);
    let next = await failed.next();
    for await (const row of fileRows) {
      while (!next.done && next.value < row.row) next = await failed.next();
      if (next.done) return;
      if (next.value === row.row) yield row.cells.map(csvCell).join(',') + '\r\n';
    }
  }

  private async *failedRowNumbers(accountId: AccountId, actionId: number): AsyncGenerator<number> {
    let after = 0;
    for (;;) {
      const page = await withTenant(this.db, accountId, (tx) =>
        outcomesPage(tx, accountId, actionId, after, 5_000),
      );
      for (const o of page) if (o.outcome === 'failed') yield Number(o.subjectId);
      if (page.length < 5_000) return;
      after = Number(page.at(-1)!.subjectId);
    }
  }

  /** What "Undo import" would delete, and what it would not touch. */
  async undoPreview(actor: Actor, actionId: number) {
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const imp = await repo.findImport(tx, accountId, actionId);
      if (!imp) throw new AppError('NOT_FOUND', 'Import not found');
      const counts = await repo.undoCounts(tx, accountId, actionId);
      return {
        willDelete: counts.live,
        notTouched: { updated: imp.updated + imp.unchanged, alreadyDeleted: counts.deleted },
      };
    });
  }

  /**
   * Daily housekeeping: staged rows of imports that ended without their end hook (failed ones),
   * and uploaded files older than `UPLOAD_RETENTION_DAYS` (their imports keep their figures and
   * error logs; only the failed-rows file needs the upload and then answers 404).
   */
  async purge(): Promise<{ rows: number; files: number }> {
    const cutoff = new Date(this.clock.now().getTime() - UPLOAD_RETENTION_DAYS * 86_400_000);
    const staged = await rows<{ n: number }>(
      this.db,
      sql`WITH gone AS (DELETE FROM import_rows WHERE action_id IN (
            SELECT i.action_id FROM imports i JOIN bulk_actions b ON b.id = i.action_id
            WHERE b.status IN ('completed', 'cancelled', 'failed')) RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
    );
    const old = await rows<{ storedName: string }>(
      this.db,
      sql`SELECT stored_name AS "storedName" FROM import_uploads WHERE created_at < ${cutoff.toISOString()}::timestamptz
            AND NOT EXISTS (SELECT 1 FROM imports i JOIN bulk_actions b ON b.id = i.action_id
                            WHERE i.upload_id = import_uploads.id AND b.status NOT IN ('completed', 'cancelled', 'failed'))`,
    );
    let files = 0;
    for (const u of old) {
      try {
        await fs.rm(path.join(this.uploadsDir, u.storedName));
        files++;
      } catch {
        // Already gone.
      }
    }
    return { rows: Number(staged[0]?.n ?? 0), files };
  }

  private async mustFindUpload(tx: Parameters<typeof repo.findUpload>[0], accountId: AccountId, id: number) {
    const upload = await repo.findUpload(tx, accountId, id);
    if (!upload) throw new AppError('NOT_FOUND', 'Upload not found');
    return upload;
  }

  /** Writes the stream to a new file in the uploads folder, hashing and sniffing every byte. */
  private async store(accountId: AccountId, stream: Readable) {
    const dir = path.join(this.uploadsDir, String(accountId));
    await fs.mkdir(dir, { recursive: true });
    const name = path.join(String(accountId), `${Date.now()}-${randomBytes(8).toString('hex')}.upload`);
    const hash = createHash('sha256');
    const sniffer = new EncodingSniffer();
    let size = 0;
    const maxBytes = this.maxBytes;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes)
          return done(new AppError('IMPORT_FILE_TOO_LARGE', `Files are limited to ${maxBytes} bytes`));
        hash.update(chunk);
        sniffer.push(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, tap, createWriteStream(path.join(this.uploadsDir, name)));
    } catch (err) {
      await fs.rm(path.join(this.uploadsDir, name), { force: true });
      throw err;
    }
    return { name, size, sha256: hash.digest('hex'), sniff: sniffer.result() };
  }
}

/** Opens a stored file as CSV; whole-file problems become 400 `IMPORT_FILE_INVALID`. */
async function readFile(filePath: string, settings: CsvSettings) {
  try {
    return await openCsv(filePath, { ...settings, hasHeader: true });
  } catch (err) {
    throw asFileError(err);
  }
}

function asFileError(err: unknown): unknown {
  if (err instanceof ImportFileError)
    return new AppError('IMPORT_FILE_INVALID', err.message, { reason: err.code, line: err.line ?? null });
  if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT')
    return new AppError('NOT_FOUND', 'The uploaded file is gone');
  return err;
}

function fileError(reason: string, message: string): AppError {
  return new AppError('IMPORT_FILE_INVALID', message, { reason, line: null });
}

/** A client's file name as shown back: no path, no control characters, at most 200 characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = printable(base).replace(/\?/g, '').trim().slice(0, 200);
  return clean || 'upload.csv';
}

/** Suggested mapping per header column (each standard target at most once: the first column wins). */
export function suggestMappings(
  header: readonly string[],
  fields: { key: string; label: string }[],
): ColumnMapping[] {
  const targets = suggestTargets([...header], fields);
  return header.map((name, i) => ({ header: name, target: targets[i] ?? { kind: 'skip' } }));
}

/** Fixed tags and lists must be the account's own: 400 naming the unknown ids. */
async function assertCatalog(tx: Parameters<typeof rows>[0], accountId: AccountId, settings: ImportSettings) {
  const tagIds = settings.fixedTagIds.map(Number);
  const listIds = settings.listIds.map(Number);
  const found = await rows<{ kind: string; id: number }>(
    tx,
    sql`SELECT 'tag' AS kind, id FROM tags WHERE account_id = ${accountId} AND id = ANY(${pgArray(tagIds)}::bigint[])
        UNION ALL SELECT 'list', id FROM subscriber_lists WHERE account_id = ${accountId} AND id = ANY(${pgArray(listIds)}::bigint[])`,
  );
  const has = (kind: string, id: number) => found.some((f) => f.kind === kind && Number(f.id) === id);
  const issues = [
    ...tagIds
      .filter((id) => !has('tag', id))
      .map((id) => ({ field: 'fixedTagIds', message: `unknown tag ${id}` })),
    ...listIds
      .filter((id) => !has('list', id))
      .map((id) => ({ field: 'listIds', message: `unknown list ${id}` })),
  ];
  if (issues.length)
    throw new AppError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
      fields: issues,
    });
}
