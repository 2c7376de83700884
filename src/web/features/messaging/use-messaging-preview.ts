import { useQuery } from '@tanstack/react-query';
import { messagingPreviewSchema, type MessagingSendBody } from '../../../shared/bulk-messaging.ts';
import { apiRequest } from '../../app/api-client.ts';
import { messagingApiPath, messagingKeys } from './messaging-api.ts';

/**
 * What a send would do (count, sendable, skipped by reason, missing merge fields, SMS segments),
 * asked fresh each time; null body: nothing to ask yet.
 */
export function useMessagingPreview(accountId: string, body: MessagingSendBody | null) {
  return useQuery({
    queryKey: messagingKeys.preview(
      accountId,
      body ?? { channel: 'email', selection: { contactIds: ['0'] } },
    ),
    queryFn: ({ signal }) =>
      apiRequest('POST', `${messagingApiPath(accountId)}/preview`, {
        body: body!,
        schema: messagingPreviewSchema,
        signal,
      }),
    enabled: body !== null,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}
