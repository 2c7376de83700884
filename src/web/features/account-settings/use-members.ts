import { useQuery } from '@tanstack/react-query';
import { memberListSchema } from '../../../shared/accounts.ts';
import { apiRequest } from '../../app/api-client.ts';

export const membersQueryKey = (accountId: string) => ['accounts', accountId, 'members'] as const;

export function membersPath(accountId: string): string {
  return `/api/accounts/${encodeURIComponent(accountId)}/members`;
}

/** The users of an account with their roles (needs users.manage: without it pass `enabled` false). */
export function useMembers(accountId: string, enabled = true) {
  return useQuery({
    queryKey: membersQueryKey(accountId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', membersPath(accountId), { schema: memberListSchema, signal })).items,
    enabled,
  });
}
