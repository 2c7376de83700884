// The statistics page's calls: the mailing (for its action and failure), its statistics (reason
// labels in the UI's language), the recipient pages by state, and the CSV export's address.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  mailingRecipientPageSchema,
  mailingSchema,
  mailingStatisticsSchema,
  type RecipientFilter,
} from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { apiLanguage } from '../bulk-actions/bulk-api.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

/** Recipients per page of the table. */
export const RECIPIENT_PAGE_SIZE = 50;

/** The API address of one mailing. */
export function mailingApiPath(accountId: string, mailingId: string): string {
  return `${accountApiPath(accountId)}/mailings/${encodeURIComponent(mailingId)}`;
}

/** The CSV of the recipients in `state` (all when null): a plain link, the browser sends the cookie. */
export function recipientsCsvPath(
  accountId: string,
  mailingId: string,
  state: RecipientFilter | null,
): string {
  const query = state ? `?state=${state}` : '';
  return `${mailingApiPath(accountId, mailingId)}/recipients.csv${query}`;
}

/** Query keys, under the mailings of the account (a change to a mailing refreshes its statistics). */
export const mailingStatsKeys = {
  all: (accountId: string, mailingId: string) => ['accounts', accountId, 'mailings', mailingId] as const,
  mailing: (accountId: string, mailingId: string) =>
    [...mailingStatsKeys.all(accountId, mailingId), 'detail'] as const,
  statistics: (accountId: string, mailingId: string, lang: string) =>
    [...mailingStatsKeys.all(accountId, mailingId), 'statistics', lang] as const,
  recipients: (accountId: string, mailingId: string, state: RecipientFilter | null) =>
    [...mailingStatsKeys.all(accountId, mailingId), 'recipients', state] as const,
};

/** The mailing itself (its action, failure reason): the Mailings module's own read. */
export function useMailing(accountId: string, mailingId: string) {
  return useQuery({
    queryKey: mailingStatsKeys.mailing(accountId, mailingId),
    queryFn: ({ signal }) =>
      apiRequest('GET', mailingApiPath(accountId, mailingId), { schema: mailingSchema, signal }),
    retry: false,
  });
}

/** The statistics, refreshed every few seconds while the mailing sends. */
export function useMailingStatistics(accountId: string, mailingId: string) {
  const lang = apiLanguage(useTranslation().i18n.language);
  return useQuery({
    queryKey: mailingStatsKeys.statistics(accountId, mailingId, lang),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${mailingApiPath(accountId, mailingId)}/statistics?lang=${lang}`, {
        schema: mailingStatisticsSchema,
        signal,
      }),
    refetchInterval: (query) => (query.state.data?.status === 'sending' ? 5_000 : false),
  });
}

/** The recipients in `state` (all when null), page by page. */
export function useMailingRecipients(accountId: string, mailingId: string, state: RecipientFilter | null) {
  return useInfiniteQuery({
    queryKey: mailingStatsKeys.recipients(accountId, mailingId, state),
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(RECIPIENT_PAGE_SIZE) });
      if (state) query.set('state', state);
      if (pageParam) query.set('cursor', pageParam);
      return apiRequest('GET', `${mailingApiPath(accountId, mailingId)}/recipients?${query}`, {
        schema: mailingRecipientPageSchema,
        signal,
      });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
