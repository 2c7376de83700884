import type { ElementKind } from '../../../shared/distribution.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';

/** The substitute calls of a source account (`/api/accounts/:accountId/substitutes`). */
export function substitutesApiPath(accountId: string): string {
  return `${accountApiPath(accountId)}/substitutes`;
}

/** The filters of the substitutes table (each optional). */
export interface SubstituteFilters {
  targetAccountId: string | null;
  kind: ElementKind | null;
  sourceId: string | null;
  search: string;
}

/** The list call's query string for `filters` and a page cursor. */
export function substitutesQuery(filters: SubstituteFilters, cursor: string | null): string {
  const query = new URLSearchParams();
  if (filters.targetAccountId) query.set('targetAccountId', filters.targetAccountId);
  if (filters.kind) query.set('kind', filters.kind);
  if (filters.sourceId) query.set('sourceId', filters.sourceId);
  const search = filters.search.trim().slice(0, 200);
  if (search) query.set('search', search);
  query.set('limit', '100');
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

/**
 * The CSV export's address for the table's filters (the same as the list call's, without paging),
 * so the file holds the rows the table shows. A plain link: the browser downloads it with the
 * session cookie.
 */
export function substitutesExportUrl(accountId: string, filters: SubstituteFilters): string {
  const query = new URLSearchParams(substitutesQuery(filters, null));
  query.delete('limit');
  const text = query.toString();
  return `${substitutesApiPath(accountId)}/export.csv${text ? `?${text}` : ''}`;
}
