import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema, type BulkAction, type BulkControl } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useIdempotencyKey } from '../../app/use-idempotency-key.ts';
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

// The controls that create a new action: they carry an Idempotency-Key, so a double click makes one.
const CREATING: ReadonlySet<SimpleControl> = new Set(['restore', 'retry_failed', 'undo']);

/**
 * Applies a row-menu control. Pause, resume and cancel answer the changed action; restore, retry
 * and undo answer the new action they queued (which then shows at the top of the table).
 */
export function useBulkControl(accountId: string) {
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  return useMutation({
    mutationFn: ({ action, control }: { action: BulkAction; control: SimpleControl }) =>
      apiRequest('POST', `${bulkActionPath(accountId, action.id)}/${PATHS[control]}`, {
        schema: bulkActionSchema,
        headers: CREATING.has(control) ? { 'idempotency-key': idempotency.current() } : undefined,
      }),
    onSuccess: async (answer, { action }) => {
      storeAction(queryClient, accountId, answer);
      await invalidateActionData(queryClient, accountId, action.id);
    },
    onSettled: (_data, error) => idempotency.settled(error ?? undefined),
  });
}
