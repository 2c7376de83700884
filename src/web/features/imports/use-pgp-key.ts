import { useQuery } from '@tanstack/react-query';
import { pgpKeySchema } from '../../../shared/import-sources.ts';
import { ApiError, apiRequest } from '../../app/api-client.ts';
import { importKeys, pgpKeyPath } from './imports-api.ts';

/** The account's PGP key for import files (its public half), or null when it has none (404). */
export function usePgpKey(accountId: string) {
  return useQuery({
    queryKey: importKeys.pgpKey(accountId),
    queryFn: async ({ signal }) => {
      try {
        return await apiRequest('GET', pgpKeyPath(accountId), { schema: pgpKeySchema, signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}
