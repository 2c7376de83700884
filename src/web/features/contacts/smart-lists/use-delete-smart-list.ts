import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys } from '../contacts-api.ts';
import { smartListsPath } from './use-smart-lists.ts';

export function useDeleteSmartList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (smartListId: string) =>
      apiRequest('DELETE', `${smartListsPath(accountId)}/${encodeURIComponent(smartListId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.smartLists(accountId) }),
  });
}
