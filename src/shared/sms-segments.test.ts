import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isGsm7, smsInfo } from './sms-segments.ts';

const GSM_BASIC_SAMPLE = [...'@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà'];
const GSM_EXT = [...'^{}\\[~]|€\f'];
const gsmChar = fc.constantFrom(...GSM_BASIC_SAMPLE, ...GSM_EXT);
const gsmText = fc.array(gsmChar, { maxLength: 800 }).map((cs) => cs.join(''));
const anyText = fc.string({ unit: 'grapheme', maxLength: 400 });

describe('smsInfo', () => {
  it('counts GSM-7 texts in septets: 160 in one segment, 153 per segment beyond', () => {
    expect(smsInfo('')).toEqual({ encoding: 'GSM-7', characters: 0, segments: 0, perSegment: 160 });
    expect(smsInfo('Hallo Anna')).toEqual({
      encoding: 'GSM-7',
      characters: 10,
      segments: 1,
      perSegment: 160,
    });
    expect(smsInfo('a'.repeat(160)).segments).toBe(1);
    expect(smsInfo('a'.repeat(161))).toEqual({
      encoding: 'GSM-7',
      characters: 161,
      segments: 2,
      perSegment: 153,
    });
    expect(smsInfo('a'.repeat(306)).segments).toBe(2);
    expect(smsInfo('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters as two septets and stays GSM-7 with umlauts', () => {
    expect(smsInfo('€')).toMatchObject({ encoding: 'GSM-7', characters: 2 });
    expect(smsInfo('^{}\\[~]|€\f')).toMatchObject({ encoding: 'GSM-7', characters: 20 });
    expect(smsInfo('Grüße aus Köln, Straße 5')).toMatchObject({ encoding: 'GSM-7', characters: 24 });
    expect(smsInfo('a'.repeat(159) + '€')).toMatchObject({ characters: 161, segments: 2 });
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7, counting UTF-16 units', () => {
    expect(smsInfo('Hello ç')).toEqual({ encoding: 'UCS-2', characters: 7, segments: 1, perSegment: 70 });
    expect(smsInfo('Hi 😀')).toMatchObject({ encoding: 'UCS-2', characters: 5 });
    expect(smsInfo('a'.repeat(70) + 'ł').segments).toBe(2);
    expect(smsInfo('ł'.repeat(70))).toMatchObject({ segments: 1, perSegment: 70 });
    expect(smsInfo('ł'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(smsInfo('ł'.repeat(134)).segments).toBe(2);
    expect(smsInfo('ł'.repeat(135)).segments).toBe(3);
  });

  it('does not split an escape pair or a surrogate pair across segments', () => {
    // 152 septets, then € (2): it would straddle the first segment's end, so it starts the second.
    expect(smsInfo('a'.repeat(152) + '€' + 'a'.repeat(152))).toMatchObject({ characters: 306, segments: 3 });
    expect(smsInfo('ł'.repeat(66) + '😀' + 'ł'.repeat(66))).toMatchObject({ characters: 134, segments: 3 });
  });

  it('never calls a GSM-only text UCS-2, and counts it within one septet per extension character', () => {
    fc.assert(
      fc.property(gsmText, (text) => {
        const info = smsInfo(text);
        expect(info.encoding).toBe('GSM-7');
        expect(isGsm7(text)).toBe(true);
        const ext = [...text].filter((c) => GSM_EXT.includes(c)).length;
        expect(info.characters).toBe([...text].length + ext);
      }),
      { seed: 1207, numRuns: 300 },
    );
  });

  it('never needs fewer segments when text is appended in the same encoding', () => {
    // (Not across a switch: 100 × "€" is 200 septets in GSM-7 but 101 units once a "ł" makes it UCS-2.)
    fc.assert(
      fc.property(fc.oneof(gsmText, anyText), fc.oneof(gsmText, anyText), (a, b) => {
        const before = smsInfo(a);
        const after = smsInfo(a + b);
        fc.pre(before.encoding === after.encoding);
        expect(after.segments).toBeGreaterThanOrEqual(before.segments);
        expect(after.characters).toBeGreaterThanOrEqual(before.characters);
      }),
      { seed: 1208, numRuns: 300 },
    );
  });

  it('holds every text within segments × perSegment, and needs more than one only beyond a single segment', () => {
    fc.assert(
      fc.property(fc.oneof(gsmText, anyText), (text) => {
        const info = smsInfo(text);
        const single = info.encoding === 'GSM-7' ? 160 : 70;
        expect(info.characters).toBeLessThanOrEqual(info.segments * info.perSegment);
        expect(info.segments > 1).toBe(info.characters > single);
        if (info.encoding === 'UCS-2') expect(info.characters).toBe(text.length);
        expect(info.encoding === 'GSM-7').toBe(isGsm7(text));
      }),
      { seed: 1209, numRuns: 300 },
    );
  });
});
