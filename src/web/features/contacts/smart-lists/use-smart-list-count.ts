import { useQuery } from '@tanstack/react-query';
import { countSchema } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { contactKeys } from '../contacts-api.ts';
import { smartListsPath } from './use-smart-lists.ts';

/** How many contacts a saved SmartList matches right now. */
export function useSmartListCount(accountId: string, smartListId: string) {
  return useQuery({
    queryKey: contactKeys.smartListCount(accountId, smartListId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `${smartListsPath(accountId)}/${encodeURIComponent(smartListId)}/count`, {
          schema: countSchema,
          signal,
        })
      ).count,
  });
}
