import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createdApiTokenSchema, type CreateApiTokenBody } from '../../../shared/auth.ts';
import { apiRequest } from '../../app/api-client.ts';
import { apiTokensQueryKey } from './use-api-tokens.ts';

/** Creates a token; the answer carries its secret, the only time the UI ever sees it. */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiTokenBody) =>
      apiRequest('POST', '/api/me/tokens', { body, schema: createdApiTokenSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
  });
}
