import { sql } from 'drizzle-orm';
import { isoTime, rows, type Db } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import type { JobSender } from '../../jobs/types.ts';
import { EmailSendError, type EmailTransport } from '../../adapters/email-transport.ts';
import { languageSchema } from '../../../shared/auth.ts';
import type { OutboxEmail } from '../../../shared/notifications.ts';
import { toNotification } from './notifications.repo.ts';
import { renderNotificationEmail } from './notification-email.ts';

/** A temporary failure is tried again this many times, 2 s, 4 s, 8 s … apart (about 34 minutes in all). */
export const EMAIL_RETRY_LIMIT = 10;
const RETRY_BASE_MS = 2_000;
/** A send still 'sending' after this long was interrupted (its process died mid-send). */
const INTERRUPTED_AFTER_MS = 5 * 60_000;
/** A queued send whose job never ran (lost with its process) is queued again after this long. */
const REQUEUE_AFTER_MS = 10 * 60_000;

export type SendOutcome = 'sent' | 'outboxed' | 'failed' | 'retrying' | 'skipped';

/**
 * Copies notifications to the users who opted in. `notify` only writes a 'pending' row in the
 * producer's transaction (so sending never blocks or fails a producer). `dispatch` (every 2 s)
 * queues one job per due row; `send` claims the row, renders it in the user's language and hands
 * it to the transport. The claim keeps a message from going out twice; a temporary failure makes
 * the row due again after an exponential backoff, kept in the row (`next_attempt_at`), so no
 * retry depends on a job that may be lost with its process. Operational times are wall-clock.
 */
export class NotificationMailer {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly transport: EmailTransport,
    private readonly options: { publicUrl: string; from: string },
  ) {}

  /** Queues a send job for every due email, and tidies up sends their process left behind. */
  async dispatch(jobs: JobSender, batch = 500): Promise<number> {
    const now = Date.now();
    await this.db.execute(sql`
      UPDATE notification_emails SET status = 'failed',
        last_error = 'Interrupted while sending; not sent again to avoid a duplicate'
      WHERE status = 'sending' AND claimed_at < ${new Date(now - INTERRUPTED_AFTER_MS).toISOString()}::timestamptz`);
    const due = await rows<{ id: number }>(
      this.db,
      sql`UPDATE notification_emails SET status = 'queued', queued_at = ${new Date(now).toISOString()}::timestamptz
          WHERE id IN (
            SELECT id FROM notification_emails
            WHERE (status IN ('pending', 'retrying') AND next_attempt_at <= ${new Date(now).toISOString()}::timestamptz)
               OR (status = 'queued' AND queued_at < ${new Date(now - REQUEUE_AFTER_MS).toISOString()}::timestamptz)
            ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
          RETURNING id`,
    );
    for (const { id } of due) {
      // If this process dies before the job is sent, the row is queued again after REQUEUE_AFTER_MS.
      await jobs.send('notifications.email', { emailId: Number(id) }, { singletonKey: `email-${id}` });
    }
    return due.length;
  }

  async send(emailId: number): Promise<SendOutcome> {
    const [claimed] = await rows<{ attempts: number }>(
      this.db,
      sql`UPDATE notification_emails SET status = 'sending', attempts = attempts + 1,
            claimed_at = ${new Date().toISOString()}::timestamptz
          WHERE id = ${emailId} AND status IN ('pending', 'queued', 'retrying')
          RETURNING attempts`,
    );
    // Already sent, failed, or being sent by another job: nothing to do.
    if (!claimed) return 'skipped';
    try {
      const email = await this.compose(emailId);
      if (!email) return 'skipped';
      await this.transport.send(email);
    } catch (err) {
      const failure = err instanceof EmailSendError ? err : new EmailSendError(String(err), true);
      const attempts = Number(claimed.attempts);
      const retry = failure.temporary && attempts <= EMAIL_RETRY_LIMIT;
      const due = new Date(Date.now() + RETRY_BASE_MS * 2 ** (attempts - 1));
      await this.db.execute(sql`
        UPDATE notification_emails SET status = ${retry ? 'retrying' : 'failed'},
          last_error = ${failure.message.slice(0, 2000)}, next_attempt_at = ${due.toISOString()}::timestamptz
        WHERE id = ${emailId}`);
      return retry ? 'retrying' : 'failed';
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
            coalesce(u.time_zone, a.time_zone) AS "timeZone",
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
    const rendered = renderNotificationEmail(
      notification,
      language,
      this.options.publicUrl,
      String(row.timeZone),
    );
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
