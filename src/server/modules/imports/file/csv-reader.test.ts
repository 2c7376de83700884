import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileError, readAll, settings, tempFiles } from '../../../../../test/helpers/csv-files.ts';
import { openCsv } from './csv-reader.ts';
import { sniffFile } from './sniff-file.ts';

let files: Awaited<ReturnType<typeof tempFiles>>;
beforeAll(async () => {
  files = await tempFiles();
});
afterAll(() => files.remove());

// Windows-1252 bytes written by hand: the characters German exports carry.
const CP1252: Record<string, number> = {
  ä: 0xe4,
  ö: 0xf6,
  ü: 0xfc,
  Ä: 0xc4,
  Ö: 0xd6,
  Ü: 0xdc,
  ß: 0xdf,
  '€': 0x80,
  é: 0xe9,
};
function cp1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((c) => {
      const code = CP1252[c] ?? c.charCodeAt(0);
      if (code > 0xff) throw new Error(`no Windows-1252 byte for ${c}`);
      return code;
    }),
  );
}
const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

const GERMAN =
  'Vorname;Nachname;E-Mail;Betrag\r\nJürgen;Weiß;j@example.de;5 €\r\nÄnne;Öztürk;ae@example.de;"1,50"\r\n';
const GERMAN_ROWS = [
  ['Jürgen', 'Weiß', 'j@example.de', '5 €'],
  ['Änne', 'Öztürk', 'ae@example.de', '1,50'],
];

describe('encodings', () => {
  it('UTF-8 with and without BOM: umlauts exact, BOM not in the first header name', async () => {
    for (const bom of ['', '\ufeff']) {
      const path = await files.write(bom + GERMAN);
      const sniff = await sniffFile(path);
      expect(sniff).toMatchObject({ encoding: 'utf-8', bom: bom !== '', binary: false, delimiter: ';' });
      const { header, rows } = await readAll(path, settings(';'));
      expect(header).toEqual(['Vorname', 'Nachname', 'E-Mail', 'Betrag']);
      expect(rows.map((r) => r.cells)).toEqual(GERMAN_ROWS);
    }
  });

  it('UTF-16 LE with BOM, tab-separated (Excel "Unicode text"), and UTF-16 BE', async () => {
    const text = '\ufeff' + GERMAN.replaceAll(';', '\t');
    for (const [bytes, encoding] of [
      [Buffer.from(text, 'utf16le'), 'utf-16le'],
      [utf16be(text), 'utf-16be'],
    ] as const) {
      const path = await files.write(bytes);
      const sniff = await sniffFile(path);
      expect(sniff).toMatchObject({ encoding, bom: true, binary: false, delimiter: '\t' });
      const { header, rows } = await readAll(path, settings('\t', encoding));
      expect(header[0]).toBe('Vorname');
      expect(rows.map((r) => r.cells)).toEqual(GERMAN_ROWS);
    }
  });

  it('Windows-1252: detected, umlauts, ß and € exact', async () => {
    const path = await files.write(cp1252(GERMAN));
    const sniff = await sniffFile(path);
    expect(sniff).toMatchObject({ encoding: 'windows-1252', bom: false, binary: false, delimiter: ';' });
    const { rows } = await readAll(path, settings(';', 'windows-1252'));
    expect(rows.map((r) => r.cells)).toEqual(GERMAN_ROWS);
  });

  it('a Windows-1252 byte after the first 64 KiB still decides (the whole file is checked)', async () => {
    const head = 'email;name\n' + 'a@example.de;Anna\n'.repeat(10_000); // ~180 KB of ASCII
    const path = await files.write(Buffer.concat([Buffer.from(head), cp1252('b@example.de;Jörg\n')]));
    expect((await sniffFile(path)).encoding).toBe('windows-1252');
    const { rows } = await readAll(path, settings(';', 'windows-1252'));
    expect(rows.at(-1)?.cells).toEqual(['b@example.de', 'Jörg']);
  });

  it('the user overrides the encoding: UTF-8 chosen for Windows-1252 bytes is refused with the line', async () => {
    const path = await files.write(cp1252(GERMAN));
    const err = await fileError(path, settings(';', 'utf-8'));
    expect(err).toMatchObject({ code: 'encoding_mismatch', line: 2 });
    // The other way round the override is obeyed: UTF-8 bytes read as Windows-1252 (mojibake, but no error).
    const utf8 = await files.write(GERMAN);
    const { rows } = await readAll(utf8, settings(';', 'windows-1252'));
    expect(rows[0]?.cells[0]).toBe('JÃ¼rgen');
  });

  it('a mismatch deep in the file: earlier rows come, then the error with its line', async () => {
    const path = await files.write(Buffer.concat([Buffer.from('a\n' + 'x\n'.repeat(50_000)), cp1252('ü\n')]));
    const file = await openCsv(path, settings());
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of file.rows) seen++;
      })(),
    ).rejects.toMatchObject({ code: 'encoding_mismatch', line: 50_002 });
    expect(seen).toBeGreaterThan(1000);
  });
});

