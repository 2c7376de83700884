import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { deletePath } from '../distribution/substitute-usage.ts';
import { templateKeys, templatesPath } from './templates-api.ts';

/**
 * Deletes a template; one an unfinished bulk action uses answers 409 IN_USE, one that stands in for
 * another account's element 409 SUBSTITUTE_IN_USE unless `confirm` is set.
 */
export function useDeleteTemplate(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, confirm = false }: { id: string; confirm?: boolean }) =>
      apiRequest('DELETE', deletePath(`${templatesPath(accountId)}/${encodeURIComponent(id)}`, confirm)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: templateKeys.all(accountId) }),
  });
}
