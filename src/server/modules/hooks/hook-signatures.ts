// How each caller of a webhook proves who it is: Herald's own scheme for the email event webhook,
// Twilio's and Vonage's for their callbacks. Every comparison is constant-time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { twilioSignature } from '../../adapters/sms-twilio.ts';
import { vonageSignature } from '../../adapters/sms-vonage.ts';

// The providers' own signing rules live with their adapters (they sign what the stub and tests send).
export { twilioSignature, vonageSignature };

/** How far a signed timestamp may be from the server's clock (replays of old requests are refused). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the header a sender of the event webhook sets. */
export function heraldSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Checks `X-Herald-Signature` over the raw body: a well-formed header, a timestamp within
 * SIGNATURE_TOLERANCE_SECONDS of `now`, and one `v1` matching (several are allowed while a secret
 * is being rotated).
 */
export function verifyHeraldSignature(
  secret: string,
  header: string | undefined,
  body: string,
  now: Date,
): boolean {
  if (!header) return false;
  let t: number | null = null;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && value) given.push(value.toLowerCase());
  }
  if (t === null || given.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return given.some((v) => sameText(v, expected));
}

/** Checks `X-Twilio-Signature` (see `twilioSignature`). */
export function verifyTwilioSignature(
  authToken: string,
  header: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!header) return false;
  return sameText(header, twilioSignature(authToken, url, params));
}

/**
 * Checks `sig` (case-insensitive hex) and that the signed `timestamp` (unix seconds) is within
 * SIGNATURE_TOLERANCE_SECONDS of `now`.
 */
export function verifyVonageSignature(
  signatureSecret: string,
  params: Record<string, string>,
  now: Date,
): boolean {
  const sig = params.sig;
  const timestamp = Number(params.timestamp);
  if (!sig || !Number.isFinite(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return sameText(sig.toLowerCase(), vonageSignature(signatureSecret, params));
}

/** Compares a presented bearer secret with the stored one without leaking its length or content. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
