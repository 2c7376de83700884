import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque secret (256 bits), URL-safe, with a prefix that says what it is. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as their SHA-256; the secret itself never touches the database. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
