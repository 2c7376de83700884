import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath } from './bulk-api.ts';
import { invalidateActionData, storeAction } from './bulk-cache.ts';

/** Moves a queued action to another start time. */
export function useEditSchedule(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ actionId, scheduledFor }: { actionId: string; scheduledFor: string }) =>
      apiRequest('POST', `${bulkActionPath(accountId, actionId)}/schedule`, {
        body: { scheduledFor },
        schema: bulkActionSchema,
      }),
    onSuccess: async (action) => {
      storeAction(queryClient, accountId, action);
      await invalidateActionData(queryClient, accountId, action.id);
    },
  });
}
