import { useInfiniteQuery } from '@tanstack/react-query';
import { contactPageSchema } from '../../../shared/contacts.ts';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath, contactKeys, type ContactListParams } from './contacts-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

export const CONTACTS_PAGE_SIZE = 50;

function listUrl(accountId: string, params: ContactListParams, cursor: string | null): string {
  const query = new URLSearchParams({
    sort: params.sort,
    dir: params.dir,
    limit: String(CONTACTS_PAGE_SIZE),
  });
  if (params.search) query.set('search', params.search);
  if (params.smartListId) query.set('smartListId', params.smartListId);
  if (params.filter) query.set('filter', params.filter);
  if (cursor) query.set('cursor', cursor);
  return `${accountApiPath(accountId)}/contacts?${query.toString()}`;
}

/**
 * The contacts of a view, page by page (keyset: each page names the cursor of the next).
 * While a new view loads, the previous rows stay on screen instead of a blank table.
 */
export function useContacts(accountId: string, params: ContactListParams) {
  return useInfiniteQuery({
    queryKey: contactKeys.list(accountId, params),
    queryFn: ({ pageParam, signal }) =>
      apiRequest('GET', listUrl(accountId, params, pageParam), { schema: contactPageSchema, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
