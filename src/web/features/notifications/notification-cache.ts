import type { QueryClient } from '@tanstack/react-query';
import type { UnreadCounts } from '../../../shared/notifications.ts';
import { notificationKeys } from './notifications-api.ts';

/** Puts an account's new unread count (from a mark or delete answer) into the user's counts. */
export function storeAccountUnread(queryClient: QueryClient, accountId: string, unread: number): void {
  queryClient.setQueryData<UnreadCounts>(notificationKeys.unreadCounts, (counts) => {
    if (!counts) return counts;
    const accounts = { ...counts.accounts, [accountId]: unread };
    return { accounts, total: Object.values(accounts).reduce((sum, n) => sum + n, 0) };
  });
}

/**
 * Stores counts from the live stream. Accounts whose count changed had notifications read,
 * deleted or added (maybe in another tab): their lists are fetched again.
 */
export function storeUnreadCounts(queryClient: QueryClient, counts: UnreadCounts): void {
  const before = queryClient.getQueryData<UnreadCounts>(notificationKeys.unreadCounts);
  // A fetch still in flight would overwrite these newer counts with older ones when it lands.
  void queryClient.cancelQueries({ queryKey: notificationKeys.unreadCounts });
  queryClient.setQueryData(notificationKeys.unreadCounts, counts);
  if (!before) return;
  const accountIds = new Set([...Object.keys(before.accounts), ...Object.keys(counts.accounts)]);
  for (const accountId of accountIds) {
    if (before.accounts[accountId] !== counts.accounts[accountId]) {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all(accountId) });
    }
  }
}
