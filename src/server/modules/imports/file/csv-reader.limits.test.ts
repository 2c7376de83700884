import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileError, readAll, settings, tempFiles } from '../../../../../test/helpers/csv-files.ts';
import { openCsv } from './csv-reader.ts';

let files: Awaited<ReturnType<typeof tempFiles>>;
beforeAll(async () => {
  files = await tempFiles();
});
afterAll(() => files.remove());

/** Writes parts to a new file as a stream; a number is that many bytes of 'x' (never held in memory at once). */
async function streamFile(name: string, ...parts: (string | number)[]): Promise<string> {
  const path = join(files.dir, name);
  const out = createWriteStream(path);
  const block = Buffer.alloc(1024 * 1024, 'x');
  for (const part of parts) {
    if (typeof part === 'string') out.write(part);
    else
      for (let left = part; left > 0; left -= block.length) {
        if (!out.write(block.subarray(0, Math.min(left, block.length)))) await once(out, 'drain');
      }
  }
  out.end();
  await once(out, 'close');
  return path;
}

describe('whole-file errors', () => {
  it('empty_file: no bytes, a BOM only, blank lines only', async () => {
    for (const content of ['', '\ufeff', '\n\r\n  \n', Buffer.from('\ufeff', 'utf16le')]) {
      const encoding = Buffer.isBuffer(content) ? 'utf-16le' : 'utf-8';
      expect((await fileError(await files.write(content), settings(',', encoding))).code).toBe('empty_file');
    }
  });

  it('no_header: empty header cells, a blank first line, a header that cannot be read', async () => {
    expect(await fileError(await files.write(';;;\n1;2;3\n'), settings(';'))).toMatchObject({
      code: 'no_header',
      line: 1,
    });
    expect(await fileError(await files.write('\nemail,name\na@x.de,A\n'), settings())).toMatchObject({
      code: 'no_header',
    });
    const open = await fileError(await files.write('"email,name\na@x.de,A\n'), settings());
    expect(open).toMatchObject({ code: 'no_header', detail: 'unclosed_quote' });
  });

  it('binary_file: NUL bytes, control characters, UTF-16 without BOM read as UTF-8', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    expect((await fileError(await files.write(png), settings())).code).toBe('binary_file');
    const controls = Buffer.from('a,b\n\x01\x02\x03\x04\x05\x06,\x07\x08\n');
    expect((await fileError(await files.write(controls), settings())).code).toBe('binary_file');
    const utf16 = await files.write(Buffer.from('a\tb\n1\t2\n', 'utf16le')); // no BOM: NULs
    expect((await fileError(utf16, settings('\t', 'utf-8'))).code).toBe('binary_file');
    expect((await readAll(utf16, settings('\t', 'utf-16le'))).rows[0]?.cells).toEqual(['1', '2']);
  });

  it('encoding_mismatch: a BOM contradicting the chosen encoding', async () => {
    const utf16 = await files.write(Buffer.from('\ufeffa\tb\n1\t2\n', 'utf16le'));
    expect(await fileError(utf16, settings('\t', 'utf-8'))).toMatchObject({
      code: 'encoding_mismatch',
      line: 1,
      detail: 'utf-16le',
    });
    const utf8 = await files.write('\ufeffa,b\n');
    expect((await fileError(utf8, settings(',', 'windows-1252'))).code).toBe('encoding_mismatch');
  });

  it('duplicate_header: same name after trim and case-fold, says which; empty names may repeat', async () => {
    const err = await fileError(await files.write('Email,Name, EMAIL \n'), settings());
    expect(err).toMatchObject({ code: 'duplicate_header', line: 1, detail: 'EMAIL' });
    expect(err.message).toContain('columns 1 and 3');
    expect((await readAll(await files.write('a,,,b\n1,2,3,4\n'), settings())).header).toEqual([
      'a',
      '',
      '',
      'b',
    ]);
  });

  it('too_many_columns: a header wider than the limit (500 by default, 10,000 too)', async () => {
    const header = (n: number): string => Array.from({ length: n }, (_, i) => `c${i}`).join(',') + '\n1\n';
    expect((await readAll(await files.write(header(500)), settings())).header).toHaveLength(500);
    expect(await fileError(await files.write(header(501)), settings())).toMatchObject({
      code: 'too_many_columns',
      detail: '501',
    });
    expect((await fileError(await files.write(header(10_000)), settings())).code).toBe('too_many_columns');
    expect((await fileError(await files.write(header(5)), settings(), { maxColumns: 4 })).code).toBe(
      'too_many_columns',
    );
  });
});

