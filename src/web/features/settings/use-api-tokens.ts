import { useQuery } from '@tanstack/react-query';
import { apiTokenListSchema } from '../../../shared/auth.ts';
import { apiRequest } from '../../app/api-client.ts';

export const apiTokensQueryKey = ['api-tokens'] as const;

// The list answer wraps the shared token schema, as every list of the API does.

/** The user's own API tokens (never their secrets). */
export function useApiTokens() {
  return useQuery({
    queryKey: apiTokensQueryKey,
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', '/api/me/tokens', { schema: apiTokenListSchema, signal })).items,
  });
}
