import { useMutation, useQueryClient } from '@tanstack/react-query';
import { memberSchema, type AddMemberBody } from '../../../shared/accounts.ts';
import { apiRequest } from '../../app/api-client.ts';
import { membersPath, membersQueryKey } from './use-members.ts';

/** Adds a user to the account: a new login with a first password, or an existing user by email. */
export function useAddMember(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddMemberBody) =>
      apiRequest('POST', membersPath(accountId), { body, schema: memberSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryKey(accountId) }),
  });
}
