import type { ContactSort, Selection } from '../../../shared/contacts.ts';

/** The base of every contacts-related call of one account. */
export function accountApiPath(accountId: string): string {
  return `/api/accounts/${encodeURIComponent(accountId)}`;
}

/** What the contacts table shows: the URL's view, in the shape of the list call's query. */
export interface ContactListParams {
  search: string;
  smartListId: string | null;
  /** The filter tree as JSON text, or null for none. */
  filter: string | null;
  sort: ContactSort;
  dir: 'asc' | 'desc';
}

/**
 * Query keys. Everything whose answer depends on the contacts themselves (pages, counts, previews)
 * sits under `contacts`, so one invalidation after a write refreshes all of it.
 */
export const contactKeys = {
  all: (accountId: string) => ['accounts', accountId, 'contacts'] as const,
  list: (accountId: string, params: ContactListParams) =>
    [...contactKeys.all(accountId), 'list', params] as const,
  detail: (accountId: string, contactId: string) =>
    [...contactKeys.all(accountId), 'detail', contactId] as const,
  smartListCount: (accountId: string, smartListId: string) =>
    [...contactKeys.all(accountId), 'smart-list-count', smartListId] as const,
  selectionPreview: (accountId: string, selection: Selection) =>
    [...contactKeys.all(accountId), 'selection-preview', selection] as const,
};

export const catalogKeys = {
  tags: (accountId: string) => ['accounts', accountId, 'tags'] as const,
  lists: (accountId: string) => ['accounts', accountId, 'lists'] as const,
  customFields: (accountId: string) => ['accounts', accountId, 'custom-fields'] as const,
  smartLists: (accountId: string) => ['accounts', accountId, 'smart-lists'] as const,
};
