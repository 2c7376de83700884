import type { ImportEncoding } from '../../../../shared/import-files.ts';
import { Utf8Validator } from './utf8-validator.ts';

/** Bytes kept as the sample (for delimiter detection, the binary check and the preview). */
export const SNIFF_SAMPLE_BYTES = 64 * 1024;

/** What the sniffer found: the encoding to read with, whether a BOM starts the file, and whether it is binary. */
export interface SniffResult {
  encoding: ImportEncoding;
  bom: boolean;
  binary: boolean;
  /** Total bytes pushed (the file size). */
  bytes: number;
  /** The first 64 KiB (less for smaller files). */
  sample: Buffer;
}

// Share of control characters above which a sample is taken for binary (text files have ~0).
const MAX_CONTROL_RATIO = 0.1;

/** The encoding a byte-order mark announces, or null. */
export function bomEncoding(head: Uint8Array): ImportEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

// C0 controls other than tab, LF, FF and CR, and DEL: what text files do not contain.
const isControl = (c: number): boolean =>
  (c < 0x20 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0x7f;

/**
 * True when the sample does not look like text in `encoding`: a NUL (outside UTF-16, where every
 * ASCII character has one), or more than 10 % control characters.
 */
export function looksBinary(sample: Uint8Array, encoding: ImportEncoding): boolean {
  if (sample.length === 0) return false;
  let controls = 0;
  let total: number;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const text = new TextDecoder(encoding).decode(sample);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0) return true;
      if (isControl(c)) controls++;
    }
    total = text.length;
  } else {
    for (const c of sample) {
      if (c === 0) return true;
      if (isControl(c)) controls++;
    }
    total = sample.length;
  }
  return total > 0 && controls / total > MAX_CONTROL_RATIO;
}

/**
 * Detects the encoding of a file from every one of its bytes, fed chunk by chunk while it streams
 * (an upload, a download): a BOM wins; else strict UTF-8 when every byte sequence in the whole file
 * is valid UTF-8; else Windows-1252 (what Excel and German CRMs write). Holds only the sample.
 */
export class EncodingSniffer {
  private readonly utf8 = new Utf8Validator();
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private bytes = 0;

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.headBytes < SNIFF_SAMPLE_BYTES) {
      const part = chunk.subarray(0, SNIFF_SAMPLE_BYTES - this.headBytes);
      this.head.push(Buffer.from(part)); // a copy: the caller may reuse its buffer
      this.headBytes += part.length;
    }
    // Once invalid, the answer cannot change: skip the scan for the rest of the file.
    if (this.utf8.valid) this.utf8.push(chunk);
  }

  result(): SniffResult {
    const sample = Buffer.concat(this.head, this.headBytes);
    const bomEnc = bomEncoding(sample);
    const encoding: ImportEncoding = bomEnc ?? (this.utf8.end() ? 'utf-8' : 'windows-1252');
    return {
      encoding,
      bom: bomEnc !== null,
      binary: looksBinary(sample, encoding),
      bytes: this.bytes,
      sample,
    };
  }
}
