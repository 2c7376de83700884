import { useMutation, useQueryClient } from '@tanstack/react-query';
import { subscriberListSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys } from '../contacts-api.ts';
import type { SubscriberListBody } from './use-create-subscriber-list.ts';
import { listsPath } from './use-subscriber-lists.ts';

export function useUpdateSubscriberList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ listId, body }: { listId: string; body: SubscriberListBody }) =>
      apiRequest('PATCH', `${listsPath(accountId)}/${encodeURIComponent(listId)}`, {
        body,
        schema: subscriberListSchema,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
  });
}
