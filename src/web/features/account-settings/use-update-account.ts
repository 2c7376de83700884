import { useMutation, useQueryClient } from '@tanstack/react-query';
import { accountSchema, type UpdateAccountBody } from '../../../shared/accounts.ts';
import { apiRequest } from '../../app/api-client.ts';

/**
 * Saves the account's general settings. A new time zone moves every calendar day the account
 * filters by and every date shown, so all cached data is refreshed (the session included).
 */
export function useUpdateAccount(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateAccountBody) =>
      apiRequest('PATCH', `/api/accounts/${encodeURIComponent(accountId)}`, { body, schema: accountSchema }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
