import { useMutation, useQueryClient } from '@tanstack/react-query';
import { distributionSchema, type CreateDistributionBody } from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useIdempotencyKey } from '../../app/use-idempotency-key.ts';
import { distributionKeys, distributionsApiPath } from './distribution-api.ts';

/**
 * Starts a distribution (or an activation change across accounts): 202 with the distribution. The
 * Idempotency-Key makes a double click or a retried send start one.
 */
export function useStartDistribution(accountId: string) {
  const queryClient = useQueryClient();
  const key = useIdempotencyKey();
  return useMutation({
    mutationFn: (body: CreateDistributionBody) =>
      apiRequest('POST', distributionsApiPath(accountId), {
        body,
        schema: distributionSchema,
        headers: { 'idempotency-key': key.current() },
      }),
    onSettled: (_data, error) => {
      key.settled(error ?? undefined);
      return queryClient.invalidateQueries({ queryKey: distributionKeys.all(accountId) });
    },
  });
}

/** Starts a new distribution over exactly the failed targets of one (409 CONFLICT when none failed). */
export function useRetryDistribution(accountId: string, distributionId: string) {
  const queryClient = useQueryClient();
  const key = useIdempotencyKey();
  return useMutation({
    mutationFn: () =>
      apiRequest('POST', `${distributionsApiPath(accountId)}/${encodeURIComponent(distributionId)}/retry`, {
        schema: distributionSchema,
        headers: { 'idempotency-key': key.current() },
      }),
    onSettled: (_data, error) => {
      key.settled(error ?? undefined);
      return queryClient.invalidateQueries({ queryKey: distributionKeys.all(accountId) });
    },
  });
}
