import { useQuery } from '@tanstack/react-query';
import { targetAccountListSchema } from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { distributionApiPath, distributionKeys } from './distribution-api.ts';

/** The source account's descendants, tree-ordered with their depth (for the target picker). */
export function useTargetAccounts(accountId: string) {
  return useQuery({
    queryKey: distributionKeys.targets(accountId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `${distributionApiPath(accountId)}/targets`, {
          schema: targetAccountListSchema,
          signal,
        })
      ).items,
  });
}
