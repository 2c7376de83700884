import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema } from '../../../shared/bulk-actions.ts';
import type { MessagingSendBody } from '../../../shared/bulk-messaging.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useIdempotencyKey } from '../../app/use-idempotency-key.ts';
import { bulkKeys } from '../bulk-actions/bulk-api.ts';
import { storeAction } from '../bulk-actions/bulk-cache.ts';
import { messagingApiPath } from './messaging-api.ts';

/**
 * Starts a bulk email or SMS. One Idempotency-Key per dialog's send: a double click or a resend
 * after a lost answer starts one action; the server answers at once with the (preparing) action.
 */
export function useStartSend(accountId: string) {
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  return useMutation({
    mutationFn: (body: MessagingSendBody) =>
      apiRequest('POST', `${messagingApiPath(accountId)}/sends`, {
        body,
        schema: bulkActionSchema,
        headers: { 'idempotency-key': idempotency.current() },
      }),
    onSuccess: async (action) => {
      storeAction(queryClient, accountId, action);
      await queryClient.invalidateQueries({ queryKey: bulkKeys.lists(accountId) });
    },
    onSettled: (_data, error) => idempotency.settled(error ?? undefined),
  });
}
