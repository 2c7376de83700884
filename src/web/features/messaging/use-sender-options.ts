import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';
import { senderProfileSchema } from '../../../shared/senders.ts';
import { listOf, messagingKeys } from './messaging-api.ts';

/** The account's sender profiles, for the email dialog's picker. */
export function useSenderOptions(accountId: string, enabled: boolean) {
  return useQuery({
    queryKey: messagingKeys.senderProfiles(accountId),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${accountApiPath(accountId)}/sender-profiles`, {
        schema: listOf(senderProfileSchema),
        signal,
      }),
    enabled,
  });
}
