import { useMutation, useQueryClient } from '@tanstack/react-query';
import { subscriberListSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys } from '../contacts-api.ts';
import { listsPath } from './use-subscriber-lists.ts';

export interface SubscriberListBody {
  name: string;
  description: string | null;
}

export function useCreateSubscriberList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SubscriberListBody) =>
      apiRequest('POST', listsPath(accountId), { body, schema: subscriberListSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
  });
}
