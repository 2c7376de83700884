import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  contactSortSchema,
  filterGroupSchema,
  type ContactSort,
  type FilterGroup,
} from '../../../shared/contacts.ts';
import type { ContactListParams } from './contacts-api.ts';

/** What the contacts page shows, read from the URL so reloads and shared links show the same. */
export interface ContactsView {
  search: string;
  /** The applied filter tree, null for none. */
  filter: FilterGroup | null;
  /** The `filter` parameter is there but is no filter (a mangled link): it is ignored. */
  filterBroken: boolean;
  smartListId: string | null;
  sort: ContactSort;
  dir: 'asc' | 'desc';
}

export interface ContactsViewChange {
  search?: string;
  filter?: FilterGroup | null;
  smartListId?: string | null;
  sort?: ContactSort;
  dir?: 'asc' | 'desc';
}

export const DEFAULT_SORT: ContactSort = 'created_at';
export const DEFAULT_DIR = 'desc';
const SEARCH_MAX = 200;

function parseFilter(text: string | null): { filter: FilterGroup | null; broken: boolean } {
  if (text === null) return { filter: null, broken: false };
  try {
    const parsed = filterGroupSchema.safeParse(JSON.parse(text));
    return parsed.success ? { filter: parsed.data, broken: false } : { filter: null, broken: true };
  } catch {
    return { filter: null, broken: true };
  }
}

/**
 * The view in the URL: `search`, `filter` (the FilterGroup as JSON), `smartListId`, `sort`, `dir`.
 * Defaults are left out of the URL. Typing in the search box replaces the history entry; other
 * changes push one, so Back returns to the previous view.
 */
export function useContactsView(): [
  ContactsView,
  (change: ContactsViewChange, options?: { replace?: boolean }) => void,
] {
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const filterText = params.get('filter');
  const smartListParam = params.get('smartListId');
  const sortParam = contactSortSchema.safeParse(params.get('sort'));
  const dirParam = params.get('dir');

  const view = useMemo((): ContactsView => {
    const { filter, broken } = parseFilter(filterText);
    return {
      search: search.slice(0, SEARCH_MAX),
      filter,
      filterBroken: broken,
      smartListId: smartListParam && /^\d{1,15}$/.test(smartListParam) ? smartListParam : null,
      sort: sortParam.success ? sortParam.data : DEFAULT_SORT,
      dir: dirParam === 'asc' || dirParam === 'desc' ? dirParam : DEFAULT_DIR,
    };
  }, [search, filterText, smartListParam, sortParam.success, sortParam.data, dirParam]);

  const change = useCallback(
    (next: ContactsViewChange, options?: { replace?: boolean }) => {
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          const put = (key: string, value: string | null | undefined) => {
            if (value) updated.set(key, value);
            else updated.delete(key);
          };
          if (next.search !== undefined) put('search', next.search.trim());
          if (next.filter !== undefined)
            put(
              'filter',
              next.filter && next.filter.conditions.length > 0 ? JSON.stringify(next.filter) : null,
            );
          if (next.smartListId !== undefined) put('smartListId', next.smartListId);
          if (next.sort !== undefined) put('sort', next.sort === DEFAULT_SORT ? null : next.sort);
          if (next.dir !== undefined) put('dir', next.dir === DEFAULT_DIR ? null : next.dir);
          return updated;
        },
        { replace: options?.replace ?? false },
      );
    },
    [setParams],
  );

  return [view, change];
}

/** The list call's parameters for a view. */
export function listParamsOf(view: ContactsView): ContactListParams {
  return {
    search: view.search.trim(),
    smartListId: view.smartListId,
    filter: view.filter && view.filter.conditions.length > 0 ? JSON.stringify(view.filter) : null,
    sort: view.sort,
    dir: view.dir,
  };
}
