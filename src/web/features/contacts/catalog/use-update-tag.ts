import { useMutation, useQueryClient } from '@tanstack/react-query';
import { tagSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys } from '../contacts-api.ts';
import type { TagBody } from './use-create-tag.ts';
import { tagsPath } from './use-tags.ts';

/** Renames or recolours a tag (the API takes both each time). */
export function useUpdateTag(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ tagId, body }: { tagId: string; body: TagBody }) =>
      apiRequest('PATCH', `${tagsPath(accountId)}/${encodeURIComponent(tagId)}`, { body, schema: tagSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
  });
}
