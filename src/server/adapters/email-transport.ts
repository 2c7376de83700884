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
  const e = err as { responseCode?: number; code?: string; message?: string };
  const message = e.message ?? String(err);
  if (typeof e.responseCode === 'number')
    return new EmailSendError(message, e.responseCode < 500, e.responseCode);
  return new EmailSendError(message, TEMPORARY_CODES.has(e.code ?? '') || !e.code);
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
