import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, pgpKeyPath } from './imports-api.ts';

/** Deletes the account's key: sources that decrypt then fail until a new key is set. */
export function useDeletePgpKey(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest('DELETE', pgpKeyPath(accountId)),
    onSuccess: () => queryClient.setQueryData(importKeys.pgpKey(accountId), null),
  });
}
