import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './delimiter.ts';
import { EncodingSniffer, SNIFF_SAMPLE_BYTES } from './encoding-sniffer.ts';
import { Utf8Validator } from './utf8-validator.ts';

/** Pushes bytes in chunks of `size` (1 splits every multi-byte sequence). */
function sniff(bytes: Uint8Array | string, size = 7) {
  const buf = Buffer.from(bytes);
  const sniffer = new EncodingSniffer();
  for (let i = 0; i < buf.length; i += size) sniffer.push(buf.subarray(i, i + size));
  return sniffer.result();
}

describe('EncodingSniffer', () => {
  it('UTF-8 whatever the chunking, even with sequences split across chunks', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(sniff('Jörg;Weiß;€;𝄞 emoji 😀\n', size)).toMatchObject({
        encoding: 'utf-8',
        bom: false,
        binary: false,
      });
    }
  });

  it('a BOM wins, and is reported', () => {
    expect(sniff(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 1)).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(sniff(Buffer.from('\ufeffa\tb\n', 'utf16le'), 1)).toMatchObject({
      encoding: 'utf-16le',
      bom: true,
      binary: false,
    });
    expect(sniff(Buffer.from('\ufeffa\tb\n', 'utf16le').swap16())).toMatchObject({
      encoding: 'utf-16be',
      bom: true,
    });
    // A BOM beats invalid UTF-8 after it.
    expect(sniff(Buffer.from([0xef, 0xbb, 0xbf, 0xfc]))).toMatchObject({ encoding: 'utf-8', bom: true });
  });

  it('strict UTF-8: overlong forms, surrogates, > U+10FFFF and a cut sequence are Windows-1252', () => {
    for (const bad of [
      [0xc0, 0xaf], // overlong "/"
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // surrogate D800
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0x61, 0xc3], // cut at the end
      [0xfc, 0x62], // Windows-1252 "ü" then "b"
      [0x80], // Windows-1252 "€"
    ]) {
      expect(sniff(Buffer.from([0x61, ...bad]), 1).encoding, bad.join(' ')).toBe('windows-1252');
    }
    // Valid edge cases stay UTF-8.
    expect(sniff(Buffer.from([0xf4, 0x8f, 0xbf, 0xbf, 0xed, 0x9f, 0xbf]), 1).encoding).toBe('utf-8');
  });

  it('the decision covers the whole file; the sample stops at 64 KiB', () => {
    const big = Buffer.concat([Buffer.alloc(300_000, 0x61), Buffer.from([0xe4])]);
    const result = sniff(big, 65_000);
    expect(result).toMatchObject({ encoding: 'windows-1252', bytes: 300_001 });
    expect(result.sample.length).toBe(SNIFF_SAMPLE_BYTES);
  });

  it('binary: NUL bytes, many control characters; plain text with tabs and CR is not', () => {
    expect(sniff(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 8, 0])).binary).toBe(true);
    expect(sniff(Buffer.from('a\x01b\x02c\x03d\x04\n')).binary).toBe(true);
    expect(sniff('a\tb\r\nc\td\f\r\n').binary).toBe(false);
    expect(sniff('').binary).toBe(false);
  });

  it('copies the sample: the caller may reuse its buffer', () => {
    const sniffer = new EncodingSniffer();
    const chunk = Buffer.from('a,b\n');
    sniffer.push(chunk);
    chunk.fill(0);
    expect(sniffer.result().sample.toString()).toBe('a,b\n');
  });
});

describe('Utf8Validator', () => {
  it('reports the index of the first invalid byte in the chunk', () => {
    const v = new Utf8Validator();
    expect(v.push(Buffer.from('ab'))).toBe(-1);
    expect(v.push(Buffer.from([0x63, 0xc3]))).toBe(-1); // sequence continues in the next chunk
    expect(v.push(Buffer.from([0xbc, 0x64, 0xff]))).toBe(2);
    expect(v.valid).toBe(false);
  });
});

describe('detectDelimiter', () => {
  it('picks the delimiter with the most consistent field count', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('Name;Betrag\nA;1,50\nB;2,00\nC;3\n')).toBe(';'); // decimal commas
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
  });

  it('counts only outside quotes, across quoted line breaks', () => {
    expect(detectDelimiter('name;note\n"Weiß, Jörg";"a, b\nc, d, e"\nx;y\n')).toBe(';');
  });

  it('ties go to comma, then semicolon; nothing splits → comma', () => {
    expect(detectDelimiter('a;b,c\n1;2,3\n')).toBe(',');
    expect(detectDelimiter('a;b|c\n1;2|3\n')).toBe(';');
    expect(detectDelimiter('email\nx@y.de\n')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });

  it('ignores a last record cut off by the end of the sample', () => {
    expect(detectDelimiter('a;b\n1;2\n3;4\n5;"cut, off, here')).toBe(';');
  });
});
