import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useState } from 'react';
import { notificationSchema, unreadCountsSchema, type Notification } from '../../../shared/notifications.ts';
import { storeUnreadCounts } from './notification-cache.ts';
import { NOTIFICATION_EVENTS_PATH, notificationKeys } from './notifications-api.ts';

// EventSource retries by itself after a dropped connection, but not after an error answer (a 401,
// a 503 during a deploy): then this hook opens a new one after a pause, resuming after the last id.
const REOPEN_MS = 10_000;
const EVENT_ID = /^\d{1,19}$/;

/**
 * Follows the user's notifications across all their accounts over server-sent events: `counts`
 * go straight into the unread counts (the avatar badge, the account switcher), a `notification`
 * refreshes its account's lists. Returns whether the stream is open; while it is not, the counts poll.
 */
export function useNotificationStream(): boolean {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);

  const onNotification = useEffectEvent((notification: Notification) => {
    void queryClient.invalidateQueries({ queryKey: notificationKeys.all(notification.accountId) });
  });
  const onCounts = useEffectEvent((counts: unknown) => {
    const parsed = unreadCountsSchema.safeParse(counts);
    if (parsed.success) storeUnreadCounts(queryClient, parsed.data);
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    // The last delivery seen; a new EventSource resumes after it, so nothing is missed in between.
    let lastId: string | null = null;
    const remember = (event: MessageEvent<unknown>) => {
      if (EVENT_ID.test(event.lastEventId)) lastId = event.lastEventId;
    };
    const open = () => {
      const url = lastId ? `${NOTIFICATION_EVENTS_PATH}?after=${lastId}` : NOTIFICATION_EVENTS_PATH;
      const current = new EventSource(url, { withCredentials: true });
      source = current;
      current.addEventListener('open', () => setConnected(true));
      current.addEventListener('ready', remember);
      current.addEventListener('notification', (event) => {
        remember(event);
        const parsed = notificationSchema.safeParse(parseJson(event));
        if (parsed.success) onNotification(parsed.data);
      });
      current.addEventListener('counts', (event) => onCounts(parseJson(event)));
      current.addEventListener('error', () => {
        setConnected(false);
        if (current.readyState === EventSource.CLOSED && !stopped) reopen = setTimeout(open, REOPEN_MS);
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(reopen);
      source?.close();
      setConnected(false);
    };
  }, []);

  return connected;
}

function parseJson(event: MessageEvent<unknown>): unknown {
  if (typeof event.data !== 'string') return undefined;
  try {
    return JSON.parse(event.data);
  } catch {
    return undefined;
  }
}
