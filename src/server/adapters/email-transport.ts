import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per logical message, so a receiving system can tell a repeat from a new message. */
  messageId: string;
  language: string;
}

/** Where Herald's own emails go: an SMTP server, or (embedded default) the local outbox. */
export interface EmailTransport {
  readonly kind: 'smtp' | 'outbox';
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** Why a send failed, and whether trying again later can help. */
export class EmailSendError extends Error {
  override name = 'EmailSendError';
  constructor(
    message: string,
    readonly temporary: boolean,
    /** The SMTP reply code (RFC 5321), when the server answered one. */
    readonly responseCode?: number,
    /** The SMTP command the server refused (nodemailer's `command`: 'RCPT TO', 'DATA', 'MAIL FROM', 'AUTH PLAIN', …). */
    readonly command?: string,
  ) {
    super(message);
  }
}

// Connection-level failures: the server may be back later.
const TEMPORARY_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNREFUSED',
  'ECONNRESET',
  'EDNS',
]);

/** SMTP replies 4xx are temporary by definition (RFC 5321); 5xx are permanent. */
export function classifySmtpError(err: unknown): EmailSendError {
  const e = err as { responseCode?: number; code?: string; message?: string; command?: string };
  const message = e.message ?? String(err);
  if (typeof e.responseCode === 'number')
    return new EmailSendError(message, e.responseCode < 500, e.responseCode, e.command);
  return new EmailSendError(message, TEMPORARY_CODES.has(e.code ?? '') || !e.code, undefined, e.command);
}

/**
 * Whether a permanent SMTP refusal says the recipient's address cannot receive mail (a hard bounce),
 * rather than that the server refused the sender, the login, the size or the content — which says
 * nothing about the address and must not mark it undeliverable. By the enhanced status code
 * (RFC 3463: 5.1.x bad destination address, 5.2.1 mailbox disabled), else by a 550/551/553 refusal
 * of RCPT TO without one.
 */
export function isRecipientRefusal(err: EmailSendError): boolean {
  if (err.temporary) return false;
  const enhanced = /\b5\.(\d{1,3})\.(\d{1,3})\b/.exec(err.message);
  if (enhanced) return enhanced[1] === '1' || (enhanced[1] === '2' && enhanced[2] === '1');
  return err.command === 'RCPT TO' && [550, 551, 553].includes(err.responseCode ?? 0);
}

export function smtpTransport(url: string): EmailTransport {
  // Timeouts well below the send job's time limit (180 s): a hanging server is a temporary failure
  // recorded by the mailer, not a job that expires with nobody to record it.
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    async send(email) {
      try {
        await transporter.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: email.messageId,
          headers: { 'Content-Language': email.language, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    close: () => transporter.close(),
  };
}

/** No SMTP configured: the rendered message stays in the database, shown under "Outbox" in the UI. */
export function outboxTransport(): EmailTransport {
  return { kind: 'outbox', send: async () => undefined, close: () => undefined };
}
