import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { acceptedInvitationSchema, myInvitationListSchema } from '../../../shared/invitations.ts';
import { apiRequest } from '../../app/api-client.ts';
import { meQueryKey } from '../../app/auth/use-me.ts';

export const myInvitationsQueryKey = ['me', 'invitations'] as const;

/** Pending invitations addressed to the logged-in user's email. */
export function useMyInvitations() {
  return useQuery({
    queryKey: myInvitationsQueryKey,
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', '/api/me/invitations', { schema: myInvitationListSchema, signal })).items,
  });
}

/** Accepts an invitation: the account appears in the switcher. */
export function useAcceptMyInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      apiRequest('POST', `/api/me/invitations/${encodeURIComponent(invitationId)}/accept`, {
        schema: acceptedInvitationSchema,
      }),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: meQueryKey, exact: true });
      await queryClient.invalidateQueries({ queryKey: myInvitationsQueryKey });
    },
  });
}

export function useDeclineMyInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      apiRequest('POST', `/api/me/invitations/${encodeURIComponent(invitationId)}/decline`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: myInvitationsQueryKey }),
  });
}
