import { useQuery } from '@tanstack/react-query';
import { bulkStatsSchema } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath, bulkKeys } from './bulk-api.ts';

/** Totals, duration, throughput and the failure and skip reasons of an action; refreshed while it runs. */
export function useBulkStats(accountId: string, actionId: string, running: boolean) {
  return useQuery({
    queryKey: bulkKeys.stats(accountId, actionId),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${bulkActionPath(accountId, actionId)}/stats`, { schema: bulkStatsSchema, signal }),
    refetchInterval: running ? 3_000 : false,
  });
}
