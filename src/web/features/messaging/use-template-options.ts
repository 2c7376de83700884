import { useQuery } from '@tanstack/react-query';
import type { Channel } from '../../../shared/messaging.ts';
import { templatePageSchema } from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';
import { messagingKeys } from './messaging-api.ts';

// The list's largest page: a picker offers the first 200 templates of a channel (by name).
const PICKER_LIMIT = 200;

/** The account's templates of one channel, for the send dialog's picker. */
export function useTemplateOptions(accountId: string, channel: Channel, enabled: boolean) {
  return useQuery({
    queryKey: messagingKeys.templates(accountId, channel),
    queryFn: async ({ signal }) =>
      (
        await apiRequest(
          'GET',
          `${accountApiPath(accountId)}/templates?channel=${channel}&limit=${PICKER_LIMIT}`,
          {
            schema: templatePageSchema,
            signal,
          },
        )
      ).items,
    enabled,
  });
}
