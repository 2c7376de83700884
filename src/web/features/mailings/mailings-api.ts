import type { MailingStatus } from '../../../shared/mailings.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';

/** The mailings calls of one account (`/api/accounts/:accountId/mailings`). */
export function mailingsPath(accountId: string): string {
  return `${accountApiPath(accountId)}/mailings`;
}

/** One mailing's calls (`…/mailings/:mailingId`). */
export function mailingPath(accountId: string, mailingId: string): string {
  return `${mailingsPath(accountId)}/${encodeURIComponent(mailingId)}`;
}

/** What the list shows: the URL's filters. */
export interface MailingListParams {
  /** Shown states; empty: all. */
  status: MailingStatus[];
  /** Part of the name. */
  search: string;
}

// A page of the list: enough to fill a screen, small enough to answer fast.
const PAGE_SIZE = 25;

/** The list call's query string for `params` and a page cursor (`status` repeats). */
export function listQuery(params: MailingListParams, cursor: string | null): string {
  const query = new URLSearchParams();
  for (const status of params.status) query.append('status', status);
  const search = params.search.trim().slice(0, 200);
  if (search) query.set('search', search);
  query.set('limit', String(PAGE_SIZE));
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

/**
 * Query keys. Everything of one mailing (detail, saved audience) sits under its `detail`, so a
 * control or save refreshes all of it; lists under `list`.
 */
export const mailingKeys = {
  all: (accountId: string) => ['accounts', accountId, 'mailings'] as const,
  lists: (accountId: string) => [...mailingKeys.all(accountId), 'list'] as const,
  list: (accountId: string, params: MailingListParams) => [...mailingKeys.lists(accountId), params] as const,
  detail: (accountId: string, mailingId: string) =>
    [...mailingKeys.all(accountId), 'detail', mailingId] as const,
  savedAudience: (accountId: string, mailingId: string) =>
    [...mailingKeys.detail(accountId, mailingId), 'audience'] as const,
  audience: (accountId: string, body: unknown) => [...mailingKeys.all(accountId), 'audience', body] as const,
};
