import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChangePasswordBody } from '../../../shared/auth.ts';
import { apiRequest } from '../../app/api-client.ts';
import { apiTokensQueryKey } from './use-api-tokens.ts';

/** Changes the password; the server then revokes every API token, so the token list is refetched. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => apiRequest('POST', '/api/me/password', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
  });
}
