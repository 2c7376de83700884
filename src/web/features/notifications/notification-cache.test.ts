import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { UnreadCounts } from '../../../shared/notifications.ts';
import { storeAccountUnread, storeUnreadCounts } from './notification-cache.ts';
import { notificationKeys } from './notifications-api.ts';

const counts = (accounts: Record<string, number>): UnreadCounts => ({
  accounts,
  total: Object.values(accounts).reduce((sum, n) => sum + n, 0),
});

function clientWith(data: UnreadCounts): QueryClient {
  const client = new QueryClient();
  client.setQueryData(notificationKeys.unreadCounts, data);
  return client;
}

describe('unread counts in the cache', () => {
  it('takes an account count from a mark or delete answer and adds up the total again', () => {
    const client = clientWith(counts({ '1': 4, '2': 3 }));
    storeAccountUnread(client, '2', 1);
    expect(client.getQueryData(notificationKeys.unreadCounts)).toEqual({
      accounts: { '1': 4, '2': 1 },
      total: 5,
    });
  });

  it('refreshes the lists of the accounts whose count the stream changed, and only those', () => {
    const client = clientWith(counts({ '1': 4, '2': 3 }));
    const list = (accountId: string) =>
      notificationKeys.list(accountId, { unread: false, type: [], severity: [] });
    client.setQueryData(list('1'), { pages: [], pageParams: [] });
    client.setQueryData(list('2'), { pages: [], pageParams: [] });
    storeUnreadCounts(client, counts({ '1': 4, '2': 5 }));
    expect(client.getQueryState(list('1'))?.isInvalidated).toBe(false);
    expect(client.getQueryState(list('2'))?.isInvalidated).toBe(true);
    expect(client.getQueryData(notificationKeys.unreadCounts)).toEqual(counts({ '1': 4, '2': 5 }));
  });
});
