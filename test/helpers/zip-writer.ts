// A minimal zip writer for tests (PKWARE APPNOTE 4.3: local headers, central directory, end record),
// able to write what real tools should not: lying sizes, the encryption flag, bombs.
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';

/** Compressed data as it goes into the archive, with the CRC and size of the original. */
export interface PackedData {
  method: 0 | 8; // store | deflate
  data: Buffer;
  crc: number;
  size: number;
}

export interface ZipEntrySpec {
  name: string;
  /** Plain content (deflated unless `store`), or already packed data (e.g. a bomb). */
  content: Buffer | string | PackedData;
  store?: boolean;
  /** Sets general-purpose bit 0 ("encrypted"); the data is left as it is. */
  encrypted?: boolean;
  /** Writes this uncompressed size into the headers instead of the true one. */
  claimedSize?: number;
}

export function pack(content: Buffer | string, store = false): PackedData {
  const raw = Buffer.from(content);
  return {
    method: store ? 0 : 8,
    data: store ? raw : deflateRawSync(raw),
    crc: crc32(raw),
    size: raw.length,
  };
}

/** `size` zero bytes deflated, without ever holding them all in memory (a zip bomb's payload). */
export async function packZeros(size: number): Promise<PackedData> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const block = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let left = size; left > 0; left -= block.length) {
    const part = block.subarray(0, Math.min(block.length, left));
    crc = crc32(part, crc);
    if (!deflate.write(part)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { method: 8, data: Buffer.concat(out), crc, size };
}

/** The bytes of a zip archive holding `entries` in order. */
export function zipBuffer(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const spec of entries) {
    const packed =
      Buffer.isBuffer(spec.content) || typeof spec.content === 'string'
        ? pack(spec.content, spec.store)
        : spec.content;
    const name = Buffer.from(spec.name, 'utf8');
    const flags = (spec.encrypted ? 0x1 : 0) | 0x800; // 0x800: the name is UTF-8
    const size = spec.claimedSize ?? packed.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(packed.method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(packed.crc >>> 0, 14);
    local.writeUInt32LE(packed.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    local.copy(central, 8, 6, 28); // flags .. name length, same as the local header
    central.writeUInt32LE(0, 30); // extra, comment length; disk
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed.data);
    centrals.push(central, name);
    offset += local.length + name.length + packed.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
