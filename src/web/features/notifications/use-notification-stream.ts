import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { notificationSchema, unreadCountsSchema, type Notification } from '../../../shared/notifications.ts';
import { useEventStream } from '../../app/use-event-stream.ts';
import { storeUnreadCounts } from './notification-cache.ts';
import { NOTIFICATION_EVENTS_PATH, notificationKeys } from './notifications-api.ts';

// `ready` only carries the stream's cursor (its id); `counts` and `notification` carry data.
const NOTIFICATION_EVENTS = {
  ready: z.unknown(),
  notification: notificationSchema,
  counts: unreadCountsSchema,
};
const EVENT_ID = /^\d{1,19}$/;

/**
 * The stream's address; after the last delivery seen, a reopened stream (a new EventSource, which
 * sends no Last-Event-ID) resumes after it, so nothing is missed in between.
 */
function streamUrl(lastEventId: string | null): string {
  return lastEventId !== null && EVENT_ID.test(lastEventId)
    ? `${NOTIFICATION_EVENTS_PATH}?after=${lastEventId}`
    : NOTIFICATION_EVENTS_PATH;
}

/**
 * Follows the user's notifications across all their accounts over server-sent events: `counts`
 * go straight into the unread counts (the avatar badge, the account switcher), a `notification`
 * refreshes its account's lists. Returns whether the stream is open; while it is not, the counts poll.
 */
export function useNotificationStream(): boolean {
  const queryClient = useQueryClient();
  return useEventStream({
    url: streamUrl,
    events: NOTIFICATION_EVENTS,
    on: {
      ready: () => {},
      notification: (notification: Notification) => {
        void queryClient.invalidateQueries({ queryKey: notificationKeys.all(notification.accountId) });
      },
      counts: (counts) => storeUnreadCounts(queryClient, counts),
    },
  });
}
