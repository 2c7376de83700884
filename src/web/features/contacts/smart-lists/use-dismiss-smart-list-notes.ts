import { useMutation, useQueryClient } from '@tanstack/react-query';
import { smartListSchema, type SmartList } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { catalogKeys } from '../contacts-api.ts';
import { smartListsPath } from './use-smart-lists.ts';

/** Dismisses a SmartList's notes about conditions removed with a deleted tag, list or field. */
export function useDismissSmartListNotes(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (smartListId: string) =>
      apiRequest('DELETE', `${smartListsPath(accountId)}/${encodeURIComponent(smartListId)}/notes`, {
        schema: smartListSchema,
      }),
    onSuccess: (updated) =>
      queryClient.setQueryData<SmartList[]>(catalogKeys.smartLists(accountId), (lists) =>
        lists?.map((list) => (list.id === updated.id ? updated : list)),
      ),
  });
}
