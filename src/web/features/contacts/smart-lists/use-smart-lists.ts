import { useQuery } from '@tanstack/react-query';
import { smartListSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { itemsSchema } from '../catalog/list-schema.ts';
import { accountApiPath, catalogKeys } from '../contacts-api.ts';

const smartListListSchema = itemsSchema(smartListSchema);

export function smartListsPath(accountId: string): string {
  return `${accountApiPath(accountId)}/smart-lists`;
}

/** The account's SmartLists with their filters (the side list, and the filter a click loads). */
export function useSmartLists(accountId: string) {
  return useQuery({
    queryKey: catalogKeys.smartLists(accountId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', smartListsPath(accountId), { schema: smartListListSchema, signal })).items,
  });
}
