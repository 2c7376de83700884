// Test helpers for the file layer: temporary files and reading a CSV to the end.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CsvSettings } from '../../src/shared/import-files.ts';
import { openCsv, type CsvLimits, type CsvRow } from '../../src/server/modules/imports/file/csv-reader.ts';
import { ImportFileError } from '../../src/server/modules/imports/file/import-file-error.ts';

/** A temporary folder with a `write` that names files for you; `remove` at the end. */
export async function tempFiles(): Promise<{
  dir: string;
  write(content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-csv-'));
  let n = 0;
  return {
    dir,
    async write(content) {
      const path = join(dir, `f${++n}.csv`);
      await writeFile(path, content);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export const settings = (
  delimiter: CsvSettings['delimiter'] = ',',
  encoding: CsvSettings['encoding'] = 'utf-8',
): CsvSettings => ({
  encoding,
  delimiter,
  hasHeader: true,
});

/** The whole file: header and every row. */
export async function readAll(
  path: string,
  csv: CsvSettings,
  limits?: Partial<CsvLimits>,
): Promise<{ header: string[]; rows: CsvRow[] }> {
  const file = await openCsv(path, csv, limits);
  const rows: CsvRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return { header: file.header, rows };
}

/** The ImportFileError reading the whole file throws (fails the test if it throws nothing or something else). */
export async function fileError(
  path: string,
  csv: CsvSettings,
  limits?: Partial<CsvLimits>,
): Promise<ImportFileError> {
  const err: unknown = await readAll(path, csv, limits).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ImportFileError)) throw new Error(`expected an ImportFileError, got ${String(err)}`);
  return err;
}
