// Links Herald puts into messages (unsubscribe; later tracking) carry their own signed, expiring
// payload, so a click needs no session and a forged or altered link changes nothing.
import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from './secret-box.ts';

/**
 * A token `<payload>.<mac>`: the payload is base64url JSON with `exp` (epoch seconds) added, the
 * mac an HMAC-SHA256 of it under the purpose's key (`SecretBox.mac`).
 */
export function signLink(
  box: SecretBox,
  purpose: string,
  payload: Record<string, unknown>,
  expiresAt: Date,
): string {
  const body = Buffer.from(
    JSON.stringify({ ...payload, exp: Math.floor(expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  return `${body}.${box.mac(purpose, body)}`;
}

/** Why a link token was refused. */
export type LinkRefusal = 'malformed' | 'forged' | 'expired';

/**
 * The payload of a token signed for `purpose`, or why it is refused: `malformed` (not a token),
 * `forged` (the mac does not match: altered, or signed for another purpose or secret), `expired`.
 */
export function verifyLink(
  box: SecretBox,
  purpose: string,
  token: string,
  now: Date,
): { ok: true; payload: Record<string, unknown> } | { ok: false; refusal: LinkRefusal } {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(mac)) {
    return { ok: false, refusal: 'malformed' };
  }
  const expected = Buffer.from(box.mac(purpose, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, refusal: 'forged' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, refusal: 'malformed' };
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    typeof (payload as { exp?: unknown }).exp !== 'number'
  ) {
    return { ok: false, refusal: 'malformed' };
  }
  if ((payload as { exp: number }).exp * 1000 <= now.getTime()) return { ok: false, refusal: 'expired' };
  return { ok: true, payload: payload as Record<string, unknown> };
}
