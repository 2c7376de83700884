// The channels without per-account sender settings: every account's email goes to the platform's
// SMTP server (`SMTP_URL`, one pooled transport) or the local outbox; no SMS; no rate limit.
// The sender settings (modules/senders) replace this with per-account channels and shared buckets.
import { outboxChannel, smtpChannel, type EmailChannel } from '../../adapters/email-channel.ts';
import type { MessagingChannels } from '../senders/channels.ts';

export function platformChannels(smtpUrl: string | undefined): MessagingChannels {
  let email: EmailChannel | undefined;
  return {
    email: async () => (email ??= smtpUrl ? smtpChannel(smtpUrl, { maxConnections: 8 }) : outboxChannel()),
    sms: async () => null,
    acquire: async () => undefined,
    close: () => email?.close(),
  };
}
