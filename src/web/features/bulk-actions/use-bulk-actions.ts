import { useInfiniteQuery } from '@tanstack/react-query';
import { bulkActionPageSchema } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkApiPath, bulkKeys, isUnfinished, type BulkListParams } from './bulk-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

export const BULK_PAGE_SIZE = 25;

function listUrl(accountId: string, params: BulkListParams, cursor: string | null): string {
  const query = new URLSearchParams({ limit: String(BULK_PAGE_SIZE) });
  for (const status of params.status) query.append('status', status);
  for (const type of params.type) query.append('type', type);
  if (params.createdBy) query.set('createdBy', params.createdBy);
  if (params.from) query.set('from', params.from);
  if (params.to) query.set('to', params.to);
  if (cursor) query.set('cursor', cursor);
  return `${bulkApiPath(accountId)}?${query.toString()}`;
}

/**
 * The account's bulk actions, newest first, page by page (keyset). While the live stream is down
 * (`live` false) and a loaded action is unfinished, the pages are fetched again every few seconds.
 */
export function useBulkActions(accountId: string, params: BulkListParams, live: boolean) {
  return useInfiniteQuery({
    queryKey: bulkKeys.list(accountId, params),
    queryFn: ({ pageParam, signal }) =>
      apiRequest('GET', listUrl(accountId, params, pageParam), { schema: bulkActionPageSchema, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
    refetchInterval: (query) =>
      !live && query.state.data?.pages.some((page) => page.items.some((a) => isUnfinished(a.status)))
        ? 5_000
        : false,
  });
}
