import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath } from './bulk-api.ts';
import { invalidateActionData, storeAction } from './bulk-cache.ts';

export function useRenameBulkAction(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ actionId, name }: { actionId: string; name: string }) =>
      apiRequest('PATCH', bulkActionPath(accountId, actionId), { body: { name }, schema: bulkActionSchema }),
    onSuccess: async (action) => {
      storeAction(queryClient, accountId, action);
      await invalidateActionData(queryClient, accountId, action.id);
    },
  });
}
