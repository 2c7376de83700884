import { useInfiniteQuery } from '@tanstack/react-query';
import { mailingPageSchema } from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { listQuery, mailingKeys, mailingsPath, type MailingListParams } from './mailings-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

// While a shown mailing waits for its slot or sends, the list follows its status and figures.
const FOLLOW_MS = 10_000;

/** The account's mailings matching the filters, newest first, a page at a time. */
export function useMailings(accountId: string, params: MailingListParams) {
  return useInfiniteQuery({
    queryKey: mailingKeys.list(accountId, params),
    queryFn: ({ pageParam, signal }) =>
      apiRequest('GET', `${mailingsPath(accountId)}?${listQuery(params, pageParam)}`, {
        schema: mailingPageSchema,
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) =>
        page.items.some((m) => m.status === 'scheduled' || m.status === 'sending'),
      )
        ? FOLLOW_MS
        : false,
  });
}
