import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { templateKeys, templatesPath } from './templates-api.ts';

/** Deletes a template; one an unfinished bulk action uses answers 409 IN_USE. */
export function useDeleteTemplate(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest('DELETE', `${templatesPath(accountId)}/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: templateKeys.all(accountId) }),
  });
}
