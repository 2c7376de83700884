import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** Bounds on what an archive may unpack to (zip bombs). */
export interface ArchiveLimits {
  /** Zip entries at most, directories included (default 1000). */
  maxEntries: number;
  /** Unpacked bytes at most (default 2 GiB). */
  maxBytes: number;
  /** Unpacked ÷ packed bytes at most (default 200), counted on the bytes actually inflated. */
  maxRatio: number;
  /** The ratio applies once this many bytes are unpacked (default 1 MiB): tiny files compress extremely. */
  ratioFloorBytes: number;
}
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 1000,
  maxBytes: 2 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export type ArchiveErrorReason =
  'corrupt' | 'too_many_entries' | 'too_large' | 'ratio_exceeded' | 'no_csv' | 'several_files' | 'encrypted';

/** An archive that cannot be unpacked safely: the run fails with `unpack_failed` and this reason. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
  readonly code = 'unpack_failed';
  constructor(
    readonly reason: ArchiveErrorReason,
    readonly detail: string,
  ) {
    super(`Unpacking failed (${reason}): ${detail}`);
  }
}

export interface Unpacked {
  /** The file to read: `inPath` itself when it was not packed. */
  path: string;
  kind: 'zip' | 'gzip' | 'plain';
  /** The name inside the archive (zip entry, or the gzip header's original name). */
  entryName?: string;
}

// Files that zip tools add beside the content.
const isJunk = (name: string): boolean =>
  name.startsWith('__MACOSX/') || basename(name) === '.DS_Store' || basename(name) === 'Thumbs.db';
const CSV_LIKE = /\.(csv|txt|tsv|tab|psv)$/i;

/**
 * Unpacks `inPath` into a new file in `outDir` when its magic bytes say zip (`PK\3\4`, or `PK\5\6`
 * for an empty one) or gzip (`1f 8b`); anything else is returned as is. A zip must hold exactly one
 * CSV-like file (.csv .txt .tsv .tab .psv; directories, `__MACOSX/` and `.DS_Store` ignored).
 * Streams to disk; on failure nothing is left behind. Throws `ArchiveError`.
 */
export async function unpackIfNeeded(
  inPath: string,
  outDir: string,
  limits?: Partial<ArchiveLimits>,
): Promise<Unpacked> {
  const lim = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const head = await readHead(inPath, 4096);
  const isZip =
    head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && head[3] === head[2] + 1;
  const isGzip = head[0] === 0x1f && head[1] === 0x8b;
  if (!isZip && !isGzip) return { path: inPath, kind: 'plain' };

  await mkdir(outDir, { recursive: true });
  const outPath = join(outDir, `unpacked-${randomUUID()}`);
  try {
    if (isGzip) {
      await gunzipTo(inPath, outPath, lim);
      return { path: outPath, kind: 'gzip', ...gzipName(head) };
    }
    const entryName = await unzipTo(inPath, outPath, lim);
    return { path: outPath, kind: 'zip', entryName };
  } catch (err) {
    await rm(outPath, { force: true });
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError('corrupt', err instanceof Error ? err.message : String(err));
  }
}

async function readHead(path: string, size: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await file.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Counts bytes on their way out and fails past the size or ratio limit; `packed()` gives the bytes in. */
class LimitCounter extends Transform {
  bytes = 0;
  constructor(
    private readonly lim: ArchiveLimits,
    private readonly packed: () => number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.lim.maxBytes) {
      callback(new ArchiveError('too_large', `more than ${this.lim.maxBytes} bytes unpacked`));
    } else if (
      this.bytes > this.lim.ratioFloorBytes &&
      this.bytes > this.lim.maxRatio * Math.max(1, this.packed())
    ) {
      callback(new ArchiveError('ratio_exceeded', `compression ratio above ${this.lim.maxRatio}`));
    } else callback(null, chunk);
  }
}

async function gunzipTo(inPath: string, outPath: string, lim: ArchiveLimits): Promise<void> {
  let packed = 0;
  // Bytes read from disk run ahead of what zlib has inflated: the ratio comes out a little low, never high.
  const countIn = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      packed += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(
    createReadStream(inPath),
    countIn,
    createGunzip(),
    new LimitCounter(lim, () => packed),
    createWriteStream(outPath),
  );
}

// The original file name in the gzip header (RFC 1952 2.3: FEXTRA, then FNAME zero-terminated).
function gzipName(head: Buffer): { entryName?: string } {
  const flags = head[3] ?? 0;
  let pos = 10;
  if (flags & 0x04) pos += 2 + head.readUInt16LE(Math.min(pos, head.length - 2));
  if (!(flags & 0x08)) return {};
  const end = head.indexOf(0, pos);
  return end > pos ? { entryName: head.toString('latin1', pos, end) } : {};
}

const entryName = (entry: Entry): string => {
  const name: unknown = entry.fileName;
  return Buffer.isBuffer(name) ? name.toString('utf8') : String(name);
};

async function unzipTo(inPath: string, outPath: string, lim: ArchiveLimits): Promise<string> {
  // decodeStrings off: yauzl would reject odd names ("../x"), which do not matter as nothing is written by name.
  // autoClose off: the entry is opened after the listing has reached the end.
  const zip = await yauzl.openPromise(inPath, {
    lazyEntries: true,
    validateEntrySizes: true,
    decodeStrings: false,
    autoClose: false,
  });
  try {
    if (zip.entryCount > lim.maxEntries) {
      throw new ArchiveError('too_many_entries', `${zip.entryCount} entries, at most ${lim.maxEntries}`);
    }
    const files = (await listEntries(zip)).filter(
      (e) => !entryName(e).endsWith('/') && !isJunk(entryName(e)),
    );
    const csv = files.filter((e) => CSV_LIKE.test(entryName(e)));
    if (csv.length > 1) throw new ArchiveError('several_files', csv.map(entryName).join(', '));
    const entry = csv[0];
    if (!entry) {
      throw new ArchiveError(
        'no_csv',
        files.length ? `no CSV among ${files.map(entryName).join(', ')}` : 'empty archive',
      );
    }
    if (entry.isEncrypted()) throw new ArchiveError('encrypted', `${entryName(entry)} is password-protected`);
    if (entry.uncompressedSize > lim.maxBytes) {
      throw new ArchiveError('too_large', `${entryName(entry)} unpacks to ${entry.uncompressedSize} bytes`);
    }
    if (
      entry.uncompressedSize > lim.ratioFloorBytes &&
      entry.uncompressedSize > lim.maxRatio * Math.max(1, entry.compressedSize)
    ) {
      throw new ArchiveError(
        'ratio_exceeded',
        `${entryName(entry)} claims a compression ratio above ${lim.maxRatio}`,
      );
    }
    const stream: Readable = await zip.openReadStreamPromise(entry);
    await pipeline(stream, new LimitCounter(lim, () => entry.compressedSize), createWriteStream(outPath));
    return entryName(entry);
  } finally {
    zip.close();
  }
}

function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}
