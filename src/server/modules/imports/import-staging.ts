// The import type's stage step: streams its file through the CSV reader and the row validator
// into import_rows, a batch per transaction, marking rows that repeat an earlier row's email or
// phone. A crash resumes after the last committed batch (the rows before are skipped, not re-read
// into the table); the import's invalid and duplicate figures advance in the same transactions.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/types.ts';
import { rows } from '../../db/types.ts';
import { asAccountId, withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { PermanentFailure } from '../../engine/failures.ts';
import type { StageContext } from '../../engine/registry.ts';
import type { CustomFieldType } from '../../../shared/contacts.ts';
import { openCsv } from './file/csv-reader.ts';
import { ImportFileError } from './file/import-file-error.ts';
import * as repo from './imports.repo.ts';
import { analyze } from '../../engine/runner.repo.ts';
import { loggableError } from '../../db/log-safe.ts';
import { RowValidator, type StagedRow } from './row-validator.ts';

/** The account's custom field definitions, key → type. */
export async function customFieldTypes(
  q: Queryable,
  accountId: AccountId,
): Promise<Map<string, CustomFieldType>> {
  const defs = await rows<{ key: string; type: CustomFieldType }>(
    q,
    sql`SELECT key, type FROM custom_field_defs WHERE account_id = ${accountId}`,
  );
  return new Map(defs.map((d) => [d.key, d.type]));
}

/**
 * Stages the import of `ctx.action` (see file comment). Throws `PermanentFailure('file_unreadable')`
 * when the file cannot be read as a CSV at all and `PermanentFailure('mapping_invalid')` when the
 * mapping no longer fits (a custom field deleted since the start).
 */
export async function stageImport(ctx: StageContext, uploadsDir: string, batchSize: number): Promise<void> {
  const accountId = asAccountId(ctx.action.accountId);
  const actionId = ctx.action.id;
  const found = await withTenant(ctx.db, accountId, async (tx) => {
    const imp = await repo.findImport(tx, accountId, actionId);
    return (
      imp && {
        imp,
        upload: await repo.findUpload(tx, accountId, imp.uploadId),
        defs: await customFieldTypes(tx, accountId),
      }
    );
  });
  if (!found?.upload) throw new PermanentFailure('file_unreadable');
  const { imp, upload, defs } = found;
  if (imp.staged) return;
  let csv;
  try {
    csv = await openCsv(path.join(uploadsDir, upload.storedName), { ...imp.csv, hasHeader: true });
  } catch (err) {
    if (err instanceof ImportFileError || isMissingFile(err)) throw new PermanentFailure('file_unreadable');
    throw err;
  }
  let validator: RowValidator;
  try {
    validator = new RowValidator(csv.header, imp.settings, defs, { decimalComma: imp.csv.delimiter === ';' });
  } catch (err) {
    if (err instanceof AppError) throw new PermanentFailure('mapping_invalid');
    throw err;
  }
  await withTenant(ctx.db, accountId, (tx) => repo.setHeader(tx, actionId, csv.header));
  let batch: StagedRow[] = [];
  const flush = async () => {
    const staged = batch;
    batch = [];
    await withTenant(ctx.db, accountId, async (tx) => {
      await repo.insertStagedRows(tx, accountId, actionId, staged);
      const duplicates = await repo.markDuplicates(tx, actionId, staged[0]!.rowNo, staged.at(-1)!.rowNo);
      const invalid = staged.filter((r) => r.error !== null).length;
      await repo.advanceStaging(tx, actionId, { stagedRows: staged.at(-1)!.rowNo, invalid, duplicates });
    });
    stagedSince += staged.length;
    if (stagedSince >= ANALYZE_EVERY_ROWS || analyzed === 0) {
      await analyzeStaging(ctx.db);
      analyzed++;
      stagedSince = 0;
    }
    return ctx.heartbeat();
  };
  // The duplicate probes must find each key through its index. The statistics of import_rows say
  // nothing about this import's rows (its action id is new), so the planner probes the primary key
  // instead and filters thousands of rows per probe (measured: a minute per 10,000-row batch).
  // So: a small first batch, then ANALYZE, and again every ANALYZE_EVERY_ROWS rows.
  let analyzed = 0;
  let stagedSince = 0;
  try {
    for await (const row of csv.rows) {
      if (row.row <= imp.stagedRows) continue;
      batch.push(validator.validate(row));
      if (batch.length >= (analyzed === 0 ? FIRST_BATCH : batchSize) && !(await flush())) return;
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw new PermanentFailure('file_unreadable');
    throw err;
  }
  if (batch.length && !(await flush())) return;
  await withTenant(ctx.db, accountId, (tx) => repo.finishStaging(tx, actionId));
}

/** Rows of the first staging batch (statistics are taken after it), and between two ANALYZEs. */
const FIRST_BATCH = 500;
const ANALYZE_EVERY_ROWS = 100_000;

/** ANALYZE as the database owner, outside any tenant transaction; a failure only costs speed. */
async function analyzeStaging(db: StageContext['db']): Promise<void> {
  try {
    await analyze(db, 'import_rows');
  } catch (err) {
    console.error('[imports] ANALYZE import_rows failed:', loggableError(err));
  }
}

function isMissingFile(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
