import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { copyListSchema, copySchema, type DistributableKind } from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { distributionKeys, elementApiPath } from './distribution-api.ts';

/** The copies of a source element in the target accounts (for activation and rollback). */
export function useCopies(accountId: string, kind: DistributableKind, elementId: string) {
  return useQuery({
    queryKey: distributionKeys.copies(accountId, kind, elementId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `${elementApiPath(accountId, kind, elementId)}/copies`, {
          schema: copyListSchema,
          signal,
        })
      ).items,
  });
}

/**
 * Rolls one target's copy back to before the last distribution: answers the copy (200), or
 * nothing (204) when the last distribution had created it and it was removed.
 */
export function useRollback(accountId: string, kind: DistributableKind, elementId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    /** `confirm`: also when the copy the rollback removes stands in as a substitute (its entries go with it). */
    mutationFn: async ({ targetAccountId, confirm }: { targetAccountId: string; confirm: boolean }) => {
      const path = `${elementApiPath(accountId, kind, elementId)}/targets/${encodeURIComponent(targetAccountId)}/rollback${confirm ? '?confirm=true' : ''}`;
      // 204 (removed) answers no body: the client returns undefined then.
      return (await apiRequest('POST', path, { schema: copySchema })) ?? null;
    },
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: distributionKeys.copies(accountId, kind, elementId) }),
  });
}
