import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { apiTokensQueryKey } from './use-api-tokens.ts';

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => apiRequest('DELETE', `/api/me/tokens/${encodeURIComponent(tokenId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
  });
}
