import type { NotificationType, Severity } from '../../../shared/notifications.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';

/** The base of every notification call of one account. */
export function notificationsApiPath(accountId: string): string {
  return `${accountApiPath(accountId)}/notifications`;
}

/** The user's own stream across all their accounts (server-sent events). */
export const NOTIFICATION_EVENTS_PATH = '/api/me/notifications/events';

/** What the list shows, in the shape of the list call's query. */
export interface NotificationListParams {
  unread: boolean;
  type: readonly NotificationType[];
  severity: readonly Severity[];
}

/**
 * Query keys. An account's notifications (lists and details) sit under one key, so a live event
 * or a change refreshes them together; the unread counts belong to the user, across accounts.
 */
export const notificationKeys = {
  unreadCounts: ['unread-counts'] as const,
  all: (accountId: string) => ['accounts', accountId, 'notifications'] as const,
  lists: (accountId: string) => [...notificationKeys.all(accountId), 'list'] as const,
  list: (accountId: string, params: NotificationListParams) =>
    [...notificationKeys.lists(accountId), params] as const,
  detail: (accountId: string, notificationId: string) =>
    [...notificationKeys.all(accountId), 'detail', notificationId] as const,
};
