// The unsubscribe link every bulk email carries (footer and List-Unsubscribe, RFC 8058): a signed,
// expiring token naming the account, contact, channel and ledger row. The routes behind `/u/<token>`
// verify it; a forged or expired token changes nothing.
import type { SecretBox } from '../../security/secret-box.ts';
import { signLink, verifyLink, type LinkRefusal } from '../../security/signed-links.ts';
import type { Channel } from '../../../shared/messaging.ts';

/** Signing purpose of unsubscribe tokens (a token signed for another purpose is refused). */
export const UNSUBSCRIBE_PURPOSE = 'unsubscribe';
/** How long an unsubscribe link works: long after the campaign, as recipients read old mail. */
export const UNSUBSCRIBE_LINK_DAYS = 365;

/** Whom an unsubscribe link is for. `messageId`: the ledger row (`messages.id`) it was sent with. */
export interface UnsubscribeTarget {
  accountId: number;
  contactId: number;
  channel: Channel;
  messageId: number | null;
}

/** The public URL `<publicUrl>/u/<token>` for `target`, valid UNSUBSCRIBE_LINK_DAYS from `now`. */
export function unsubscribeUrl(
  box: SecretBox,
  publicUrl: string,
  target: UnsubscribeTarget,
  now: Date,
): string {
  const token = signLink(
    box,
    UNSUBSCRIBE_PURPOSE,
    { a: target.accountId, c: target.contactId, ch: target.channel, m: target.messageId },
    new Date(now.getTime() + UNSUBSCRIBE_LINK_DAYS * 86_400_000),
  );
  return `${publicUrl.replace(/\/$/, '')}/u/${token}`;
}

/** The target of an unsubscribe token, or why it is refused. */
export function readUnsubscribeToken(
  box: SecretBox,
  token: string,
  now: Date,
): { ok: true; target: UnsubscribeTarget } | { ok: false; refusal: LinkRefusal } {
  const verified = verifyLink(box, UNSUBSCRIBE_PURPOSE, token, now);
  if (!verified.ok) return verified;
  const { a, c, ch, m } = verified.payload;
  if (typeof a !== 'number' || typeof c !== 'number' || (ch !== 'email' && ch !== 'sms')) {
    return { ok: false, refusal: 'malformed' };
  }
  return {
    ok: true,
    target: { accountId: a, contactId: c, channel: ch, messageId: typeof m === 'number' ? m : null },
  };
}
