import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changedCountSchema, type DeleteNotificationsBody } from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';
import { storeAccountUnread } from './notification-cache.ts';
import { notificationKeys, notificationsApiPath } from './notifications-api.ts';

/** Deletes the selected notifications for the user; other recipients keep theirs. */
export function useDeleteNotifications(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DeleteNotificationsBody) =>
      apiRequest('POST', `${notificationsApiPath(accountId)}/delete`, { body, schema: changedCountSchema }),
    onSuccess: async ({ unread }) => {
      storeAccountUnread(queryClient, accountId, unread);
      await queryClient.invalidateQueries({ queryKey: notificationKeys.all(accountId) });
    },
  });
}
