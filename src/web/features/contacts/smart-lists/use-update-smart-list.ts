import { useMutation, useQueryClient } from '@tanstack/react-query';
import { smartListSchema, type FilterGroup, type SmartList } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys, contactKeys } from '../contacts-api.ts';
import { smartListsPath } from './use-smart-lists.ts';

/** Renames a SmartList or replaces its filter. */
export function useUpdateSmartList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      smartListId,
      body,
    }: {
      smartListId: string;
      body: { name?: string; filter?: FilterGroup };
    }) =>
      apiRequest('PATCH', `${smartListsPath(accountId)}/${encodeURIComponent(smartListId)}`, {
        body,
        schema: smartListSchema,
      }),
    onSuccess: async (updated, { body }) => {
      queryClient.setQueryData<SmartList[]>(catalogKeys.smartLists(accountId), (lists) =>
        lists?.map((list) => (list.id === updated.id ? updated : list)),
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogKeys.smartLists(accountId) }),
        // A new filter changes what the list matches: its count and the table showing it.
        body.filter ? queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }) : null,
      ]);
    },
  });
}
