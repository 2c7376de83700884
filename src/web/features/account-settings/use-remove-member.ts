import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { meQueryKey } from '../../app/auth/use-me.ts';
import { membersPath, membersQueryKey } from './use-members.ts';

export function useRemoveMember(accountId: string) {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: (userId: string) =>
      apiRequest('DELETE', `${membersPath(accountId)}/${encodeURIComponent(userId)}`),
    onSuccess: async (_nothing, userId) => {
      // Leaving an account takes it out of the switcher.
      if (userId === user.id) await queryClient.invalidateQueries({ queryKey: meQueryKey });
      await queryClient.invalidateQueries({ queryKey: membersQueryKey(accountId) });
    },
  });
}
