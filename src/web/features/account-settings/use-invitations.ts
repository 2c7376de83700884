import { useQuery } from '@tanstack/react-query';
import { invitationListSchema } from '../../../shared/invitations.ts';
import { apiRequest } from '../../app/api-client.ts';

export const invitationsQueryKey = (accountId: string) => ['accounts', accountId, 'invitations'] as const;

export function invitationsPath(accountId: string): string {
  return `/api/accounts/${encodeURIComponent(accountId)}/invitations`;
}

/** The account's pending invitations (needs users.manage). */
export function useInvitations(accountId: string) {
  return useQuery({
    queryKey: invitationsQueryKey(accountId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', invitationsPath(accountId), { schema: invitationListSchema, signal })).items,
  });
}
