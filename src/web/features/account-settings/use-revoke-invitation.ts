import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { invitationsPath, invitationsQueryKey } from './use-invitations.ts';

/** Withdraws a pending invitation: its link stops working. */
export function useRevokeInvitation(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      apiRequest('DELETE', `${invitationsPath(accountId)}/${encodeURIComponent(invitationId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationsQueryKey(accountId) }),
  });
}
