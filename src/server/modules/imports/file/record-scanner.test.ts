import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RecordScanner, type RecordMark } from './record-scanner.ts';

function marks(pieces: string[], delimiter = ','): RecordMark[] {
  const scanner = new RecordScanner(delimiter);
  for (const piece of pieces) scanner.push(piece);
  scanner.end();
  const out: RecordMark[] = [];
  for (let m = scanner.next(); m; m = scanner.next()) out.push(m);
  return out;
}

// csv-parse as the reader configures it; its records' start lines follow from their cells, since a
// line break can only sit inside a quoted field (elsewhere it ends the record).
function oracle(text: string, delimiter = ','): { lines: number[]; count: number } | null {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
    });
  } catch {
    return null; // unclosed quote: the reader stops there
  }
  const lines: number[] = [];
  let line = 1;
  for (const cells of records) {
    lines.push(line);
    line += 1 + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  }
  return { lines, count: records.length };
}

describe('RecordScanner', () => {
  it('marks start lines of records across quoted line breaks and blank lines', () => {
    const text = 'a,b\r\n"x\r\ny",z\n\n"p""q",r\rlast';
    expect(marks([text]).map((m) => m.line)).toEqual([1, 2, 4, 5, 6]);
  });

  it('flags a quoted field closed by a quote followed by text, not a stray quote inside a field', () => {
    expect(marks(['"ab"c,d\n55" TV,x\n"ok","fine"\n']).map((m) => m.invalidQuote)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('fuzz: same marks however the text is cut into chunks, and the same records as csv-parse', () => {
    const text = fc.string({ unit: fc.constantFrom(',', ';', '"', '\r', '\n', 'a'), maxLength: 120 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(120), { maxLength: 8 }), fc.constantFrom(',', ';'), (t, cuts, d) => {
        const points = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((x, y) => x - y);
        const pieces = [0, ...points].map((p, i, all) => t.slice(p, all[i + 1] ?? t.length));
        const whole = marks([t], d);
        expect(marks(pieces, d)).toEqual(whole);
        const expected = oracle(t, d);
        if (expected) {
          expect(whole.length).toBe(expected.count);
          expect(whole.map((m) => m.line)).toEqual(expected.lines);
        }
      }),
      { numRuns: 500 },
    );
  });
});
