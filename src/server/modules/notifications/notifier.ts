import type { Queryable } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import { ROLES } from '../../../shared/rights.ts';
import {
  notificationParamSchemas,
  severityOf,
  subjectSchema,
  type NotificationEvent,
} from '../../../shared/notifications.ts';
import { AppError } from '../../errors.ts';
import {
  addOccurrence,
  findOpenGroup,
  incrementUnread,
  insertCopies,
  insertNotification,
  lockCopies,
  lockDeliveries,
  publish,
} from './notifier.repo.ts';
import { queueEmailCopies } from './notification-email.repo.ts';

export { DELIVERY_LOCK_KEY, NOTIFICATION_CHANNEL, publish, type HubMessage } from './notifier.repo.ts';

/** Roles whose holders receive notifications: derived from the rights table, never listed twice. */
const RECIPIENT_ROLES = `{${Object.entries(ROLES)
  .filter(([, rights]) => (rights as readonly string[]).includes('notifications.view'))
  .map(([role]) => role)
  .join(',')}}`;

export interface NotifyResult {
  notificationId: number;
  /** False when the event was folded into an earlier one with the same grouping key. */
  created: boolean;
  recipients: number;
}

/**
 * Producers' one entry point: `notify(tx, accountId, event)` inside the producer's own transaction,
 * so the notification exists exactly when its cause committed. Call it last in the transaction: it
 * takes the delivery lock, which is held until commit.
 */
export class Notifier {
  constructor(
    private readonly clock: Clock,
    private readonly groupWindowMs: number,
  ) {}

  async notify(q: Queryable, accountId: number, event: NotificationEvent): Promise<NotifyResult> {
    const params = notificationParamSchemas[event.type].safeParse(event.params);
    if (!params.success) {
      // A producer bug, not user input: fail the producer's transaction loudly.
      throw new AppError('INTERNAL', `Invalid parameters for notification '${event.type}'`, {
        issues: params.error.issues,
      });
    }
    const subject = subjectSchema.parse(event.subject);
    const severity = severityOf(event);
    const now = this.clock.now().toISOString();
    await lockDeliveries(q);

    const content = { severity, params: params.data, subject };
    const since = new Date(Date.parse(now) - this.groupWindowMs).toISOString();
    const grouped = event.groupKey ? await findOpenGroup(q, accountId, event, since) : null;
    let notificationId: number;
    if (grouped) {
      notificationId = grouped;
      await addOccurrence(q, notificationId, content, now);
    } else {
      notificationId = await insertNotification(q, accountId, event, content, now);
    }

    const recipients = await this.deliver(q, accountId, notificationId, now, grouped !== null);
    // Email copies go into the delivery outbox, in this same transaction.
    await queueEmailCopies(q, accountId, notificationId, event.type, severity, now);
    await publish(q, { accountId });
    return { notificationId, created: grouped === null, recipients };
  }

  /**
   * Gives the notification to everyone who holds notifications.view in the account now, and counts
   * it as unread for them. A repeat brings it back as unread for those who read or deleted it.
   */
  private async deliver(
    q: Queryable,
    accountId: number,
    notificationId: number,
    now: string,
    repeat: boolean,
  ): Promise<number> {
    // Lock existing copies first, so a concurrent "mark read" cannot slip between reading their
    // state and changing it (the counter would drift).
    const alreadyUnread = repeat ? await lockCopies(q, notificationId) : new Set<number>();
    const delivered = await insertCopies(q, accountId, notificationId, RECIPIENT_ROLES, now);
    // Sorted, so concurrent fan-outs lock counter rows in the same order (no deadlock).
    const newlyUnread = delivered.filter((id) => !alreadyUnread.has(id)).sort((a, b) => a - b);
    await incrementUnread(q, accountId, newlyUnread);
    return delivered.length;
  }
}
