import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AddMemberBody } from '../../../shared/accounts.ts';
import { invitationSchema } from '../../../shared/invitations.ts';
import { apiRequest } from '../../app/api-client.ts';
import { invitationsQueryKey } from './use-invitations.ts';
import { membersPath } from './use-members.ts';

/** Invites someone by email; they become a member once they accept. */
export function useInviteMember(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddMemberBody) =>
      apiRequest('POST', membersPath(accountId), { body, schema: invitationSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationsQueryKey(accountId) }),
  });
}
