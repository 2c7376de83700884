// Bulk email over SMTP (nodemailer, pooled connections), or the local outbox when no SMTP server is
// set. Unlike Herald's own notification emails (email-transport.ts) these carry the sender profile's
// From / Reply-To and the bulk headers (List-Unsubscribe, …) the caller gives.
import nodemailer from 'nodemailer';
import { classifySmtpError } from './email-transport.ts';

/** One rendered bulk email. */
export interface BulkEmail {
  from: { name: string; address: string };
  replyTo?: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** RFC 5322 Message-ID, with angle brackets; stable per (action, contact) so a resend is recognisable. */
  messageId: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, …). */
  headers: Record<string, string>;
}

/** What the server said when it accepted the message. */
export interface EmailAccepted {
  /** The server's reply line (e.g. "250 2.0.0 Ok: queued as 4F1…"). */
  response: string;
  messageId: string;
}

/**
 * Where an account's bulk email goes. `key` names the transport (one rate bucket per key).
 * `send` throws `EmailSendError` (email-transport.ts): `temporary` for 4xx and connection
 * failures, permanent for 5xx; `responseCode` carries the SMTP reply code when there was one.
 */
export interface EmailChannel {
  readonly kind: 'smtp' | 'outbox';
  readonly key: string;
  send(email: BulkEmail, signal?: AbortSignal): Promise<EmailAccepted>;
  close(): void;
}

/** An SMTP channel with a connection pool (`maxConnections` parallel SMTP sessions). */
export function smtpChannel(url: string, options: { maxConnections?: number } = {}): EmailChannel {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: Infinity,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
  const parsed = new URL(url);
  return {
    kind: 'smtp',
    key: `smtp:${parsed.hostname}:${parsed.port || '25'}:${decodeURIComponent(parsed.username)}`,
    async send(email) {
      try {
        const info = await transporter.sendMail({
          from: { name: email.from.name, address: email.from.address },
          replyTo: email.replyTo ?? undefined,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          messageId: email.messageId,
          headers: email.headers,
        });
        return { response: String(info.response ?? ''), messageId: email.messageId };
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    close: () => transporter.close(),
  };
}

/** No SMTP server: the message is kept (the delivery's result) and shown in the outbox. */
export function outboxChannel(): EmailChannel {
  return {
    kind: 'outbox',
    key: 'outbox',
    send: async (email) => ({ response: 'outboxed', messageId: email.messageId }),
    close: () => undefined,
  };
}
