import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { CsvSettings } from '../../../../shared/import-files.ts';
import { DecodeStream } from './decode-stream.ts';
import { bomEncoding, looksBinary, SNIFF_SAMPLE_BYTES } from './encoding-sniffer.ts';
import { ImportFileError, type CsvRowErrorCode } from './import-file-error.ts';
import { RecordScanner } from './record-scanner.ts';
import { ROW_ERROR_TEXT, rowErrorOf, SafeParser, type ParserItem } from './safe-parser.ts';

/** Bounds on what one file may hold; past them a row (or the file) fails instead of memory growing. */
export interface CsvLimits {
  /** Header columns at most (default 500); a wider header fails the file with `too_many_columns`. */
  maxColumns: number;
  /** Bytes (UTF-8) one record may hold (default 1 MiB); a longer one is a `field_too_large` row. */
  maxFieldBytes: number;
}
export const DEFAULT_CSV_LIMITS: CsvLimits = { maxColumns: 500, maxFieldBytes: 1024 * 1024 };

/**
 * One data record. `cells` are exactly as written (the import layer trims), padded with '' up to
 * the header's width. A row with `error` is for the error log; after `field_too_large` and
 * `unclosed_quote` it is the last row (cells empty): the parser cannot find the next record.
 */
export interface CsvRow {
  /** 1-based data row: the header and blank lines are not counted. */
  row: number;
  /** Physical line (1-based) where the record starts; a quoted field may span several. */
  line: number;
  cells: string[];
  error?: { code: CsvRowErrorCode; message: string };
}

/** An open CSV file: the header is read, the rows stream on demand (one chunk of the file at a time). */
export interface CsvFile {
  header: string[];
  headerLine: number;
  /** Iterate once. Throws `ImportFileError` (`encoding_mismatch`) when bad bytes come later in the file. */
  rows: AsyncIterable<CsvRow>;
  /** Bytes of the file read so far (slightly ahead of the rows): for progress. */
  bytesRead(): number;
  /** Stops reading and closes the file; needed only when `rows` is not iterated to its end. */
  close(): void;
}

const isBlank = (cells: string[]): boolean => cells.every((c) => c.trim() === '');

/**
 * Opens `path` as a CSV in `settings`, streaming: file → decoder (strips the BOM; strict for UTF-8)
 * → csv-parse (quotes with delimiters and line breaks, `""` escapes, CR / LF / CRLF, stray quotes
 * in unquoted fields kept as text). Reads as far as the header.
 * Throws `ImportFileError`: empty_file, binary_file, no_header, duplicate_header, too_many_columns,
 * encoding_mismatch. Row-level problems come as rows with `error`.
 */
