import { createContext, useContext, type ReactNode } from 'react';
import { useNotificationStream } from './use-notification-stream.ts';

const StreamConnected = createContext(false);

/** Opens the user's one notification stream for everything inside (the app shell). */
export function NotificationStreamProvider({ children }: { children: ReactNode }) {
  const connected = useNotificationStream();
  return <StreamConnected value={connected}>{children}</StreamConnected>;
}

/** True while the live stream is open: the cache follows every change, nothing needs to poll. */
export function useNotificationStreamConnected(): boolean {
  return useContext(StreamConnected);
}
