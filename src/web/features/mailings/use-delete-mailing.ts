import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { deletePath } from '../distribution/substitute-usage.ts';
import { mailingKeys, mailingPath } from './mailings-api.ts';

/**
 * Deletes a mailing: 409 MAILING_BUSY while it is being sent; 409 SUBSTITUTE_IN_USE when it stands
 * in for another account's mailing, unless `confirm` is set.
 */
export function useDeleteMailing(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, confirm = false }: { id: string; confirm?: boolean }) =>
      apiRequest('DELETE', deletePath(mailingPath(accountId, id), confirm)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mailingKeys.all(accountId) }),
  });
}
