// CSV export and import of a source account's substitutes. The export's cells are formula-safe
// (csvCell); the import reads ids or names, checks each row like a PUT and applies the valid ones,
// answering the others with their line and why.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { csvCell } from '../../engine/reports.service.ts';
import {
  elementKindSchema,
  listSubstitutesQuerySchema,
  type SubstituteImportResult,
} from '../../../shared/distribution.ts';
import { isIdText } from '../../../shared/primitives.ts';
import { listDescendants } from '../accounts/account-tree.ts';
import { elementsOf } from './element-kinds.ts';
import { checkSubstitute, type SubstituteSpec } from './substitutes.service.ts';
import * as repo from './substitutes.repo.ts';

/** The export's columns (the import accepts them, or only ids, or only names). */
export const CSV_COLUMNS = [
  'target_account_id',
  'target_account_name',
  'kind',
  'source_id',
  'source_name',
  'substitute_id',
  'substitute_name',
] as const;

/**
 * Query of the export: the list's filters (target, kind, source element, part of either name), so
 * the file holds exactly the rows the table shows; paging is the export's own.
 */
export const exportSubstitutesQuerySchema = listSubstitutesQuerySchema
  .pick({ targetAccountId: true, kind: true, sourceId: true, search: true })
  .strict();
export type ExportSubstitutesQuery = z.infer<typeof exportSubstitutesQuerySchema>;

/** At most this many data rows per import file. */
export const MAX_IMPORT_ROWS = 10_000;
const EXPORT_BATCH = 1_000;

/** The cell as written before csvCell guarded it against formulas ("'=x" → "=x"). */
const unguarded = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

type CsvRecord = Record<string, string | undefined>;

/** Substitutes CSV of one source account (export and import). */
export class SubstitutesCsv {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * The source's substitutes as CSV lines (with a BOM for spreadsheets), in batches by id: header
   * CSV_COLUMNS; a deleted element's name is empty. `filter` narrows the rows like the list call
   * (the search normalised to NFC as there).
   */
  async *export(sourceId: AccountId, filter: ExportSubstitutesQuery): AsyncGenerator<string> {
    yield '\ufeff' + CSV_COLUMNS.join(',') + '\r\n';
    let afterId = 0;
    for (;;) {
      // Plain db with explicit filters: see repo.listSubstitutes.
      const batch = await repo.listSubstitutes(this.db, sourceId, {
        targetAccountId: filter.targetAccountId === undefined ? undefined : Number(filter.targetAccountId),
        kind: filter.kind,
        sourceId: filter.sourceId === undefined ? undefined : Number(filter.sourceId),
        search: filter.search ? filter.search.normalize('NFC') : undefined,
        afterId,
        limit: EXPORT_BATCH,
      });
      if (batch.length === 0) return;
      yield batch
        .map(
          (r) =>
            [
              r.targetAccountId,
              r.targetAccountName,
              r.kind,
              r.sourceId,
              r.sourceName,
              r.substituteId,
              r.substituteName,
            ]
              .map(csvCell)
              .join(',') + '\r\n',
        )
        .join('');
      afterId = batch.at(-1)!.id;
      if (batch.length < EXPORT_BATCH) return;
    }
  }

  /**
   * Imports substitutes from CSV text (header line first). Needs `kind` and, for target, source and
   * substitute, the id or the name column: else 400 IMPORT_FILE_INVALID (details.reason
   * `missing_columns`, details.columns); an unreadable file is 400 IMPORT_FILE_INVALID too. Each row
   * is checked like a PUT; valid rows are applied in one transaction, the others answered by line.
   */
  async import(sourceId: AccountId, userId: number, text: string): Promise<SubstituteImportResult> {
    const { header, records } = this.read(text);
    const missing = (['target_account', 'source', 'substitute'] as const)
      .filter((p) => !header.includes(`${p}_id`) && !header.includes(`${p}_name`))
      .map((p) => `${p}_id`);
    if (!header.includes('kind')) missing.unshift('kind');
    if (missing.length > 0)
      throw new AppError('IMPORT_FILE_INVALID', `The file lacks the column(s) ${missing.join(', ')}`, {
        reason: 'missing_columns',
        columns: missing,
      });
    const targets = await listDescendants(this.db, sourceId);
    const errors: SubstituteImportResult['errors'] = [];
    const valid: SubstituteSpec[] = [];
    for (const { record, line } of records) {
      try {
        const spec = await this.resolve(sourceId, targets, record);
        await checkSubstitute(this.db, sourceId, spec);
        valid.push(spec);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        errors.push({ line, message: err.message });
      }
    }
    if (valid.length > 0)
      await withTenant(this.db, sourceId, async (tx) => {
        const now = this.clock.now();
        for (const spec of valid) await repo.upsertSubstitute(tx, sourceId, spec, userId, now);
      });
    return { applied: valid.length, errors };
  }

