import { sql } from 'drizzle-orm';
import type { Db } from '../../db/types.ts';
import { rows } from '../../db/types.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Clock } from '../../clock.ts';
import { notFound } from '../../errors.ts';
import type { AccessService, AccountAccess } from '../accounts/access.service.ts';
import {
  emailPreferencesSchema,
  type EmailPreferences,
  type Notification,
  type NotificationListQuery,
  type NotificationPage,
  type NotificationSelection,
  type UnreadCounts,
} from '../../../shared/notifications.ts';
import * as repo from './notifications.repo.ts';
import { publish } from './notifier.repo.ts';
import { retryOnConflict } from '../../db/pg-errors.ts';
import type { Queryable } from '../../db/types.ts';
import type { BulkTypeRegistry } from '../../engine/registry.ts';
import { withReaderActionNames } from './notification-action-names.ts';

const strip = ({ seq: _seq, ...n }: Notification & { seq: number }): Notification => n;

/** The reader's side: one user's notifications, read state, counts and email preferences. */
export class NotificationsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly bulkTypes: BulkTypeRegistry,
  ) {}

  /** Notifications as this user reads them (see `withReaderActionNames`). */
  private asRead<N extends Notification>(q: Queryable, userId: number, found: N[]): Promise<N[]> {
    return withReaderActionNames(q, this.bulkTypes, found, () => repo.readerLanguage(q, userId));
  }

  async list(actor: AccountAccess, userId: number, query: NotificationListQuery): Promise<NotificationPage> {
    const { page, more } = await withTenant(this.db, actor.accountId, async (tx) => {
      const found = await repo.listForUser(tx, actor.accountId, userId, query);
      const shown = found.slice(0, query.limit).map(repo.toNotification);
      return { page: await this.asRead(tx, userId, shown), more: found.length > query.limit };
    });
    return { items: page.map(strip), nextCursor: more ? String(page.at(-1)!.seq) : null };
  }

  async get(actor: AccountAccess, userId: number, notificationId: number): Promise<Notification> {
    const found = await withTenant(this.db, actor.accountId, async (tx) => {
      const row = await repo.findForUser(tx, actor.accountId, userId, notificationId);
      return row ? (await this.asRead(tx, userId, [repo.toNotification(row)]))[0] : undefined;
    });
    if (!found) throw notFound('Notification');
    return strip(found);
  }

  /**
   * The badge's read, on every page: one primary-key lookup by (user, account), both already
   * checked by the route, so it skips the tenant transaction (four round trips for one row).
   */
  async unread(actor: AccountAccess, userId: number): Promise<number> {
    return repo.unreadIn(this.db, actor.accountId, userId);
  }

  // Mark and delete lock one user's rows in index order ("all": newest first, ids: by id), so two
  // of them at once (two tabs) can deadlock; PostgreSQL aborts one, and it simply runs again.
  async mark(actor: AccountAccess, userId: number, selection: NotificationSelection, read: boolean) {
    return retryOnConflict(() =>
      withTenant(this.db, actor.accountId, async (tx) => {
        const result = await repo.markRead(tx, actor.accountId, userId, selection, read, this.clock.now());
        if (result.changed > 0) await publish(tx, { userId });
        return result;
      }),
    );
  }

  async remove(actor: AccountAccess, userId: number, selection: NotificationSelection) {
    return retryOnConflict(() =>
      withTenant(this.db, actor.accountId, async (tx) => {
        const result = await repo.deleteForUser(tx, actor.accountId, userId, selection);
        if (result.changed > 0) await publish(tx, { userId });
        return result;
      }),
    );
  }

  /** Accounts where the user holds notifications.view now: the only ones whose messages they see. */
  async readableAccounts(userId: number): Promise<number[]> {
    const accounts = await this.access.myAccounts(userId);
    return accounts.filter((a) => a.rights.includes('notifications.view')).map((a) => Number(a.id));
  }

  /** Unread counts for the avatar badge (total) and the account switcher (per account). */
  async unreadCounts(userId: number): Promise<UnreadCounts> {
    const readable = await this.readableAccounts(userId);
    const counters = await repo.unreadByAccount(this.db, userId);
    const accounts: Record<string, number> = {};
    let total = 0;
    for (const id of readable) {
      const n = counters.get(id) ?? 0;
      accounts[String(id)] = n;
      total += n;
    }
    return { total, accounts };
  }

  /**
   * Deliveries after `afterSeq` in the user's readable accounts, oldest first, with their numbers,
   * as the user reads them.
   */
  async deliveredAfter(userId: number, accountIds: readonly number[], afterSeq: number, limit: number) {
    const found = await repo.listDeliveredAfter(this.db, userId, accountIds, afterSeq, limit);
    return this.asRead(this.db, userId, found.map(repo.toNotification));
  }

  latestSeq(): Promise<number> {
    return repo.latestSeq(this.db);
  }

  async emailPreferences(userId: number): Promise<EmailPreferences> {
    const [row] = await rows<{ enabled: boolean; modes: unknown }>(
      this.db,
      sql`SELECT email_system_messages AS enabled, notification_email_modes AS modes FROM users WHERE id = ${userId}`,
    );
    if (!row) throw notFound('User');
    const modes: unknown = typeof row.modes === 'string' ? JSON.parse(row.modes) : row.modes;
    return emailPreferencesSchema.parse({ enabled: row.enabled, modes });
  }

  /** One statement: concurrent saves of different types both land (jsonb merge in the database). */
  async updateEmailPreferences(userId: number, patch: Partial<EmailPreferences>): Promise<EmailPreferences> {
    await this.db.execute(sql`
      UPDATE users SET email_system_messages = coalesce(${patch.enabled ?? null}::boolean, email_system_messages),
        notification_email_modes = notification_email_modes || ${JSON.stringify(patch.modes ?? {})}::jsonb,
        updated_at = ${this.clock.now().toISOString()}::timestamptz
      WHERE id = ${userId}`);
    return this.emailPreferences(userId);
  }
}
