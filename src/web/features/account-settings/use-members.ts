import { useQuery } from '@tanstack/react-query';
import { memberListSchema } from '../../../shared/accounts.ts';
import { apiRequest } from '../../app/api-client.ts';

export const membersQueryKey = (accountId: string) => ['accounts', accountId, 'members'] as const;

export function membersPath(accountId: string): string {
  return `/api/accounts/${encodeURIComponent(accountId)}/members`;
}

/** The users of an account with their roles (needs users.manage). */
export function useMembers(accountId: string) {
  return useQuery({
    queryKey: membersQueryKey(accountId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', membersPath(accountId), { schema: memberListSchema, signal })).items,
  });
}
