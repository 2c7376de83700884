import { useMutation, useQueryClient } from '@tanstack/react-query';
import { tagSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys } from '../contacts-api.ts';
import { tagsPath } from './use-tags.ts';

export interface TagBody {
  name: string;
  color: string | null;
}

export function useCreateTag(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TagBody) => apiRequest('POST', tagsPath(accountId), { body, schema: tagSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
  });
}
