import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import {
  emailPreferencesSchema,
  type updateEmailPreferencesBodySchema,
} from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';
import { meQueryKey } from '../../app/auth/use-me.ts';
import { notificationSettingsQueryKey } from './use-notification-settings.ts';

type UpdateEmailPreferencesBody = z.infer<typeof updateEmailPreferencesBodySchema>;

/**
 * Saves the per-type email choices (and/or the master switch). The switch is the user's
 * "Receive system messages by email" setting too, so the session is fetched again.
 */
export function useUpdateNotificationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateEmailPreferencesBody) =>
      apiRequest('PATCH', '/api/me/notification-settings', { body, schema: emailPreferencesSchema }),
    onSuccess: async (preferences) => {
      queryClient.setQueryData(notificationSettingsQueryKey, preferences);
      await queryClient.invalidateQueries({ queryKey: meQueryKey, exact: true });
    },
  });
}