  /** The header (lower case, trimmed) and the data records with their line numbers. */
  private read(text: string): { header: string[]; records: { record: CsvRecord; line: number }[] } {
    let parsed: { record: CsvRecord; info: { lines: number } }[];
    let header: string[] = [];
    try {
      parsed = parse<{ record: CsvRecord; info: { lines: number } }>(text, {
        bom: true,
        columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase())),
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      });
    } catch (err) {
      const line = (err as { lines?: number }).lines;
      throw new AppError('IMPORT_FILE_INVALID', 'The CSV file cannot be read', {
        reason: 'malformed',
        ...(typeof line === 'number' ? { line } : {}),
      });
    }
    if (header.length === 0)
      throw new AppError('IMPORT_FILE_INVALID', 'The file has no header line', { reason: 'no_header' });
    if (parsed.length > MAX_IMPORT_ROWS)
      throw new AppError('IMPORT_FILE_INVALID', `At most ${MAX_IMPORT_ROWS} rows per file`, {
        reason: 'too_many_rows',
      });
    return { header, records: parsed.map((p) => ({ record: p.record, line: p.info.lines })) };
  }

  /** A row's ids: given ones as they are, names looked up (exactly one match, any case). */
  private async resolve(
    sourceId: AccountId,
    targets: { id: number; name: string }[],
    r: CsvRecord,
  ): Promise<SubstituteSpec> {
    const cell = (name: string) => unguarded(r[name] ?? '');
    const kind = elementKindSchema.safeParse(cell('kind'));
    if (!kind.success) throw new AppError('VALIDATION_FAILED', `Unknown kind '${cell('kind')}'`);
    const pick = this.pick.bind(this);
    const targetAccountId = await pick(
      'target account',
      cell('target_account_id'),
      cell('target_account_name'),
      async (name) => targets.filter((t) => t.name.toLowerCase() === name.toLowerCase()),
    );
    const sourceElementId = await pick('source element', cell('source_id'), cell('source_name'), (name) =>
      elementsOf(this.db, sourceId, kind.data, { name, limit: 2 }),
    );
    // Not below the source: checkSubstitute answers why (the substitute is not looked up there).
    if (!targets.some((t) => t.id === targetAccountId))
      return { targetAccountId, kind: kind.data, sourceId: sourceElementId, substituteId: 0 };
    // The target's elements by name: plain db, explicit account filter (it is below the source).
    const substituteId = await pick('substitute', cell('substitute_id'), cell('substitute_name'), (name) =>
      elementsOf(this.db, targetAccountId, kind.data, { name, limit: 2 }),
    );
    return { targetAccountId, kind: kind.data, sourceId: sourceElementId, substituteId };
  }

  private async pick(
    what: string,
    id: string,
    name: string,
    byName: (name: string) => Promise<{ id: number }[]>,
  ): Promise<number> {
    if (id !== '') {
      if (!isIdText(id)) throw new AppError('VALIDATION_FAILED', `The ${what} id '${id}' is not a number`);
      return Number(id);
    }
    if (name === '') throw new AppError('VALIDATION_FAILED', `No ${what} given`);
    const found = await byName(name);
    if (found.length === 0) throw new AppError('VALIDATION_FAILED', `No ${what} named '${name}'`);
    if (found.length > 1) throw new AppError('VALIDATION_FAILED', `Several ${what}s are named '${name}'`);
    return found[0]!.id;
  }
}
