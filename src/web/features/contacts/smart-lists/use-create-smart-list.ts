import { useMutation, useQueryClient } from '@tanstack/react-query';
import { smartListSchema, type FilterGroup, type SmartList } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys } from '../contacts-api.ts';
import { smartListsPath } from './use-smart-lists.ts';

export function useCreateSmartList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; filter: FilterGroup }) =>
      apiRequest('POST', smartListsPath(accountId), { body, schema: smartListSchema }),
    onSuccess: async (created) => {
      // In the cache at once: the page applies the new list right away and needs its filter.
      queryClient.setQueryData<SmartList[]>(catalogKeys.smartLists(accountId), (lists) =>
        lists ? [...lists, created] : lists,
      );
      await queryClient.invalidateQueries({ queryKey: catalogKeys.smartLists(accountId) });
    },
  });
}
