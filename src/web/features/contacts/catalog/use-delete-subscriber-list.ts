import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys, contactKeys } from '../contacts-api.ts';
import { listsPath } from './use-subscriber-lists.ts';

/** Deletes a subscriber list; its members stay, without that membership. */
export function useDeleteSubscriberList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (listId: string) =>
      apiRequest('DELETE', `${listsPath(accountId)}/${encodeURIComponent(listId)}`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
        queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
      ]),
  });
}
