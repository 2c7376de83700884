import type { TransformCallback } from 'node:stream';
import { CsvError, Parser, type Options } from 'csv-parse';
import type { CsvRowErrorCode } from './import-file-error.ts';

// csv-parse's failures that are about the data. With `relax_quotes` the quote errors do not occur
// (the reader's scanner reports broken quotes itself); they are mapped in case an option changes.
const ROW_ERROR_BY_PARSER_CODE: Record<string, CsvRowErrorCode> = {
  CSV_MAX_RECORD_SIZE: 'field_too_large',
  CSV_QUOTE_NOT_CLOSED: 'unclosed_quote',
  INVALID_OPENING_QUOTE: 'invalid_quote',
  CSV_INVALID_CLOSING_QUOTE: 'invalid_quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'invalid_quote',
};

/** English text of each row error (the UI translates by code). */
export const ROW_ERROR_TEXT: Record<CsvRowErrorCode, string> = {
  column_count: 'The row has more fields than the header',
  field_too_large: 'The row is too large (a quote left open?); the rest of the file cannot be read',
  unclosed_quote: 'The file ends inside a quoted field; the rest of the file cannot be read',
  invalid_quote: 'A quoted field is not closed properly (text after the closing quote)',
};

/** What the parser stream yields: a record, or its fatal error as the last item. */
export type ParserItem = string[] | { parseError: unknown };

/**
 * csv-parse, except that a parse error becomes the last item of the stream instead of destroying
 * it: destroying would drop the records parsed before the error in the same chunk. Input after the
 * error is drained and ignored (the reader closes the file when it sees the error).
 */
export class SafeParser extends Parser {
  private failed = false;
  constructor(options: Options) {
    super(options);
  }
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failed) callback();
    else super._transform(chunk, encoding, (err) => this.settle(err, callback));
  }
  override _flush(callback: TransformCallback): void {
    if (this.failed) callback();
    else super._flush((err) => this.settle(err, callback));
  }
  private settle(err: unknown, callback: TransformCallback): void {
    if (err) {
      this.failed = true;
      this.push({ parseError: err });
    }
    callback();
  }
}

/** The row error a csv-parse failure stands for; undefined for failures that are not about the data. */
export function rowErrorOf(err: unknown): CsvRowErrorCode | undefined {
  return err instanceof CsvError ? ROW_ERROR_BY_PARSER_CODE[err.code] : undefined;
}
