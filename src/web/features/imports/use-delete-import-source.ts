import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, sourcePath } from './imports-api.ts';

export function useDeleteImportSource(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) => apiRequest('DELETE', sourcePath(accountId, sourceId)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.sources(accountId) }),
  });
}
