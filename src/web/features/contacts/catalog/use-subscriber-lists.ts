import { useQuery } from '@tanstack/react-query';
import { subscriberListSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { accountApiPath, catalogKeys } from '../contacts-api.ts';
import { itemsSchema } from './list-schema.ts';

const subscriberListListSchema = itemsSchema(subscriberListSchema);

export function listsPath(accountId: string): string {
  return `${accountApiPath(accountId)}/lists`;
}

/** The account's subscriber lists with their member counts. */
export function useSubscriberLists(accountId: string) {
  return useQuery({
    queryKey: catalogKeys.lists(accountId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', listsPath(accountId), { schema: subscriberListListSchema, signal })).items,
  });
}
