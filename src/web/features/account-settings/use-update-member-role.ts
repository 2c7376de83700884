import { useMutation, useQueryClient } from '@tanstack/react-query';
import { memberSchema } from '../../../shared/accounts.ts';
import type { Role } from '../../../shared/rights.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { meQueryKey } from '../../app/auth/use-me.ts';
import { membersPath, membersQueryKey } from './use-members.ts';

export function useUpdateMemberRole(accountId: string) {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      apiRequest('PATCH', `${membersPath(accountId)}/${encodeURIComponent(userId)}`, {
        body: { role },
        schema: memberSchema,
      }),
    onSuccess: async (_member, { userId }) => {
      // Changing one's own role changes one's rights, and with them the navigation.
      if (userId === user.id) await queryClient.invalidateQueries({ queryKey: meQueryKey });
      await queryClient.invalidateQueries({ queryKey: membersQueryKey(accountId) });
    },
  });
}
