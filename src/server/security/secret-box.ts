import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * Encrypts secrets stored at rest (FTP passwords, SMS provider keys) with AES-256-GCM under a key
 * derived from HERALD_SECRET. Output: `v1.<iv>.<tag>.<ciphertext>` in base64url.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly macKey: Buffer;
  constructor(secret: string) {
    this.key = createHash('sha256').update(`herald-secret-box:${secret}`).digest();
    this.macKey = createHash('sha256').update(`herald-mac:${secret}`).digest();
  }
  /** HMAC-SHA256 of `data` under a key for `purpose` (links Herald signs: unsubscribe, tracking), base64url. */
  mac(purpose: string, data: string): string {
    return createHmac('sha256', this.macKey).update(`${purpose}\n${data}`).digest('base64url');
  }
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
      .join('.');
  }
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/**
 * The configured HERALD_SECRET, or in embedded mode a key generated on first start and kept in the
 * data folder (mode 0600) so that restarts can still read what was sealed.
 */
export async function resolveSecret(config: Config): Promise<string> {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret.key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
