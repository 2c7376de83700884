import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settings, tempFiles } from '../../../../../test/helpers/csv-files.ts';
import { IMPORT_DELIMITERS, type CsvSettings } from '../../../../shared/import-files.ts';
import { openCsv, type CsvLimits } from './csv-reader.ts';
import { ImportFileError } from './import-file-error.ts';
import { sniffFile } from './sniff-file.ts';

let files: Awaited<ReturnType<typeof tempFiles>>;
beforeAll(async () => {
  files = await tempFiles();
});
afterAll(() => files.remove());

/**
 * Reads the file to its end and checks the invariants: only ImportFileError is ever thrown, rows are
 * numbered 1, 2, 3…, lines strictly increase, cells padded to the header, and a fatal row is last.
 */
async function check(path: string, csv: CsvSettings, limits?: Partial<CsvLimits>): Promise<void> {
  try {
    const file = await openCsv(path, csv, limits);
    let last = { row: 0, line: file.headerLine };
    let ended = false;
    for await (const row of file.rows) {
      expect(ended).toBe(false);
      expect(row.row).toBe(last.row + 1);
      expect(row.line).toBeGreaterThan(last.line);
      if (row.error?.code === 'field_too_large' || row.error?.code === 'unclosed_quote') {
        ended = true;
        expect(row.cells).toEqual([]);
      } else expect(row.cells.length).toBeGreaterThanOrEqual(file.header.length);
      last = row;
    }
  } catch (err) {
    if (!(err instanceof ImportFileError)) throw err;
  }
}

describe('fuzz: sniffer and reader never crash, hang or misnumber', () => {
  it('random bytes, with the sniffed settings and with every override', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(...IMPORT_DELIMITERS),
        async (bytes, d) => {
          const path = await files.write(bytes);
          const sniff = await sniffFile(path);
          expect(sniff.bytes).toBe(bytes.length);
          await check(path, settings(sniff.delimiter, sniff.encoding));
          await check(path, settings(d, 'utf-8'));
          await check(path, settings(d, 'utf-16be'), { maxFieldBytes: 64 });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('CSV-ish text from , ; " CR LF a ä, in UTF-8 and Windows-1252, small record limits', async () => {
    const csvish = fc.string({ unit: fc.constantFrom(',', ';', '"', '\r', '\n', 'a', 'ä'), maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(
        csvish,
        fc.constantFrom<('utf-8' | 'windows-1252')[]>('utf-8', 'windows-1252'),
        fc.constantFrom<(',' | ';')[]>(',', ';'),
        fc.integer({ min: 4, max: 1024 }),
        async (text, encoding, d, maxFieldBytes) => {
          const bytes =
            encoding === 'utf-8' ? Buffer.from(text) : Buffer.from(text.replaceAll('ä', '\xe4'), 'latin1');
          const path = await files.write(bytes);
          const sniff = await sniffFile(path);
          if (text.includes('ä')) expect(sniff.encoding).toBe(encoding);
          await check(path, settings(d, encoding), { maxFieldBytes, maxColumns: 8 });
          await check(path, settings(sniff.delimiter, sniff.encoding));
        },
      ),
      { numRuns: 200 },
    );
  });
});
