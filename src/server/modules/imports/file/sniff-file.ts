import { createReadStream } from 'node:fs';
import type { ImportDelimiter } from '../../../../shared/import-files.ts';
import { detectDelimiter } from './delimiter.ts';
import { EncodingSniffer, type SniffResult } from './encoding-sniffer.ts';

/**
 * Sniffs a file already on disk (a remote import): reads it once, end to end, through the
 * encoding sniffer, then detects the delimiter in its first 64 KiB. Memory: the sample only.
 */
export async function sniffFile(path: string): Promise<SniffResult & { delimiter: ImportDelimiter }> {
  const sniffer = new EncodingSniffer();
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 }))
    sniffer.push(chunk as Buffer);
  const result = sniffer.result();
  return { ...result, delimiter: result.binary ? ',' : detectDelimiter(sampleText(result)) };
}

/** The sample as text in the detected encoding (BOM dropped; a character cut at the end is harmless). */
export function sampleText(result: SniffResult): string {
  return new TextDecoder(result.encoding).decode(result.sample);
}
