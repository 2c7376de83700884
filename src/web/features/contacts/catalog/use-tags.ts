import { useQuery } from '@tanstack/react-query';
import { tagSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { accountApiPath, catalogKeys } from '../contacts-api.ts';
import { itemsSchema } from './list-schema.ts';

const tagListSchema = itemsSchema(tagSchema);

export function tagsPath(accountId: string): string {
  return `${accountApiPath(accountId)}/tags`;
}

/** The account's tags with their contact counts. */
export function useTags(accountId: string) {
  return useQuery({
    queryKey: catalogKeys.tags(accountId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', tagsPath(accountId), { schema: tagListSchema, signal })).items,
  });
}
