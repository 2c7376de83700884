import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../app/api-client.ts';
import { deletePath } from '../../distribution/substitute-usage.ts';
import { catalogKeys } from '../contacts-api.ts';
import { smartListsPath } from './use-smart-lists.ts';

export function useDeleteSmartList(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // `confirm`: also when it stands in for an agency's SmartList (else 409 SUBSTITUTE_IN_USE).
    mutationFn: ({ id, confirm = false }: { id: string; confirm?: boolean }) =>
      apiRequest('DELETE', deletePath(`${smartListsPath(accountId)}/${encodeURIComponent(id)}`, confirm)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: catalogKeys.smartLists(accountId) }),
  });
}
