import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { TextDecoderStream, type ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import * as openpgp from 'openpgp';

/** An account's OpenPGP key pair; the private key stays encrypted with its passphrase. */
export interface PgpKeyPair {
  publicKeyArmored: string;
  privateKeyArmored: string;
  /** Upper-case hex, as GnuPG shows it. */
  fingerprint: string;
  userId: string;
}

export type PgpReason = 'wrong_key' | 'corrupt' | 'no_integrity' | 'bad_passphrase' | 'bad_key';

/**
 * A classified OpenPGP failure. `code`: the key could not be read (`bad_key`), its passphrase is
 * wrong (`bad_passphrase`), or the message could not be decrypted (`decrypt_failed`, with the
 * `reason`). `detail` holds openpgp's message, never a key or passphrase.
 */
export class PgpError extends Error {
  override name = 'PgpError';
  constructor(
    readonly code: 'decrypt_failed' | 'bad_key' | 'bad_passphrase',
    readonly reason: PgpReason,
    readonly detail: string,
  ) {
    super(`${code} (${reason}): ${detail}`);
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Generates a curve25519 (ECC) key pair whose private key is encrypted with `passphrase`. The
 * "legacy" curve25519 encoding (EdDSA/ECDH, RFC 4880bis) rather than RFC 9580's X25519, because
 * senders' tools such as GnuPG 2.2 only know that one.
 */
export async function generateKeyPair(opts: {
  name: string;
  email: string;
  passphrase: string;
}): Promise<PgpKeyPair> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: opts.name, email: opts.email }],
    passphrase: opts.passphrase,
    format: 'armored',
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return {
    publicKeyArmored: publicKey,
    privateKeyArmored: privateKey,
    fingerprint: key.getFingerprint().toUpperCase(),
    userId: key.getUserIDs()[0] ?? '',
  };
}

async function unlock(armored: string, passphrase: string): Promise<openpgp.PrivateKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (err) {
    throw new PgpError('bad_key', 'bad_key', `Not an OpenPGP private key: ${messageOf(err)}`);
  }
  if (key.isDecrypted()) return key;
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch (err) {
    const m = messageOf(err);
    if (/passphrase/i.test(m))
      throw new PgpError('bad_passphrase', 'bad_passphrase', 'Incorrect key passphrase.');
    throw new PgpError('bad_key', 'bad_key', m);
  }
}

/** Reads an uploaded private key and checks its passphrase. Throws `PgpError` (`bad_key`, `bad_passphrase`). */
export async function inspectPrivateKey(
  armored: string,
  passphrase: string,
): Promise<{ fingerprint: string; publicKeyArmored: string; userId: string }> {
  const key = await unlock(armored, passphrase);
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    publicKeyArmored: key.toPublic().armor(),
    userId: key.getUserIDs()[0] ?? '',
  };
}

const ARMOR_HEADER = Buffer.from('-----BEGIN PGP MESSAGE');
// Packet tags that can open an encrypted message (RFC 9580 §5): PKESK (1), SKESK (3), SED (9),
// SEIPD (18), and a marker (10) that may precede them.
const MESSAGE_TAGS = new Set([1, 3, 9, 10, 18]);

// Armored files may start with a UTF-8 BOM or blank lines.
function isArmored(head: Buffer): boolean {
  let start = head.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  while (start < head.length && [0x09, 0x0a, 0x0d, 0x20].includes(head[start] ?? 0)) start++;
  return head.subarray(start, start + ARMOR_HEADER.length).equals(ARMOR_HEADER);
}

/** Whether the file's first bytes (1 KiB is plenty) look like an OpenPGP message, armored or binary. */
export function isPgpMessage(head: Buffer): boolean {
  if (isArmored(head)) return true;
  const first = head[0];
  if (first === undefined || (first & 0x80) === 0) return false;
  // New format: 0b11tttttt; old format: 0b10ttttll (RFC 9580 §4.2).
  const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
  return MESSAGE_TAGS.has(tag);
}

function classifyDecrypt(err: unknown): PgpError {
  if (err instanceof PgpError) return err;
  const m = messageOf(err);
  let reason: PgpReason = 'corrupt';
  if (/not authenticated|missing MDC/i.test(m)) reason = 'no_integrity';
  else if (/Session key decryption failed|No (decryption )?key|no matching|decryption key/i.test(m))
    reason = 'wrong_key';
  return new PgpError('decrypt_failed', reason, m);
}

/**
 * Decrypts the OpenPGP message in `inPath` (armored or binary) to `outPath`, streamed: memory stays
 * flat whatever the size. openpgp streams SEIPD v1 plaintext before its integrity check (MDC) is
 * done (`allowUnauthenticatedStream`), and fails at the end on a mismatch: then, as on any
 * failure, the partly written `outPath` is deleted, so a file at `outPath` is always complete and
 * authentic. Messages without integrity protection (SED, tag 9) are refused (`no_integrity`).
 */
export async function decryptFile(
  inPath: string,
  outPath: string,
  key: { privateKeyArmored: string; passphrase: string },
): Promise<void> {
  const privateKey = await unlock(key.privateKeyArmored, key.passphrase);
  const head = Buffer.alloc(1024);
  const fh = await open(inPath, 'r');
  let headLength: number;
  try {
    headLength = (await fh.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await fh.close();
  }
  const armored = isArmored(head.subarray(0, headLength));
  const config = { allowUnauthenticatedStream: true, allowUnauthenticatedMessages: false };
  try {
    const message = armored
      ? await openpgp.readMessage({
          // Bytes decoded by a TextDecoderStream, not a read stream with an encoding: Node's
          // Readable.toWeb sizes queued chunks by byteLength, which a string lacks, so string chunks
          // that arrive while nobody reads (a slow consumer) crash the stream.
          armoredMessage: (
            Readable.toWeb(createReadStream(inPath)) as WebReadableStream<Uint8Array>
          ).pipeThrough(new TextDecoderStream()) as unknown as ReadableStream<string>,
          config,
        })
      : await openpgp.readMessage({
          binaryMessage: Readable.toWeb(createReadStream(inPath)) as ReadableStream<Uint8Array>,
          config,
        });
    const decrypted = await openpgp.decrypt({
      message,
      decryptionKeys: privateKey,
      format: 'binary',
      config,
    });
    const data = decrypted.data as WebReadableStream<Uint8Array>;
    await pipeline(Readable.fromWeb(data), createWriteStream(outPath));
  } catch (err) {
    await rm(outPath, { force: true });
    throw classifyDecrypt(err);
  }
}
