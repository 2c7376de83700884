/**
 * Streaming strict UTF-8 check (RFC 3629 / Unicode table 3-7): rejects overlong forms, surrogates
 * (ED A0..BF), code points above U+10FFFF and sequences cut off at the end of the input. Sequences
 * split across chunks are carried over, so the chunking never changes the answer.
 */
export class Utf8Validator {
  /** Continuation bytes still expected for the sequence in progress. */
  private pending = 0;
  /** Allowed range of the next continuation byte (narrower right after E0, ED, F0, F4). */
  private lo = 0x80;
  private hi = 0xbf;
  private failed = false;

  get valid(): boolean {
    return !this.failed;
  }

  /** Checks the next chunk; answers the index in `chunk` of the first invalid byte, or -1. */
  push(chunk: Uint8Array): number {
    if (this.failed) return 0;
    let { pending, lo, hi } = this;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (pending > 0) {
        if (b < lo || b > hi) return this.fail(i);
        pending--;
        lo = 0x80;
        hi = 0xbf;
        continue;
      }
      if (b < 0x80) continue;
      if (b >= 0xc2 && b <= 0xdf) pending = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        pending = 2;
        if (b === 0xe0) lo = 0xa0;
        else if (b === 0xed) hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        pending = 3;
        if (b === 0xf0) lo = 0x90;
        else if (b === 0xf4) hi = 0x8f;
      } else return this.fail(i);
    }
    this.pending = pending;
    this.lo = lo;
    this.hi = hi;
    return -1;
  }

  /** The input ended: false when a multi-byte sequence was cut off (or anything before was invalid). */
  end(): boolean {
    if (this.pending > 0) this.failed = true;
    return !this.failed;
  }

  private fail(index: number): number {
    this.failed = true;
    return index;
  }
}
