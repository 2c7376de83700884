import { useInfiniteQuery } from '@tanstack/react-query';
import { notificationPageSchema } from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';
import { notificationKeys, notificationsApiPath, type NotificationListParams } from './notifications-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

export const NOTIFICATION_PAGE_SIZE = 50;

function listUrl(accountId: string, params: NotificationListParams, cursor: string | null): string {
  const query = new URLSearchParams({ limit: String(NOTIFICATION_PAGE_SIZE) });
  if (params.unread) query.set('unread', 'true');
  if (params.type.length > 0) query.set('type', params.type.join(','));
  if (params.severity.length > 0) query.set('severity', params.severity.join(','));
  if (cursor) query.set('cursor', cursor);
  return `${notificationsApiPath(accountId)}?${query.toString()}`;
}

/** The user's notifications in the account, newest first, page by page (keyset). */
export function useNotifications(accountId: string, params: NotificationListParams) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(accountId, params),
    queryFn: ({ pageParam, signal }) =>
      apiRequest('GET', listUrl(accountId, params, pageParam), { schema: notificationPageSchema, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
