// How many SMS segments a text takes (GSM 03.38). Shared by the server (cost preview, ledger) and the
// web editor's live counter, so both count the same way.

/** The GSM 03.38 basic character set: one septet each. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: an escape septet plus one, so two septets each. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const SEPTETS = new Map<string, 1 | 2>([
  ...[...GSM_BASIC].map((c) => [c, 1] as const),
  ...[...GSM_EXTENSION].map((c) => [c, 2] as const),
]);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** A text's size as SMS: `characters` are septets (GSM-7) or UTF-16 code units (UCS-2). */
export interface SmsInfo {
  encoding: SmsEncoding;
  characters: number;
  segments: number;
  /** The characters one segment holds for this text: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
}

const LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
};

/**
 * Encoding, length and segment count of `text`. One character outside GSM-7 switches the whole
 * text to UCS-2 (where an emoji counts 2, being two UTF-16 code units). A concatenated message
 * never splits a two-unit character (an extension character's escape pair, a surrogate pair)
 * across segments, as phones split them, so such a text may need one segment more than
 * characters / 153 (or 67). An empty text is 0 segments.
 */
export function smsInfo(text: string): SmsInfo {
  const units: number[] = [];
  let gsm = true;
  for (const c of text) {
    const n = SEPTETS.get(c);
    if (n === undefined) {
      gsm = false;
      break;
    }
    units.push(n);
  }
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const sizes = gsm ? units : [...text].map((c) => c.length);
  const characters = sizes.reduce((a, b) => a + b, 0);
  const { single, multi } = LIMITS[encoding];
  if (characters <= single) {
    return { encoding, characters, segments: characters === 0 ? 0 : 1, perSegment: single };
  }
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, characters, segments, perSegment: multi };
}

/** Whether every character of `text` is in GSM-7 (basic set or extension table). */
export function isGsm7(text: string): boolean {
  for (const c of text) if (!SEPTETS.has(c)) return false;
  return true;
}
