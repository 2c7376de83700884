import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packZeros, zipBuffer, type ZipEntrySpec } from '../../../test/helpers/zip-writer.ts';
import { ArchiveError, unpackIfNeeded, type ArchiveLimits } from './archive.ts';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-archive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CSV = 'email;Vorname\nanna@example.com;Jürgen\n';

async function file(content: Buffer | string): Promise<string> {
  const path = join(dir, `in-${++n}`);
  await writeFile(path, content);
  return path;
}

// A fresh output folder per call, so a test can see that a failure leaves nothing behind.
async function unpack(content: Buffer | string, limits?: Partial<ArchiveLimits>) {
  const out = join(dir, `out-${++n}`);
  return { out, result: await unpackIfNeeded(await file(content), out, limits) };
}

async function failure(content: Buffer | string, limits?: Partial<ArchiveLimits>): Promise<ArchiveError> {
  const out = join(dir, `out-${++n}`);
  const err: unknown = await unpackIfNeeded(await file(content), out, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArchiveError);
  const files = await readdir(out).catch(() => []);
  expect(files).toEqual([]); // no partial output
  return err as ArchiveError;
}

const zip = (...entries: ZipEntrySpec[]): Buffer => zipBuffer(entries);

describe('unpackIfNeeded: zip', () => {
  it('unpacks the one CSV, deflated or stored, and names it', async () => {
    for (const store of [false, true]) {
      const { result } = await unpack(zip({ name: 'export/kontakte.csv', content: CSV, store }));
      expect(result.kind).toBe('zip');
      expect(result.entryName).toBe('export/kontakte.csv');
      expect(await readFile(result.path, 'utf8')).toBe(CSV);
    }
  });

  it('ignores directories, __MACOSX and .DS_Store beside the CSV', async () => {
    const { result } = await unpack(
      zip(
        { name: 'export/', content: '' },
        { name: '__MACOSX/export/._kontakte.csv', content: 'junk' },
        { name: 'export/.DS_Store', content: 'junk' },
        { name: 'export/kontakte.txt', content: CSV },
      ),
    );
    expect(result.entryName).toBe('export/kontakte.txt');
    expect(await readFile(result.path, 'utf8')).toBe(CSV);
  });

  it('refuses two CSV files, none, and an empty archive', async () => {
    const two = await failure(zip({ name: 'a.csv', content: CSV }, { name: 'b.csv', content: CSV }));
    expect(two).toMatchObject({ code: 'unpack_failed', reason: 'several_files' });
    expect(two.detail).toContain('a.csv');
    expect((await failure(zip({ name: 'report.xlsx', content: 'PK' }))).reason).toBe('no_csv');
    expect((await failure(zip())).reason).toBe('no_csv');
  });

  it('refuses a corrupt archive', async () => {
    const good = zip({ name: 'a.csv', content: CSV.repeat(50) });
    expect((await failure(good.subarray(0, good.length - 30))).reason).toBe('corrupt'); // cut end record
    const flipped = Buffer.from(good);
    flipped.fill(0xff, 40, 80); // inside the deflated data
    expect((await failure(flipped)).reason).toBe('corrupt');
    expect((await failure(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 7)]))).reason).toBe(
      'corrupt',
    );
  });

  it('refuses an encrypted entry', async () => {
    const err = await failure(zip({ name: 'a.csv', content: CSV, encrypted: true }));
    expect(err.reason).toBe('encrypted');
  });

  it('refuses a zip bomb by its claimed and by its actual ratio', async () => {
    const zeros = await packZeros(50 * 1024 * 1024);
    expect((await failure(zip({ name: 'bomb.csv', content: zeros }))).reason).toBe('ratio_exceeded');
    // The headers claim 1 MiB (ratio ~20): the check on the inflated bytes still stops it.
    const lying = zip({ name: 'bomb.csv', content: zeros, claimedSize: 1024 * 1024 });
    expect(['ratio_exceeded', 'corrupt']).toContain((await failure(lying)).reason);
    expect((await failure(lying, { maxRatio: 10_000 })).reason).toBe('corrupt'); // yauzl: more bytes than declared
  });

  it('enforces entry count and size limits', async () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ name: `x${i}.bin`, content: 'x' }));
    expect((await failure(zip(...many), { maxEntries: 5 })).reason).toBe('too_many_entries');
    expect(
      (await unpack(zip(...many.slice(0, 4), { name: 'a.csv', content: CSV }), { maxEntries: 5 })).result
        .kind,
    ).toBe('zip');
    expect((await failure(zip({ name: 'a.csv', content: CSV }), { maxBytes: 10 })).reason).toBe('too_large');
    const big = zip({ name: 'a.csv', content: 'x'.repeat(3000), claimedSize: 10 });
    expect((await failure(big, { maxBytes: 1000 })).reason).toMatch(/too_large|corrupt/);
  });
});

describe('unpackIfNeeded: gzip and plain', () => {
  it('gunzips, with the original name from the header', async () => {
    const { result } = await unpack(gzipSync(CSV));
    expect(result).toMatchObject({ kind: 'gzip' });
    expect(await readFile(result.path, 'utf8')).toBe(CSV);
    const gz = gzipSync(CSV);
    gz[3] = 0x08; // FNAME
    const named = Buffer.concat([
      gz.subarray(0, 10),
      Buffer.from('kontakte.csv\0', 'latin1'),
      gz.subarray(10),
    ]);
    const again = await unpack(named);
    expect(again.result.entryName).toBe('kontakte.csv');
    expect(await readFile(again.result.path, 'utf8')).toBe(CSV);
  });

  it('refuses a corrupt or cut gzip', async () => {
    const gz = gzipSync(CSV.repeat(100));
    expect((await failure(gz.subarray(0, gz.length - 20))).reason).toBe('corrupt');
    const flipped = Buffer.from(gz);
    flipped.fill(0xff, 12, 40);
    expect((await failure(flipped)).reason).toBe('corrupt');
  });

  it('refuses a gzip bomb and a too large output', async () => {
    const zeros = await packZeros(50 * 1024 * 1024);
    // A gzip member: header, the same raw deflate data, CRC32 and size (RFC 1952).
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(zeros.crc >>> 0, 0);
    trailer.writeUInt32LE(zeros.size >>> 0, 4);
    const bomb = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), zeros.data, trailer]);
    expect((await failure(bomb)).reason).toBe('ratio_exceeded');
    expect((await failure(gzipSync(CSV), { maxBytes: 10 })).reason).toBe('too_large');
  });

  it('returns anything else as it is', async () => {
    const path = await file(CSV);
    expect(await unpackIfNeeded(path, join(dir, 'unused'))).toEqual({ path, kind: 'plain' });
    const empty = await file('');
    expect(await unpackIfNeeded(empty, join(dir, 'unused'))).toEqual({ path: empty, kind: 'plain' });
  });
});
