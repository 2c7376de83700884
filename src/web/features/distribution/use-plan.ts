import { useQuery } from '@tanstack/react-query';
import { planSchema, type PlanBody } from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { distributionApiPath, distributionKeys } from './distribution-api.ts';

/**
 * The dry run for `body` (null: not asked yet). A query, not a mutation: registering a substitute
 * invalidates the plans, and the one shown is fetched again. It writes nothing on the server.
 */
export function usePlan(accountId: string, body: PlanBody | null) {
  return useQuery({
    queryKey: distributionKeys.plan(accountId, body),
    queryFn: ({ signal }) =>
      apiRequest('POST', `${distributionApiPath(accountId)}/plan`, { body, schema: planSchema, signal }),
    enabled: body !== null,
    // A plan is a snapshot the user acts on: it changes when they ask again, not behind their back.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