export async function openCsv(
  path: string,
  settings: CsvSettings,
  limits?: Partial<CsvLimits>,
): Promise<CsvFile> {
  const { maxColumns, maxFieldBytes } = { ...DEFAULT_CSV_LIMITS, ...limits };
  await checkHead(path, settings);

  const scanner = new RecordScanner(settings.delimiter);
  const source = createReadStream(path, { highWaterMark: 64 * 1024 });
  const decode = new DecodeStream(settings.encoding, scanner);
  const parser = new SafeParser({
    delimiter: settings.delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    quote: '"',
    escape: '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: maxFieldBytes,
  });
  // Errors reach the reader through the parser's iterator; the callback only keeps them from being unhandled.
  pipeline(source, decode, parser, () => undefined);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<ParserItem>;
  let closed = false;
  const close = (): void => {
    closed = true;
    parser.destroy();
    source.destroy();
  };

  // Next record with its mark, or a row-level parser failure (the parser is done after it).
  type Step =
    { cells: string[]; line: number; invalidQuote: boolean } | { fail: CsvRowErrorCode; line: number };
  const nextRecord = async (): Promise<Step | null> => {
    if (closed) return null;
    let r: IteratorResult<ParserItem>;
    try {
      r = await records.next();
    } catch (err) {
      if (closed) return null; // closed while waiting: the stream ends "prematurely" on purpose
      throw err; // encoding_mismatch from the decoder, or a read error
    }
    if (r.done) return null;
    const item = r.value;
    if (Array.isArray(item)) {
      const mark = scanner.next() ?? { line: scanner.openRecordLine, invalidQuote: false };
      return { cells: item, ...mark };
    }
    // The parser cannot go on: stop reading the file now, not when the consumer comes back for more.
    const line = scanner.next()?.line ?? scanner.openRecordLine;
    close();
    const code = rowErrorOf(item.parseError);
    if (!code) throw item.parseError;
    return { fail: code, line };
  };

  let header: string[];
  let headerLine: number;
  try {
    const first = await nextRecord();
    if (first === null) throw new ImportFileError('empty_file', 'The file is empty.');
    if ('fail' in first) {
      throw new ImportFileError(
        'no_header',
        `The header row cannot be read: ${ROW_ERROR_TEXT[first.fail]}.`,
        1,
        first.fail,
      );
    }
    if (isBlank(first.cells)) await blankHeader(nextRecord);
    header = first.cells;
    headerLine = first.line;
    checkHeader(header, headerLine, maxColumns);
  } catch (err) {
    close();
    throw err;
  }

  async function* rows(): AsyncGenerator<CsvRow> {
    let row = 0;
    try {
      for (;;) {
        const step = await nextRecord();
        if (step === null) return;
        if ('fail' in step) {
          yield {
            row: ++row,
            line: step.line,
            cells: [],
            error: { code: step.fail, message: ROW_ERROR_TEXT[step.fail] },
          };
          return;
        }
        const { cells } = step;
        if (cells.length === 1 && cells[0] === '') continue; // a blank line
        const width = cells.length;
        while (cells.length < header.length) cells.push('');
        const out: CsvRow = { row: ++row, line: step.line, cells };
        if (step.invalidQuote) out.error = { code: 'invalid_quote', message: ROW_ERROR_TEXT.invalid_quote };
        else if (width > header.length) {
          out.error = {
            code: 'column_count',
            message: `The row has ${width} fields, the header ${header.length}.`,
          };
        }
        yield out;
      }
    } finally {
      close();
    }
  }

  return { header, headerLine, rows: rows(), bytesRead: () => decode.bytesRead, close };
}

// Whole-file checks on the first bytes, before streaming: nothing there, a BOM contradicting the
// chosen encoding, or not text.
async function checkHead(path: string, settings: CsvSettings): Promise<void> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_SAMPLE_BYTES);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    if (bytesRead === 0) throw new ImportFileError('empty_file', 'The file is empty.');
    // A byte-order mark is authoritative: reading past it in another encoding gives garbage (or NULs).
    const bom = bomEncoding(head);
    if (bom && bom !== settings.encoding) {
      throw new ImportFileError(
        'encoding_mismatch',
        `The file starts with a ${bom.toUpperCase()} byte-order mark but is being read as ${settings.encoding.toUpperCase()}.`,
        1,
        bom,
      );
    }
    if (looksBinary(head.subarray(0, bytesRead), settings.encoding)) {
      throw new ImportFileError(
        'binary_file',
        'The file is not a text file (CSV); is it a spreadsheet or an archive?',
      );
    }
  } finally {
    await file.close();
  }
}

// The first record is blank: the file has no header, or (nothing but blank lines) no content at all.
async function blankHeader(
  nextRecord: () => Promise<{ cells: string[] } | { fail: string } | null>,
): Promise<never> {
  for (;;) {
    const r = await nextRecord();
    if (r === null) throw new ImportFileError('empty_file', 'The file holds nothing but blank lines.');
    if ('fail' in r || !isBlank(r.cells)) {
      throw new ImportFileError('no_header', 'The first row (the header) is empty.', 1);
    }
  }
}

function checkHeader(header: string[], line: number, maxColumns: number): void {
  if (header.length > maxColumns) {
    throw new ImportFileError(
      'too_many_columns',
      `The header has ${header.length} columns; at most ${maxColumns} are allowed.`,
      line,
      String(header.length),
    );
  }
  if (isBlank(header)) throw new ImportFileError('no_header', 'The first row (the header) is empty.', line);
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().normalize('NFC').toLowerCase();
    if (key === '') return;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ImportFileError(
        'duplicate_header',
        `The column name "${name.trim()}" appears twice (columns ${first + 1} and ${i + 1}).`,
        line,
        name.trim(),
      );
    }
    seen.set(key, i);
  });
}
