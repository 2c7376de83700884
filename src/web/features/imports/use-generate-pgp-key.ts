import { useMutation, useQueryClient } from '@tanstack/react-query';
import { pgpKeySchema } from '../../../shared/import-sources.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, pgpKeyPath } from './imports-api.ts';

/** Generates the account's key pair (replacing any key it had). */
export function useGeneratePgpKey(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; email: string; passphrase: string }) =>
      apiRequest('POST', `${pgpKeyPath(accountId)}/generate`, { body, schema: pgpKeySchema }),
    onSuccess: (key) => queryClient.setQueryData(importKeys.pgpKey(accountId), key),
  });
}
