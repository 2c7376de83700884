// The links of open and click tracking: `<publicUrl>/t/o/<token>` (the open pixel) and
// `<publicUrl>/t/c/<token>` (a redirected link). Tokens are signed (security/signed-links.ts) with a
// purpose of their own, so neither an unsubscribe token nor one of the other kind is accepted. The
// open token names the account and ledger row (`messages.id`); the click token also the target URL,
// so only URLs Herald itself signed ever redirect (no open redirect).
import type { SecretBox } from '../../security/secret-box.ts';
import { signLink, verifyLink, type LinkRefusal } from '../../security/signed-links.ts';
import { rewriteLinks } from './link-rewriter.ts';

/** Signing purposes (a token signed for any other purpose is refused). */
export const OPEN_PURPOSE = 'tracking-open';
export const CLICK_PURPOSE = 'tracking-click';
/** How long tracking links work: recipients open and click old mail. */
export const TRACKING_LINK_DAYS = 730;

/**
 * The longest token a link gets (the app's route parameters take up to 4,096 characters): a link
 * whose token would be longer (a very long URL, non-ASCII text) is left untracked.
 */
export const MAX_TOKEN_LENGTH = 4000;

/** The message a tracking link belongs to: the account and the ledger row (`messages.id`). */
export interface TrackedMessage {
  accountId: number;
  messageId: number;
}

/** What a click token names: the message and the link's target URL. */
export interface TrackedClick extends TrackedMessage {
  url: string;
}

const base = (publicUrl: string) => publicUrl.replace(/\/$/, '');
const expiry = (now: Date) => new Date(now.getTime() + TRACKING_LINK_DAYS * 86_400_000);

/** The open pixel's URL for `message`, valid TRACKING_LINK_DAYS from `now`. */
export function openUrl(box: SecretBox, publicUrl: string, message: TrackedMessage, now: Date): string {
  const token = signLink(box, OPEN_PURPOSE, { a: message.accountId, m: message.messageId }, expiry(now));
  return `${base(publicUrl)}/t/o/${token}`;
}

/** The redirecting URL of `click.url` in `click`'s message, valid TRACKING_LINK_DAYS from `now`. */
export function clickUrl(box: SecretBox, publicUrl: string, click: TrackedClick, now: Date): string {
  const token = signLink(
    box,
    CLICK_PURPOSE,
    { a: click.accountId, m: click.messageId, u: click.url },
    expiry(now),
  );
  return `${base(publicUrl)}/t/c/${token}`;
}

type Read<T> = { ok: true; target: T } | { ok: false; refusal: LinkRefusal };

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** The message of an open token, or why it is refused (forged, malformed, expired). */
export function readOpenToken(box: SecretBox, token: string, now: Date): Read<TrackedMessage> {
  const verified = verifyLink(box, OPEN_PURPOSE, token, now);
  if (!verified.ok) return verified;
  const { a, m } = verified.payload;
  if (!isId(a) || !isId(m)) return { ok: false, refusal: 'malformed' };
  return { ok: true, target: { accountId: a, messageId: m } };
}

/** The message and target URL of a click token, or why it is refused. */
export function readClickToken(box: SecretBox, token: string, now: Date): Read<TrackedClick> {
  const verified = verifyLink(box, CLICK_PURPOSE, token, now);
  if (!verified.ok) return verified;
  const { a, m, u } = verified.payload;
  if (!isId(a) || !isId(m) || typeof u !== 'string' || !/^https?:\/\//i.test(u)) {
    return { ok: false, refusal: 'malformed' };
  }
  return { ok: true, target: { accountId: a, messageId: m, url: u } };
}

/**
 * A tracked email's HTML (called at send time for actions with `params.tracking`): every http(s)
 * link except `unsubscribeUrl` and links marked `data-no-track` redirects through `/t/c/<token>`,
 * and the open pixel `/t/o/<token>` goes before `</body>`. The text part is not rewritten: clicks
 * in plain-text mail are not tracked.
 */
export function trackEmailHtml(
  box: SecretBox,
  publicUrl: string,
  message: TrackedMessage & { unsubscribeUrl: string },
  html: string,
  now: Date,
): string {
  const target = { accountId: message.accountId, messageId: message.messageId };
  // A link repeated in the message (logo and button) is signed once.
  const signed = new Map<string, string | null>();
  const track = (url: string) => {
    if (url === message.unsubscribeUrl) return null;
    let tracked = signed.get(url);
    if (tracked === undefined) {
      const signedUrl = clickUrl(box, publicUrl, { ...target, url }, now);
      tracked = signedUrl.length - signedUrl.lastIndexOf('/') - 1 > MAX_TOKEN_LENGTH ? null : signedUrl;
      signed.set(url, tracked);
    }
    return tracked;
  };
  return rewriteLinks(html, { track, pixelUrl: openUrl(box, publicUrl, target, now) });
}
