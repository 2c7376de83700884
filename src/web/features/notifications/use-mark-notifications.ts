import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changedCountSchema, type MarkNotificationsBody } from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';
import { storeAccountUnread } from './notification-cache.ts';
import { notificationKeys, notificationsApiPath } from './notifications-api.ts';

/** Marks the selected notifications (or all of the account) read or unread, for the user only. */
export function useMarkNotifications(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MarkNotificationsBody) =>
      apiRequest('POST', `${notificationsApiPath(accountId)}/mark`, { body, schema: changedCountSchema }),
    onSuccess: async ({ unread }) => {
      storeAccountUnread(queryClient, accountId, unread);
      await queryClient.invalidateQueries({ queryKey: notificationKeys.all(accountId) });
    },
  });
}
