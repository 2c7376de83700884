import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { MAILING_STATUSES, type MailingStatus } from '../../../shared/mailings.ts';
import type { MailingListParams } from './mailings-api.ts';

/**
 * The list's filters read from the URL: `status` repeats, `q` is the name search. Unknown states
 * (a mangled link) are dropped, the states sorted, so one filter has one query key.
 */
export function filtersFromParams(params: URLSearchParams): MailingListParams {
  const status = [...new Set(params.getAll('status'))].filter((s): s is MailingStatus =>
    (MAILING_STATUSES as readonly string[]).includes(s),
  );
  status.sort((a, b) => MAILING_STATUSES.indexOf(a) - MAILING_STATUSES.indexOf(b));
  return { status, search: (params.get('q') ?? '').slice(0, 200) };
}

/** The URL's parameters with `change` applied; other parameters are kept. */
export function paramsWithFilters(
  current: URLSearchParams,
  change: Partial<MailingListParams>,
): URLSearchParams {
  const updated = new URLSearchParams(current);
  if (change.status !== undefined) {
    updated.delete('status');
    for (const status of change.status) updated.append('status', status);
  }
  if (change.search !== undefined) {
    if (change.search) updated.set('q', change.search);
    else updated.delete('q');
  }
  return updated;
}

/**
 * The filters in the URL, so reloads and shared links show the same list. A status change pushes
 * a history entry (Back restores it); typing in the search replaces the entry.
 */
export function useMailingFilters(): [MailingListParams, (change: Partial<MailingListParams>) => void] {
  const [params, setParams] = useSearchParams();
  // Recomputed only when the filters' own parameters change (the object is a query key).
  const statusKey = params.getAll('status').join(',');
  const q = params.get('q') ?? '';
  const filters = useMemo(
    () =>
      filtersFromParams(new URLSearchParams([...statusKey.split(',').map((s) => ['status', s]), ['q', q]])),
    [statusKey, q],
  );
  const change = useCallback(
    (next: Partial<MailingListParams>) =>
      setParams((current) => paramsWithFilters(current, next), { replace: next.status === undefined }),
    [setParams],
  );
  return [filters, change];
}
