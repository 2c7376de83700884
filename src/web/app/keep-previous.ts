import type { Query, QueryKey } from '@tanstack/react-query';

/** The account a query key belongs to: every account query's key starts `['accounts', accountId, …]`. */
export function accountOfKey(key: QueryKey): string | null {
  return key[0] === 'accounts' && typeof key[1] === 'string' ? key[1] : null;
}

/**
 * `placeholderData` that keeps the previous answer on screen while the next loads (a filter, a
 * page, a search changed), but only within one account: after switching accounts, the last
 * account's rows would otherwise stand under the new account's name until its answer arrives.
 * TanStack's own `keepPreviousData` keeps data across any key.
 */
export function keepPreviousInAccount(accountId: string) {
  return <T>(
    previous: T | undefined,
    previousQuery: Query<T, Error, T, QueryKey> | undefined,
  ): T | undefined =>
    previousQuery && accountOfKey(previousQuery.queryKey) === accountId ? previous : undefined;
}