describe('delimiters, line endings, quotes', () => {
  it.each([',', ';', '\t', '|'] as const)('detects and reads %j', async (d) => {
    const path = await files.write(
      ['email', 'Vorname', 'Nachname'].join(d) + '\n' + ['a@x.de', 'Jörg', 'Weiß'].join(d) + '\n',
    );
    expect((await sniffFile(path)).delimiter).toBe(d);
    expect((await readAll(path, settings(d))).rows[0]?.cells).toEqual(['a@x.de', 'Jörg', 'Weiß']);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('%s line endings, line numbers right', async (_name, eol) => {
    const path = await files.write(['a,b', '1,2', '3,4', '', '5,6'].join(eol) + eol);
    const { rows } = await readAll(path, settings());
    expect(rows.map((r) => [r.row, r.line, ...r.cells])).toEqual([
      [1, 2, '1', '2'],
      [2, 3, '3', '4'],
      [3, 5, '5', '6'], // the blank line 4 is no row
    ]);
  });

  it('quoted fields with delimiters, line breaks and "" escapes; lines of records after them', async () => {
    const text =
      'name;note\r\n"Weiß; Jörg";"line one\r\nline two\nline three"\r\n"He said ""hi""";x\r\nlast;"a;b"';
    const { rows } = await readAll(await files.write(text), settings(';'));
    expect(rows).toEqual([
      { row: 1, line: 2, cells: ['Weiß; Jörg', 'line one\r\nline two\nline three'] },
      { row: 2, line: 5, cells: ['He said "hi"', 'x'] },
      { row: 3, line: 6, cells: ['last', 'a;b'] }, // no line break at the end of the file
    ]);
  });

  it('keeps cells as written (spaces), pads short rows, mixed line endings', async () => {
    const { rows } = await readAll(await files.write('a,b,c\r\n 1 , 2 \n3\r4,5,6'), settings());
    expect(rows.map((r) => [r.line, r.cells])).toEqual([
      [2, [' 1 ', ' 2 ', '']],
      [3, ['3', '', '']],
      [4, ['4', '5', '6']],
    ]);
    expect(rows.every((r) => !r.error)).toBe(true);
  });

  it('a stray quote inside an unquoted field is text; a quote closed too early is an invalid_quote row', async () => {
    const text = 'name,size\nTV,55" Zoll\n"Weiß" Jörg,1\nok,2\n';
    const { rows } = await readAll(await files.write(text), settings());
    expect(rows[0]).toEqual({ row: 1, line: 2, cells: ['TV', '55" Zoll'] });
    expect(rows[1]).toMatchObject({ row: 2, line: 3, error: { code: 'invalid_quote' } });
    expect(rows[2]).toEqual({ row: 3, line: 4, cells: ['ok', '2'] }); // the reader goes on
  });
});
