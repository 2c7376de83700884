/** Whole-file problems: the file cannot be read as a CSV at all (the upload or the run fails). */
export const IMPORT_FILE_ERROR_CODES = [
  'empty_file',
  'no_header',
  'binary_file',
  'duplicate_header',
  'too_many_columns',
  'encoding_mismatch',
] as const;
export type ImportFileErrorCode = (typeof IMPORT_FILE_ERROR_CODES)[number];

/** Row-level problems: the row goes to the error log, the import goes on (when the parser can). */
export const CSV_ROW_ERROR_CODES = [
  'column_count',
  'field_too_large',
  'unclosed_quote',
  'invalid_quote',
] as const;
export type CsvRowErrorCode = (typeof CSV_ROW_ERROR_CODES)[number];

/**
 * A file that cannot be imported, with a stable `code` for the UI and notifications, the physical
 * line (1-based) where that is known, and a `detail` (e.g. the duplicated header name).
 * The message is English; the UI translates by code.
 */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    readonly line?: number,
    readonly detail?: string,
  ) {
    super(message);
  }
}
