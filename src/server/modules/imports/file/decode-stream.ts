import { Transform, type TransformCallback } from 'node:stream';
import type { ImportEncoding } from '../../../../shared/import-files.ts';
import { ImportFileError } from './import-file-error.ts';
import type { RecordScanner } from './record-scanner.ts';
import { Utf8Validator } from './utf8-validator.ts';

/** Line breaks (CRLF, CR or LF, each one) in bytes[0..end): how far into the chunk a bad byte sits. */
function lineBreaks(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    if (bytes[i] === 0x0a) n++;
    else if (bytes[i] === 0x0d) {
      n++;
      if (bytes[i + 1] === 0x0a) i++;
    }
  }
  return n;
}

/**
 * Bytes in `encoding` → text (a BOM of that encoding is dropped, as `TextDecoder` does), fed to the
 * scanner on the way. When the encoding is UTF-8, every byte is checked strictly: an invalid one
 * fails the stream with `encoding_mismatch` and its line (the user chose UTF-8 for a file that is
 * not). Counts the bytes it has read.
 */
export class DecodeStream extends Transform {
  private readonly decoder: TextDecoder;
  private readonly utf8: Utf8Validator | null;
  bytesRead = 0;

  constructor(
    private readonly encoding: ImportEncoding,
    private readonly scanner: RecordScanner,
  ) {
    super({ decodeStrings: true });
    this.decoder = new TextDecoder(encoding);
    this.utf8 = encoding === 'utf-8' ? new Utf8Validator() : null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytesRead += chunk.length;
    const bad = this.utf8 ? this.utf8.push(chunk) : -1;
    if (bad >= 0) {
      callback(this.mismatch(this.scanner.currentLine + lineBreaks(chunk, bad)));
      return;
    }
    this.emitText(this.decoder.decode(chunk, { stream: true }), callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.utf8 && !this.utf8.end()) {
      callback(this.mismatch(this.scanner.currentLine));
      return;
    }
    const text = this.decoder.decode();
    if (text) this.scanner.push(text);
    this.scanner.end();
    callback(null, text || undefined);
  }

  private emitText(text: string, callback: TransformCallback): void {
    if (text) this.scanner.push(text);
    // An empty string would be taken as the end of the stream: push nothing instead.
    callback(null, text || undefined);
  }

  private mismatch(line: number): ImportFileError {
    return new ImportFileError(
      'encoding_mismatch',
      `The file is not valid ${this.encoding.toUpperCase()}: invalid bytes on line ${line}. Choose another encoding (e.g. Windows-1252).`,
      line,
    );
  }
}
