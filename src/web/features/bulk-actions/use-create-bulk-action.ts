import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema, type CreateBulkActionBody } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useIdempotencyKey } from '../../app/use-idempotency-key.ts';
import { bulkApiPath, bulkKeys } from './bulk-api.ts';
import { storeAction } from './bulk-cache.ts';

/**
 * Starts a bulk action. The server answers at once, with an action that may still be `preparing`
 * (its selection is frozen in the background); the work runs in the background. Sends an
 * Idempotency-Key, so a double submit or a resend after a lost answer starts one action.
 */
export function useCreateBulkAction(accountId: string) {
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  return useMutation({
    mutationFn: (body: CreateBulkActionBody) =>
      apiRequest('POST', bulkApiPath(accountId), {
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
