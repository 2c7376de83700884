import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys, contactKeys } from '../contacts-api.ts';
import { tagsPath } from './use-tags.ts';

/** Deletes a tag; it comes off every contact, so contacts and counts are asked again. */
export function useDeleteTag(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Unconfirmed, a tag in use answers 409 IN_USE with what uses it (shown, then confirmed).
    mutationFn: ({ id, confirm }: { id: string; confirm: boolean }) =>
      apiRequest(
        'DELETE',
        `${tagsPath(accountId)}/${encodeURIComponent(id)}${confirm ? '?confirm=true' : ''}`,
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
        // SmartLists may have lost conditions (and carry a note); waiting actions may have failed.
        queryClient.invalidateQueries({ queryKey: catalogKeys.smartLists(accountId) }),
        queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
      ]),
  });
}
