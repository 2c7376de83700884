// The import bench's file: a German CRM export as Excel writes it (UTF-8, `;`-separated, decimal
// comma, DD.MM.YYYY dates), generated row by row into a file so that no size is held in memory;
// and that file read back in whole lines, for the raw COPY baseline.
import fs from 'node:fs';
import { once } from 'node:events';

/** The custom fields the file's columns fill: key, label (the file's header) and type. */
export const IMPORT_CUSTOM_FIELDS = [
  { key: 'kundennummer', label: 'Kundennummer', type: 'number' },
  { key: 'geburtstag', label: 'Geburtstag', type: 'date' },
  { key: 'notiz', label: 'Notiz', type: 'text' },
] as const;

/** The header; each name is one Herald suggests the right target for (standard field or custom label). */
export const IMPORT_HEADER = [
  'E-Mail',
  'Vorname',
  'Nachname',
  'Mobil',
  'Kundennummer',
  'Geburtstag',
  'Notiz',
  'Tags',
];

const FIRST = [
  'Jürgen',
  'Jörg',
  'Björn',
  'Günter',
  'Käthe',
  'Sören',
  'Ümit',
  'Anna',
  'Lena',
  'Max',
  'Zoë',
  'Hans',
];
const LAST = [
  'Müller',
  'Schäfer',
  'Weiß',
  'Groß',
  'Köhler',
  'Böhm',
  'Krüger',
  'Schröder',
  'Fuß',
  'Meyer',
  'Öztürk',
];
const TAGS = ['VIP,Kunde', 'Kunde', 'Newsletter', '', 'Händler,Kunde', 'Kunde,Newsletter', ''];
const CITIES = ['München', 'Köln', 'Düsseldorf', 'Nürnberg', 'Lübeck', 'Würzburg'];
/** German mobile prefixes; with eight digits after them every number is valid for libphonenumber. */
const MOBILE = ['151', '160', '170', '171', '176'];

/** Row `i` (0-based) of the file, without the line break. Emails and phones are unique per row. */
export function importRow(i: number): string {
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');
  return [
    `kunde${i}@beispiel.de`,
    FIRST[i % FIRST.length],
    LAST[(i * 7) % LAST.length],
    `0${MOBILE[i % MOBILE.length]} ${String(Math.floor(i / MOBILE.length)).padStart(8, '0')}`,
    String(100_000 + i),
    `${day}.${month}.${1950 + (i % 50)}`,
    `Bestellung über ${CITIES[i % CITIES.length]} Nr. ${i}`,
    TAGS[i % TAGS.length],
  ].join(';');
}

/** Writes the header and `rows` rows to `file` (CRLF line ends, as Excel does); returns its size in bytes. */
export async function writeImportCsv(file: string, rows: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const lines: string[] = [IMPORT_HEADER.join(';')];
  const flush = async () => {
    if (!out.write(lines.join('\r\n') + '\r\n')) await once(out, 'drain');
    lines.length = 0;
  };
  for (let i = 0; i < rows; i++) {
    lines.push(importRow(i));
    if (lines.length >= 5_000) await flush();
  }
  if (lines.length) await flush();
  out.end();
  await once(out, 'finish');
  return (await fs.promises.stat(file)).size;
}

/**
 * The data lines of `file` (header dropped) in pieces of about `bytes`, each ending at a line end,
 * so that every piece is a COPY on its own (PGlite runs one COPY per piece).
 */
export async function* dataLines(file: string, bytes = 16 * 1024 * 1024): AsyncGenerator<string> {
  let rest = '';
  let header = true;
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: bytes })) {
    let text = rest + (chunk as string);
    if (header) {
      const end = text.indexOf('\n');
      if (end < 0) {
        rest = text;
        continue;
      }
      text = text.slice(end + 1);
      header = false;
    }
    const last = text.lastIndexOf('\n');
    rest = text.slice(last + 1);
    if (last >= 0) yield text.slice(0, last + 1);
  }
  if (rest) yield rest;
}
