import { useQuery } from '@tanstack/react-query';
import { notificationSchema } from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';
import { notificationKeys, notificationsApiPath } from './notifications-api.ts';

/** One notification, for a detail view opened by a link when its row is not loaded (`enabled`). */
export function useNotification(accountId: string, notificationId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.detail(accountId, notificationId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${notificationsApiPath(accountId)}/${encodeURIComponent(notificationId ?? '')}`, {
        schema: notificationSchema,
        signal,
      }),
    enabled: enabled && notificationId !== null,
  });
}
