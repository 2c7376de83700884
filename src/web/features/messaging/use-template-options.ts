import { useQuery } from '@tanstack/react-query';
import type { Channel } from '../../../shared/messaging.ts';
import { templatePageSchema } from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';
import { messagingKeys } from './messaging-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

// One page of names is plenty for a picker; typing narrows it on the server.
const PICKER_LIMIT = 50;

/**
 * The account's active templates of one channel whose name contains `search`, for the send
 * dialog's and the mailing editor's pickers (an inactive template cannot be used for new sends).
 */
export function useTemplateOptions(accountId: string, channel: Channel, search: string, enabled: boolean) {
  const query = new URLSearchParams({ channel, limit: String(PICKER_LIMIT) });
  const trimmed = search.trim().slice(0, 200);
  if (trimmed) query.set('search', trimmed);
  return useQuery({
    queryKey: [...messagingKeys.templates(accountId, channel), trimmed],
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `${accountApiPath(accountId)}/templates?${query.toString()}`, {
          schema: templatePageSchema,
          signal,
        })
      ).items.filter((template) => template.active),
    enabled,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
