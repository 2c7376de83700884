import { useQuery } from '@tanstack/react-query';
import { customFieldSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { accountApiPath, catalogKeys } from '../contacts-api.ts';
import { itemsSchema } from './list-schema.ts';

const customFieldListSchema = itemsSchema(customFieldSchema);

/** The account's custom field definitions (key, label, type); they are managed in the account settings. */
export function useCustomFields(accountId: string) {
  return useQuery({
    queryKey: catalogKeys.customFields(accountId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `${accountApiPath(accountId)}/custom-fields`, {
          schema: customFieldListSchema,
          signal,
        })
      ).items,
  });
}
