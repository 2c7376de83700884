import { useMutation, useQueryClient } from '@tanstack/react-query';
import { pgpKeySchema } from '../../../shared/import-sources.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, pgpKeyPath } from './imports-api.ts';

/** Stores an existing private key (armored) with its passphrase as the account's key. */
export function useUploadPgpKey(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { privateKeyArmored: string; passphrase: string }) =>
      apiRequest('PUT', pgpKeyPath(accountId), { body, schema: pgpKeySchema }),
    onSuccess: (key) => queryClient.setQueryData(importKeys.pgpKey(accountId), key),
  });
}
