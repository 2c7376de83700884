import { useMutation, useQueryClient } from '@tanstack/react-query';
import { userSchema, type MeResponse, type UpdateSettingsBody } from '../../../shared/auth.ts';
import { apiRequest } from '../../app/api-client.ts';
import { meQueryKey } from '../../app/auth/use-me.ts';

/** Saves the user's own settings; the session picks up the answer, so a new language applies at once. */
export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSettingsBody) =>
      apiRequest('PATCH', '/api/me/settings', { body, schema: userSchema }),
    onSuccess: (user) => {
      queryClient.setQueryData<MeResponse>(meQueryKey, (me) => (me ? { ...me, user } : me));
    },
  });
}
