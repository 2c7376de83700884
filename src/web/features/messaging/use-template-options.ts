import { useQuery } from '@tanstack/react-query';
import type { Channel } from '../../../shared/messaging.ts';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';
import { listOf, messagingKeys, templateOptionSchema } from './messaging-api.ts';

/** The account's templates of one channel, for the send dialog's picker. */
export function useTemplateOptions(accountId: string, channel: Channel, enabled: boolean) {
  return useQuery({
    queryKey: messagingKeys.templates(accountId, channel),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${accountApiPath(accountId)}/templates?channel=${channel}&limit=200`, {
        schema: listOf(templateOptionSchema),
        signal,
      }),
    enabled,
  });
}
