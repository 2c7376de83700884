import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys, contactKeys } from '../contacts-api.ts';
import { tagsPath } from './use-tags.ts';

/** Deletes a tag; it comes off every contact, so contacts and counts are asked again. */
export function useDeleteTag(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tagId: string) =>
      apiRequest('DELETE', `${tagsPath(accountId)}/${encodeURIComponent(tagId)}`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
        queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
      ]),
  });
}
