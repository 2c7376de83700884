import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { BulkAction, BulkActionPage } from '../../../shared/bulk-actions.ts';
import { catalogKeys, contactKeys } from '../contacts/contacts-api.ts';
import { bulkKeys } from './bulk-api.ts';

/** The action as the cache knows it (its detail, else a loaded list row), or undefined. */
export function cachedAction(queryClient: QueryClient, accountId: string, actionId: string) {
  const detail = queryClient.getQueryData<BulkAction>(bulkKeys.detail(accountId, actionId));
  if (detail) return detail;
  for (const [, data] of queryClient.getQueriesData<InfiniteData<BulkActionPage>>({
    queryKey: bulkKeys.lists(accountId),
  })) {
    const found = data?.pages.flatMap((page) => page.items).find((item) => item.id === actionId);
    if (found) return found;
  }
  return undefined;
}

/**
 * Puts a fresh copy of an action into the cache: its detail and every loaded list row showing it.
 * Rows are replaced in place (a progress tick must not reorder or refetch the table).
 */
export function storeAction(queryClient: QueryClient, accountId: string, action: BulkAction): void {
  queryClient.setQueryData(bulkKeys.detail(accountId, action.id), action);
  queryClient.setQueriesData<InfiniteData<BulkActionPage>>(
    { queryKey: bulkKeys.lists(accountId) },
    (data) => {
      if (!data?.pages.some((page) => page.items.some((item) => item.id === action.id))) return data;
      return {
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          items: page.items.map((item) => (item.id === action.id ? action : item)),
        })),
      };
    },
  );
}

/** After an action ended: the contacts, their counts and the tags' counts may all have changed. */
export async function invalidateContactData(queryClient: QueryClient, accountId: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
    queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
    queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
  ]);
}

/** A control changed an action (or queued a new one): refresh what shows it. */
export async function invalidateActionData(
  queryClient: QueryClient,
  accountId: string,
  actionId: string,
): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: bulkKeys.lists(accountId) }),
    queryClient.invalidateQueries({ queryKey: bulkKeys.stats(accountId, actionId) }),
    queryClient.invalidateQueries({ queryKey: bulkKeys.audit(accountId, actionId) }),
    queryClient.invalidateQueries({ queryKey: bulkKeys.restorePreview(accountId, actionId) }),
  ]);
}
