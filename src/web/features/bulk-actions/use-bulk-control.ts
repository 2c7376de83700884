import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema, type BulkAction, type BulkControl } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath } from './bulk-api.ts';
import { invalidateActionData, storeAction } from './bulk-cache.ts';

/** The controls that are a plain POST without a body (edit_schedule has its own hook). */
export type SimpleControl = Exclude<BulkControl, 'edit_schedule'>;

const PATHS: Record<SimpleControl, string> = {
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  restore: 'restore',
  retry_failed: 'retry-failed',
  undo: 'undo',
};

/**
 * Applies a row-menu control. Pause, resume and cancel answer the changed action; restore, retry
 * and undo answer the new action they queued (which then shows at the top of the table).
 */
export function useBulkControl(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, control }: { action: BulkAction; control: SimpleControl }) =>
      apiRequest('POST', `${bulkActionPath(accountId, action.id)}/${PATHS[control]}`, {
        schema: bulkActionSchema,
      }),
    onSuccess: async (answer, { action }) => {
      storeAction(queryClient, accountId, answer);
      await invalidateActionData(queryClient, accountId, action.id);
    },
  });
}
