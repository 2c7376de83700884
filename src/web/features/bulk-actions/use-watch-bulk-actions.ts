import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef } from 'react';
import { bulkActionSchema, type BulkAction } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath, bulkKeys, isUnfinished } from './bulk-api.ts';
import { invalidateContactData } from './bulk-cache.ts';

const POLL_MS = 2_000;

/**
 * Follows actions started from this page until they end, then refreshes the contacts they changed
 * and reports each ended action once. Polls (a few small requests) rather than holding the live
 * stream, which belongs to the Bulk Actions page.
 */
export function useWatchBulkActions(
  accountId: string,
  actionIds: readonly string[],
  onEnded: (action: BulkAction) => void,
): void {
  const queryClient = useQueryClient();
  const reported = useRef(new Set<string>());
  const results = useQueries({
    queries: actionIds.map((actionId) => ({
      queryKey: bulkKeys.detail(accountId, actionId),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiRequest('GET', bulkActionPath(accountId, actionId), { schema: bulkActionSchema, signal }),
      refetchInterval: (query: { state: { data?: BulkAction } }) =>
        query.state.data && !isUnfinished(query.state.data.status) ? false : POLL_MS,
      staleTime: 0,
    })),
  });
  const ended = results
    .map((result) => result.data)
    .filter((action): action is BulkAction => action !== undefined && !isUnfinished(action.status));
  const endedKey = ended.map((action) => action.id).join(',');

  const report = useEffectEvent(() => {
    const fresh = ended.filter((action) => !reported.current.has(action.id));
    if (fresh.length === 0) return;
    for (const action of fresh) reported.current.add(action.id);
    void invalidateContactData(queryClient, accountId);
    void queryClient.invalidateQueries({ queryKey: bulkKeys.lists(accountId) });
    for (const action of fresh) onEnded(action);
  });

  // Runs when another action has ended (endedKey names them); the event reads the current list.
  useEffect(() => report(), [endedKey]);
}
