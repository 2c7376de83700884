import { useMutation, useQueryClient } from '@tanstack/react-query';
import { userSchema, type MeResponse, type UpdateSettingsBody } from '../../../shared/auth.ts';
import { apiRequest } from '../../app/api-client.ts';
import { meQueryKey } from '../../app/auth/use-me.ts';
import { notificationSettingsQueryKey } from './use-notification-settings.ts';

/**
 * Saves the user's own settings; the session picks up the answer, so a new language applies at once.
 * "Receive system messages by email" is also the master switch of the notification settings.
 */
export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSettingsBody) =>
      apiRequest('PATCH', '/api/me/settings', { body, schema: userSchema }),
    onSuccess: async (user) => {
      queryClient.setQueryData<MeResponse>(meQueryKey, (me) => (me ? { ...me, user } : me));
      await queryClient.invalidateQueries({ queryKey: notificationSettingsQueryKey });
    },
  });
}
