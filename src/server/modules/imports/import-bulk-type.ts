// The `import` bulk action type. Its items are the rows of an uploaded file (row numbers): the
// stage step parses the file into import_rows, the freeze takes their numbers, each chunk merges
// its rows into contacts (import-merge.ts). A dry run is an import with `dryRun` that decides the
// same and writes no contact. Undo queues a delete of the contacts the import created.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Language } from '../../../shared/auth.ts';
import { CONTROLS_BY_TYPE, RIGHTS_BY_TYPE } from '../../../shared/bulk-actions.ts';
import { asAccountId } from '../../db/tenant.ts';
import type { BulkTypeRegistry } from '../../engine/registry.ts';
import { importChunk } from './import-merge.ts';
import { IMPORT_REASONS } from './import-reasons.ts';
import { stageImport } from './import-staging.ts';
import * as repo from './imports.repo.ts';

/** What an import action stores as its params (the settings live in `imports`). */
export const importParamsSchema = z.object({
  fileName: z.string(),
  dryRun: z.boolean(),
  uploadId: z.string(),
});
export type ImportParams = z.infer<typeof importParamsSchema>;

const num = (n: number, lang: Language) => n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-US');

/** "Import of 1,200 rows from 'kunden.csv'" / "Probelauf: Import von 1.200 Zeilen aus „kunden.csv“". */
export function importName(lang: Language, n: number, p: ImportParams): string {
  if (lang === 'de') {
    const text = `Import von ${n === 1 ? '1 Zeile' : `${num(n, lang)} Zeilen`} aus „${p.fileName}“`;
    return p.dryRun ? `Probelauf: ${text}` : text;
  }
  const text = `Import of ${n === 1 ? '1 row' : `${num(n, lang)} rows`} from '${p.fileName}'`;
  return p.dryRun ? `Dry run: ${text}` : text;
}

/** Registers the type; `uploadsDir` is where uploaded files are kept, `stageBatch` rows per staging transaction. */
export function registerImportBulkType(
  registry: BulkTypeRegistry,
  uploadsDir: string,
  stageBatch: number,
): void {
  registry.register<ImportParams>({
    type: 'import',
    params: importParamsSchema,
    controls: CONTROLS_BY_TYPE.import,
    rights: RIGHTS_BY_TYPE.import,
    stage: (ctx) => stageImport(ctx, uploadsDir, stageBatch),
    items: async (_q, action) => (after: number, limit: number) =>
      sql`SELECT row_no AS id, row_no AS key FROM import_rows
          WHERE action_id = ${action.id} AND row_no > ${after} ORDER BY row_no LIMIT ${limit}`,
    chunk: importChunk,
    allows: (row, control) => control !== 'undo' || !importParamsSchema.parse(row.params).dryRun,
    derive: {
      undo: {
        type: 'delete_contacts',
        params: (source, _p, ctx) => ({ sourceActionId: String(source.id), sourceName: ctx.sourceName }),
        items: (source) => repo.createdItems(source.id),
        count: async (q, source) => (await repo.undoCounts(q, asAccountId(source.accountId), source.id)).live,
      },
    },
    name: importName,
    reasons: IMPORT_REASONS,
    // Chunks probe contacts (growing from few while a large import runs) and the staged rows
    // (a table that was empty when last analysed).
    statistics: ['contacts', 'import_rows'],
    onEnded: (q, action) => repo.dropStagedRows(q, action.id),
  });
}
