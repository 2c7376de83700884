import { useQuery } from '@tanstack/react-query';
import { unreadCountsSchema } from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useNotificationStreamConnected } from './notification-stream.tsx';
import { notificationKeys } from './notifications-api.ts';

const POLL_MS = 30_000;

/** The user's unread notifications: in total and per account. Kept current by the live stream, else polled. */
export function useUnreadCounts() {
  const live = useNotificationStreamConnected();
  return useQuery({
    queryKey: notificationKeys.unreadCounts,
    queryFn: ({ signal }) =>
      apiRequest('GET', '/api/me/notifications/unread-counts', { schema: unreadCountsSchema, signal }),
    refetchInterval: live ? false : POLL_MS,
  });
}
