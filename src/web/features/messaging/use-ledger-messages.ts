import { useInfiniteQuery } from '@tanstack/react-query';
import { ledgerMessageSchema } from '../../../shared/bulk-messaging.ts';
import type { MessageStatus } from '../../../shared/messaging.ts';
import { pageSchema } from '../../../shared/primitives.ts';
import { apiRequest } from '../../app/api-client.ts';
import { ledgerUrl, messagingKeys } from './messaging-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

export const LEDGER_PAGE_SIZE = 50;
const ledgerPageSchema = pageSchema(ledgerMessageSchema);

/** The recipients of a bulk email or SMS (its ledger rows), page by page, optionally of one status. */
export function useLedgerMessages(
  accountId: string,
  actionId: string,
  status: MessageStatus | null,
  running: boolean,
) {
  return useInfiniteQuery({
    queryKey: messagingKeys.ledger(accountId, actionId, status),
    queryFn: ({ pageParam, signal }) =>
      apiRequest('GET', ledgerUrl(accountId, actionId, status, pageParam, LEDGER_PAGE_SIZE), {
        schema: ledgerPageSchema,
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousInAccount(accountId),
    // While it runs, rows change state: the loaded pages are fetched again now and then.
    refetchInterval: running ? 5_000 : false,
  });
}
