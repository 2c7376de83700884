import { sql } from 'drizzle-orm';
import { isoTime, rows, type Db } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import type { JobSender } from '../bulk-actions/bulk-actions.service.ts';
import { EmailSendError, type EmailTransport } from '../../adapters/email-transport.ts';
import { languageSchema } from '../../../shared/auth.ts';
import type { OutboxEmail } from '../../../shared/notifications.ts';
import { toNotification } from './notifications.repo.ts';
import { renderNotificationEmail } from './notification-email.ts';

/** pg-boss retries a temporary failure this many times, with exponential backoff (see the job catalog). */
export const EMAIL_RETRY_LIMIT = 10;
/** A send still marked 'sending' after this long was interrupted (its process died). */
const INTERRUPTED_AFTER_MS = 5 * 60_000;

export type SendOutcome = 'sent' | 'outboxed' | 'failed' | 'skipped';

/**
 * Copies notifications to the users who opted in. `notify` only writes a 'pending' row in the
 * producer's transaction (so sending never blocks or fails a producer); `dispatch` turns pending
 * rows into one job each, and `send` claims the row, renders it in the user's language and hands
 * it to the transport. The claim is what keeps a message from going out twice.
 */
export class NotificationMailer {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly transport: EmailTransport,
    private readonly options: { publicUrl: string; from: string },
  ) {}

  /** Queues a send job for every pending email. Safe to repeat: a job for a claimed row does nothing. */
  async dispatch(jobs: JobSender, batch = 500): Promise<number> {
    const pending = await rows<{ id: number }>(
      this.db,
      sql`SELECT id FROM notification_emails WHERE status = 'pending' ORDER BY id LIMIT ${batch}`,
    );
    for (const { id } of pending) {
      await jobs.send('notifications.email', { emailId: Number(id) }, { singletonKey: `email-${id}` });
    }
    if (pending.length > 0) {
      await this.db.execute(sql`
        UPDATE notification_emails SET status = 'queued'
        WHERE id = ANY(${`{${pending.map((p) => p.id).join(',')}}`}::bigint[]) AND status = 'pending'`);
    }
    return pending.length;
  }

  async send(emailId: number): Promise<SendOutcome> {
    const now = this.clock.now();
    const [claimed] = await rows<{ attempts: number }>(
      this.db,
      sql`UPDATE notification_emails SET status = 'sending', attempts = attempts + 1, claimed_at = ${now.toISOString()}::timestamptz
          WHERE id = ${emailId} AND status IN ('pending', 'queued', 'retrying')
          RETURNING attempts`,
    );
    if (!claimed) {
      // Already sent or failed, or claimed by a process that died mid-send: SMTP may have accepted
      // the message, so it is not sent again; the outbox shows why.
      await this.db.execute(sql`
        UPDATE notification_emails SET status = 'failed',
          last_error = 'Interrupted while sending; not sent again to avoid a duplicate'
        WHERE id = ${emailId} AND status = 'sending'
          AND claimed_at < ${new Date(now.getTime() - INTERRUPTED_AFTER_MS).toISOString()}::timestamptz`);
      return 'skipped';
    }
    try {
      const email = await this.compose(emailId);
      if (!email) return 'skipped';
      await this.transport.send(email);
    } catch (err) {
      const failure = err instanceof EmailSendError ? err : new EmailSendError(String(err), true);
      const retry = failure.temporary && Number(claimed.attempts) <= EMAIL_RETRY_LIMIT;
      await this.db.execute(sql`
        UPDATE notification_emails SET status = ${retry ? 'retrying' : 'failed'}, last_error = ${failure.message.slice(0, 2000)}
        WHERE id = ${emailId}`);
      if (retry) throw failure; // pg-boss runs the job again after its backoff
      return 'failed';
    }
    const outcome = this.transport.kind === 'outbox' ? 'outboxed' : 'sent';
    await this.db.execute(sql`
      UPDATE notification_emails SET status = ${outcome}, sent_at = ${this.clock.now().toISOString()}::timestamptz, last_error = NULL
      WHERE id = ${emailId}`);
    return outcome;
  }

  /** Renders the email from the notification's current state and stores what is sent (for the outbox). */
  private async compose(emailId: number) {
    const [row] = await rows<Record<string, unknown>>(
      this.db,
      sql`SELECT e.user_id AS "userId", e.notification_id AS "notificationId", u.email AS "to", u.language,
            n.id, n.account_id AS "accountId", a.name AS "accountName", n.type, n.severity, n.params,
            n.subject_kind AS "subjectKind", n.subject_id AS "subjectId", n.occurrences,
            n.first_at AS "firstAt", n.last_at AS "lastAt", false AS read, 0 AS seq
          FROM notification_emails e
          JOIN users u ON u.id = e.user_id
          JOIN notifications n ON n.id = e.notification_id
          JOIN accounts a ON a.id = n.account_id
          WHERE e.id = ${emailId}`,
    );
    if (!row) return undefined;
    const language = languageSchema.catch('en').parse(row.language ?? 'en');
    const notification = toNotification(row as unknown as Parameters<typeof toNotification>[0]);
    const rendered = renderNotificationEmail(notification, language, this.options.publicUrl);
    const host = new URL(this.options.publicUrl).hostname || 'herald.local';
    const messageId = `<notification-${Number(row.notificationId)}-user-${Number(row.userId)}@${host}>`;
    await this.db.execute(sql`
      UPDATE notification_emails SET to_address = ${String(row.to)}, subject = ${rendered.subject},
        text_body = ${rendered.text}, html_body = ${rendered.html}, message_id = ${messageId}
      WHERE id = ${emailId}`);
    return { ...rendered, from: this.options.from, to: String(row.to), messageId, language };
  }

  /** The caller's own system-message emails, newest first: the outbox page. */
  async outbox(userId: number, limit = 100): Promise<OutboxEmail[]> {
    const found = await rows<Record<string, unknown>>(
      this.db,
      sql`SELECT id, notification_id AS "notificationId", coalesce(to_address, '') AS "to", subject, text_body AS text,
            html_body AS html, status, attempts, last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"
          FROM notification_emails WHERE user_id = ${userId} ORDER BY id DESC LIMIT ${limit}`,
    );
    return found.map((r) => ({
      id: String(r.id),
      notificationId: String(r.notificationId),
      to: String(r.to),
      subject: (r.subject as string | null) ?? null,
      text: (r.text as string | null) ?? null,
      html: (r.html as string | null) ?? null,
      status: r.status as OutboxEmail['status'],
      attempts: Number(r.attempts),
      lastError: (r.lastError as string | null) ?? null,
      createdAt: isoTime(r.createdAt as string),
      sentAt: r.sentAt ? isoTime(r.sentAt as string) : null,
    }));
  }
}
