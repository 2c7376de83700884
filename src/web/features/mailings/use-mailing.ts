import { useQuery } from '@tanstack/react-query';
import { mailingSchema, type MailingStatus } from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { mailingKeys, mailingPath } from './mailings-api.ts';

// While a mailing moves on by itself (its slot comes, its send runs) the page follows it.
const MOVING: readonly MailingStatus[] = ['scheduled', 'sending'];
const FOLLOW_MS = 5_000;

/** One mailing (null id: a new one, nothing to load). */
export function useMailing(accountId: string, mailingId: string | null) {
  return useQuery({
    queryKey: mailingKeys.detail(accountId, mailingId ?? 'new'),
    queryFn: ({ signal }) =>
      apiRequest('GET', mailingPath(accountId, mailingId!), { schema: mailingSchema, signal }),
    enabled: mailingId !== null,
    refetchInterval: (query) =>
      query.state.data && MOVING.includes(query.state.data.status) ? FOLLOW_MS : false,
  });
}
