import type { Channel } from '../../../shared/messaging.ts';

/** The templates calls of one account. */
export function templatesPath(accountId: string): string {
  return `/api/accounts/${encodeURIComponent(accountId)}/templates`;
}

/** What the list shows: the URL's filters. */
export interface TemplateListParams {
  channel: Channel | null;
  search: string;
}

export const templateKeys = {
  all: (accountId: string) => ['accounts', accountId, 'templates'] as const,
  list: (accountId: string, params: TemplateListParams) =>
    [...templateKeys.all(accountId), 'list', params] as const,
  detail: (accountId: string, templateId: string) =>
    [...templateKeys.all(accountId), 'detail', templateId] as const,
  mergeFields: (accountId: string) => ['accounts', accountId, 'merge-fields'] as const,
};

/** The list call's query string for `params` and a page cursor. */
export function listQuery(params: TemplateListParams, cursor: string | null): string {
  const query = new URLSearchParams();
  if (params.channel) query.set('channel', params.channel);
  if (params.search.trim()) query.set('search', params.search.trim());
  query.set('limit', '50');
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}