describe('row errors', () => {
  it('column_count: a row with 10,000 columns is one error row, the next row is read', async () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => String(i)).join(',');
    const { rows } = await readAll(await files.write(`a,b\n${wide}\n1,2\n`), settings());
    expect(rows[0]).toMatchObject({ row: 1, line: 2, error: { code: 'column_count' } });
    expect(rows[0]?.cells).toHaveLength(10_000);
    expect(rows[1]).toEqual({ row: 2, line: 3, cells: ['1', '2'] });
  });

  it.each([
    ['quoted', '"', '"'],
    ['unquoted', '', ''],
  ])(
    'field_too_large: a 100 MB %s field fails its row after ~1 MiB read, not 100 MB',
    async (name, open, close) => {
      const path = await streamFile(
        `big-${name}.csv`,
        'email,note\r\na@x.de,ok\r\nb@x.de,' + open,
        100 * 1024 * 1024,
        close + '\r\nc@x.de,never\r\n',
      );
      const file = await openCsv(path, settings());
      const rows = [];
      for await (const row of file.rows) rows.push(row);
      expect(rows).toEqual([
        { row: 1, line: 2, cells: ['a@x.de', 'ok'] },
        { row: 2, line: 3, cells: [], error: { code: 'field_too_large', message: expect.any(String) } },
      ]);
      expect(file.bytesRead()).toBeLessThan(8 * 1024 * 1024);
    },
  );

  it('field_too_large honours limits.maxFieldBytes', async () => {
    const { rows } = await readAll(await files.write(`a,b\n1,${'y'.repeat(100)}\n`), settings(), {
      maxFieldBytes: 50,
    });
    expect(rows[0]?.error?.code).toBe('field_too_large');
  });

  it('unclosed_quote: the file ends inside a quoted field; a file ending mid-row is fine', async () => {
    const { rows } = await readAll(await files.write('a,b\n1,2\n3,"open\nmore'), settings());
    expect(rows).toEqual([
      { row: 1, line: 2, cells: ['1', '2'] },
      { row: 2, line: 3, cells: [], error: { code: 'unclosed_quote', message: expect.any(String) } },
    ]);
    const mid = await readAll(await files.write('a,b,c\n1,2,3\n4,5'), settings());
    expect(mid.rows.at(-1)).toEqual({ row: 2, line: 3, cells: ['4', '5', ''] });
  });

  it('broken quotes in several rows: each is reported, the rest read', async () => {
    const text = 'a;b\n"x"y;1\n2;"z"w\n"ok";"fine"\n';
    const { rows } = await readAll(await files.write(text), settings(';'));
    expect(rows.map((r) => r.error?.code ?? 'ok')).toEqual(['invalid_quote', 'invalid_quote', 'ok']);
    expect(rows[2]?.cells).toEqual(['ok', 'fine']);
  });
});

describe('streaming', () => {
  it('200k rows: lazy (the first rows without reading the file), numbered, every row once', async () => {
    const lines = ['email,first,last'];
    for (let i = 1; i <= 200_000; i++) lines.push(`user${i}@example.com,Jörg${i},"Weiß, ${i}"`);
    const path = await files.write(lines.join('\n') + '\n');
    const size = (await stat(path)).size;

    const head = await openCsv(path, settings());
    const first = [];
    for await (const row of head.rows) {
      first.push(row);
      if (first.length === 5) break; // leaving the loop closes the file
    }
    expect(first[4]).toEqual({ row: 5, line: 6, cells: ['user5@example.com', 'Jörg5', 'Weiß, 5'] });
    expect(head.bytesRead()).toBeLessThan(size / 4);

    const file = await openCsv(path, settings());
    let count = 0;
    let ordered = true;
    for await (const row of file.rows) {
      count++;
      ordered &&= row.row === count && row.line === count + 1 && !row.error;
    }
    expect(count).toBe(200_000);
    expect(ordered).toBe(true);
    expect(file.bytesRead()).toBe(size);
  });

  it('close() stops a file whose rows are never read', async () => {
    const file = await openCsv(await files.write('a\n1\n'), settings());
    file.close();
    const rows = [];
    for await (const row of file.rows) rows.push(row);
    expect(rows.length).toBeLessThanOrEqual(1);
  });
});
