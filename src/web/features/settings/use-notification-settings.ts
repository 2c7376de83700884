import { useQuery } from '@tanstack/react-query';
import { emailPreferencesSchema } from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';

export const notificationSettingsQueryKey = ['notification-settings'] as const;

/** Which system messages the user gets by email: the master switch and a choice per type. */
export function useNotificationSettings() {
  return useQuery({
    queryKey: notificationSettingsQueryKey,
    queryFn: ({ signal }) =>
      apiRequest('GET', '/api/me/notification-settings', { schema: emailPreferencesSchema, signal }),
  });
}
