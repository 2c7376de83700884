import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema, type CreateBulkActionBody } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkApiPath, bulkKeys } from './bulk-api.ts';
import { storeAction } from './bulk-cache.ts';

/** Starts a bulk action: the selection is frozen now, the work runs in the background. */
export function useCreateBulkAction(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBulkActionBody) =>
      apiRequest('POST', bulkApiPath(accountId), { body, schema: bulkActionSchema }),
    onSuccess: async (action) => {
      storeAction(queryClient, accountId, action);
      await queryClient.invalidateQueries({ queryKey: bulkKeys.lists(accountId) });
    },
  });
}
