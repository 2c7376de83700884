import { z } from 'zod';
import { isoTime, type Db } from '../../db/types.ts';
import { EmailSendError, type EmailTransport } from '../../adapters/email-transport.ts';
import { languageSchema } from '../../../shared/auth.ts';
import type { OutboxEmail } from '../../../shared/notifications.ts';
import type { DeliveryKind, SendOutcome } from '../../engine/delivery/delivery-kinds.ts';
import { toNotification } from './notifications.repo.ts';
import { renderNotificationEmail } from './notification-email.ts';
import { findEmailToCompose, listOutbox, NOTIFICATION_EMAIL_KIND } from './notification-email.repo.ts';
import { withReaderActionNames } from './notification-action-names.ts';
import type { BulkTypeRegistry } from '../../engine/registry.ts';

/** A temporary failure is tried again this many times, 2 s, 4 s, 8 s … apart (about 34 minutes in all). */
export const EMAIL_RETRY_LIMIT = 10;

const emailSubject = z.object({
  notificationId: z.coerce.number().int().positive(),
  userId: z.coerce.number().int().positive(),
});

/** What the outbox keeps of a sent email (the delivery's `result`). */
interface ComposedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/**
 * Copies notifications to the users who opted in, as the delivery kind 'notification_email': `notify`
 * writes the delivery in the producer's transaction (so sending never blocks or fails a producer),
 * the delivery dispatcher sends it. Each send renders the email from the notification's current
 * state in the user's language and hands it to the transport. A 4xx or connection failure is
 * retried with backoff; a 5xx fails with the server's words; a send whose process died mid-call is
 * not sent again (SMTP may have accepted it).
 */
export class NotificationMailer {
  readonly kind: DeliveryKind<typeof emailSubject>;

  constructor(
    private readonly db: Db,
    private readonly transport: EmailTransport,
    private readonly options: { publicUrl: string; from: string },
    /** The bulk types, to name the actions a notification refers to in the reader's language. */
    private readonly bulkTypes: BulkTypeRegistry,
  ) {
    this.kind = {
      name: NOTIFICATION_EMAIL_KIND,
      subject: emailSubject,
      send: (subject) => this.send(subject.notificationId, subject.userId),
      retry: { limit: EMAIL_RETRY_LIMIT, baseMs: 2_000 },
      // Above the SMTP transport's own timeouts (20 s connect, 60 s socket).
      timeoutMs: 120_000,
      onExpiredLease: 'fail',
    };
  }

  private async send(notificationId: number, userId: number): Promise<SendOutcome> {
    const email = await this.compose(notificationId, userId);
    // Deleted since (retention, or the user): nothing to send.
    if (!email)
      return { status: 'failed', reason: 'gone', error: 'The notification or its recipient is gone' };
    try {
      await this.transport.send({ ...email, from: this.options.from, language: email.language });
    } catch (err) {
      const failure = err instanceof EmailSendError ? err : new EmailSendError(String(err), true);
      const result = withoutLanguage(email);
      return failure.temporary
        ? { status: 'retry', error: failure.message, result }
        : { status: 'failed', reason: 'rejected', error: failure.message, result };
    }
    return { status: 'sent', outboxed: this.transport.kind === 'outbox', result: withoutLanguage(email) };
  }

  /** Renders the email from the notification's current state, in the reader's language and zone. */
  private async compose(notificationId: number, userId: number) {
    const row = await findEmailToCompose(this.db, notificationId, userId);
    if (!row) return undefined;
    const language = languageSchema.catch('en').parse(row.language ?? 'en');
    const [notification] = await withReaderActionNames(
      this.db,
      this.bulkTypes,
      [toNotification(row as unknown as Parameters<typeof toNotification>[0])],
      language,
    );
    const rendered = renderNotificationEmail(
      notification!,
      language,
      this.options.publicUrl,
      String(row.timeZone),
    );
    const host = new URL(this.options.publicUrl).hostname || 'herald.local';
    const messageId = `<notification-${notificationId}-user-${userId}@${host}>`;
    return { ...rendered, to: String(row.to), messageId, language };
  }

  /** The caller's own system-message emails, newest first: the outbox page. */
  async outbox(userId: number, limit = 100): Promise<OutboxEmail[]> {
    const found = await listOutbox(this.db, userId, limit);
    return found.map((r) => {
      const raw = typeof r.result === 'string' ? (JSON.parse(r.result) as unknown) : r.result;
      const email = (raw ?? {}) as Partial<ComposedEmail>;
      const status = String(r.status);
      const attempts = Number(r.attempts);
      return {
        id: String(r.id),
        notificationId: String(r.notificationId),
        to: email.to ?? '',
        subject: email.subject ?? null,
        text: email.text ?? null,
        html: email.html ?? null,
        status: outboxStatus(status, attempts),
        attempts,
        lastError: (r.lastError as string | null) ?? null,
        createdAt: isoTime(r.createdAt as string),
        sentAt:
          r.finishedAt && (status === 'sent' || status === 'outboxed')
            ? isoTime(r.finishedAt as string)
            : null,
      };
    });
  }
}

const withoutLanguage = ({ to, subject, text, html, messageId }: ComposedEmail): ComposedEmail => ({
  to,
  subject,
  text,
  html,
  messageId,
});

/** The outbox page's words for a delivery's state: a pending row that was tried already is retrying. */
function outboxStatus(status: string, attempts: number): OutboxEmail['status'] {
  if (status === 'pending') return attempts > 0 ? 'retrying' : 'pending';
  if (status === 'cancelled') return 'failed';
  return status as OutboxEmail['status'];
}
