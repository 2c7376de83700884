import { useQuery } from '@tanstack/react-query';
import { bulkActionSchema } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath, bulkKeys, isUnfinished } from './bulk-api.ts';

/**
 * One bulk action. The live stream keeps it current where it runs; `poll` asks again every few
 * seconds while the action is unfinished (for views without the stream, or while it is down).
 */
export function useBulkAction(accountId: string, actionId: string, { poll = false } = {}) {
  return useQuery({
    queryKey: bulkKeys.detail(accountId, actionId),
    queryFn: ({ signal }) =>
      apiRequest('GET', bulkActionPath(accountId, actionId), { schema: bulkActionSchema, signal }),
    refetchInterval: (query) =>
      poll && query.state.data && isUnfinished(query.state.data.status) ? 2_000 : false,
  });
}
