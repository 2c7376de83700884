import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PgpError,
  decryptFile,
  generateKeyPair,
  inspectPrivateKey,
  isPgpMessage,
  type PgpKeyPair,
} from './pgp.js';

// Over 1 MiB, so openpgp streams plaintext out before it reaches the integrity check at the end.
const LINE = 'email;vorname;nachname\nfrançoise@example.de;Jürgen;Größe-Übel ÄÖÜäöüß €\n';
const PLAIN = Buffer.from(LINE.repeat(20_000), 'utf8');

let dir: string;
let keys: PgpKeyPair;
let other: PgpKeyPair;
const key = () => ({ privateKeyArmored: keys.privateKeyArmored, passphrase: 'correct horse' });

async function encryptTo(pair: PgpKeyPair, format: 'armored' | 'binary'): Promise<Buffer> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: pair.publicKeyArmored });
  const message = await openpgp.createMessage({ binary: new Uint8Array(PLAIN) });
  const out =
    format === 'armored'
      ? await openpgp.encrypt({ message, encryptionKeys, format: 'armored' })
      : await openpgp.encrypt({ message, encryptionKeys, format: 'binary' });
  return Buffer.from(out);
}

/**
 * A message without integrity protection: a PKESK plus a legacy Symmetrically Encrypted Data
 * packet (tag 9, no MDC), which openpgp v6 still builds through its packet classes (its `encrypt`
 * is private in the typings, hence the cast) but never produces from `openpgp.encrypt`.
 */
async function encryptWithoutIntegrity(pair: PgpKeyPair): Promise<Buffer> {
  const encryptionKeys = await openpgp.readKey({ armoredKey: pair.publicKeyArmored });
  const sessionKey = await openpgp.generateSessionKey({ encryptionKeys });
  const withKey = await openpgp.encryptSessionKey({ ...sessionKey, encryptionKeys, format: 'object' });
  const literal = await openpgp.createMessage({ binary: new Uint8Array(PLAIN) });
  const sed = new openpgp.SymmetricallyEncryptedDataPacket() as unknown as {
    packets: openpgp.PacketList<openpgp.AnyPacket>;
    encrypt(algo: openpgp.enums.symmetric, key: Uint8Array): Promise<void>;
  };
  sed.packets = literal.packets;
  await sed.encrypt(openpgp.enums.symmetric[sessionKey.algorithm], sessionKey.data);
  withKey.packets.push(sed as unknown as openpgp.AnyPacket);
  return Buffer.from(withKey.write() as Uint8Array);
}

async function failure(file: Buffer, name: string): Promise<{ err: unknown; out: string }> {
  const inPath = path.join(dir, `${name}.pgp`);
  const out = path.join(dir, `${name}.out`);
  await writeFile(inPath, file);
  const err = await decryptFile(inPath, out, key()).catch((e: unknown) => e);
  return { err, out };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'herald-pgp-'));
  [keys, other] = await Promise.all([
    generateKeyPair({ name: 'Herald Import', email: 'import@example.com', passphrase: 'correct horse' }),
    generateKeyPair({ name: 'Someone Else', email: 'else@example.com', passphrase: 'x' }),
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PGP keys', () => {
  it('generates an encrypted key pair and reads it back with its passphrase', async () => {
    expect(keys.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(keys.userId).toBe('Herald Import <import@example.com>');
    expect(keys.privateKeyArmored).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    expect((await openpgp.readPrivateKey({ armoredKey: keys.privateKeyArmored })).isDecrypted()).toBe(false);
    const info = await inspectPrivateKey(keys.privateKeyArmored, 'correct horse');
    expect(info.fingerprint).toBe(keys.fingerprint);
    expect(info.userId).toBe(keys.userId);
    expect((await openpgp.readKey({ armoredKey: info.publicKeyArmored })).isPrivate()).toBe(false);
  });

  it('bad passphrase and bad key are refused with their codes', async () => {
    await expect(inspectPrivateKey(keys.privateKeyArmored, 'wrong')).rejects.toMatchObject({
      code: 'bad_passphrase',
    });
    await expect(inspectPrivateKey('not a key', 'x')).rejects.toMatchObject({ code: 'bad_key' });
    await expect(inspectPrivateKey(keys.publicKeyArmored, 'x')).rejects.toMatchObject({ code: 'bad_key' });
  });
});

describe('isPgpMessage', () => {
  it('recognises armored and binary messages, not CSV or zip', async () => {
    expect(isPgpMessage((await encryptTo(keys, 'armored')).subarray(0, 64))).toBe(true);
    expect(isPgpMessage(Buffer.from('\uFEFF\r\n-----BEGIN PGP MESSAGE-----\n'))).toBe(true);
    expect(isPgpMessage((await encryptTo(keys, 'binary')).subarray(0, 64))).toBe(true);
    expect(isPgpMessage(Buffer.from('email;name\n'))).toBe(false);
    expect(isPgpMessage(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe(false);
    expect(isPgpMessage(Buffer.from([0x1f, 0x8b, 0x08]))).toBe(false);
    expect(isPgpMessage(Buffer.alloc(0))).toBe(false);
  });
});

describe('decryptFile', () => {
  it.each(['armored', 'binary'] as const)('decrypts a %s message to the exact bytes', async (format) => {
    const inPath = path.join(dir, `ok-${format}.pgp`);
    const out = path.join(dir, `ok-${format}.csv`);
    await writeFile(inPath, await encryptTo(keys, format));
    await decryptFile(inPath, out, key());
    expect((await readFile(out)).equals(PLAIN)).toBe(true);
  });

  it('a message for another key is wrong_key', async () => {
    const { err, out } = await failure(await encryptTo(other, 'binary'), 'wrong-key');
    expect(err).toBeInstanceOf(PgpError);
    expect(err).toMatchObject({ code: 'decrypt_failed', reason: 'wrong_key' });
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('garbage is corrupt', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    const { err, out } = await failure(garbage, 'garbage');
    expect(err).toMatchObject({ code: 'decrypt_failed', reason: 'corrupt' });
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    const armoredJunk = Buffer.from(
      '-----BEGIN PGP MESSAGE-----\n\nbm90IGEgbWVzc2FnZQ==\n-----END PGP MESSAGE-----\n',
    );
    expect((await failure(armoredJunk, 'armored-junk')).err).toMatchObject({ reason: 'corrupt' });
  });

  it('a tampered message fails its integrity check and leaves no output', async () => {
    const msg = await encryptTo(keys, 'binary');
    const tampered = Buffer.from(msg);
    // Flip a byte near the end: plaintext up to there has been streamed out before the MDC check.
    const at = tampered.length - 100;
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    const { err, out } = await failure(tampered, 'tampered');
    expect(err).toMatchObject({ code: 'decrypt_failed', reason: 'corrupt' });
    expect((err as PgpError).detail).toMatch(/Modification detected|mismatch|MDC/i);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('a message without integrity protection (SED, no MDC) is refused as no_integrity', async () => {
    const { err, out } = await failure(await encryptWithoutIntegrity(keys), 'no-mdc');
    expect(err).toMatchObject({ code: 'decrypt_failed', reason: 'no_integrity' });
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('a wrong key passphrase is bad_passphrase', async () => {
    const inPath = path.join(dir, 'pp.pgp');
    await writeFile(inPath, await encryptTo(keys, 'armored'));
    const err = await decryptFile(inPath, path.join(dir, 'pp.out'), {
      privateKeyArmored: keys.privateKeyArmored,
      passphrase: 'nope',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bad_passphrase', reason: 'bad_passphrase' });
    expect((err as Error).message).not.toContain('nope');
  });
});
