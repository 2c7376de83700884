import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys, contactKeys } from '../contacts-api.ts';
import { listsPath } from './use-subscriber-lists.ts';

/** Deletes a subscriber list; its members stay, without that membership. */
export function useDeleteSubscriberList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Unconfirmed, a list in use answers 409 IN_USE with what uses it (shown, then confirmed).
    mutationFn: ({ id, confirm }: { id: string; confirm: boolean }) =>
      apiRequest(
        'DELETE',
        `${listsPath(accountId)}/${encodeURIComponent(id)}${confirm ? '?confirm=true' : ''}`,
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
        // SmartLists may have lost conditions (and carry a note); waiting actions may have failed.
        queryClient.invalidateQueries({ queryKey: catalogKeys.smartLists(accountId) }),
        queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
      ]),
  });
}
