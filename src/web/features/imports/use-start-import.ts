import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bulkActionSchema } from '../../../shared/bulk-actions.ts';
import type { StartImportBody } from '../../../shared/imports.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useIdempotencyKey } from '../../app/use-idempotency-key.ts';
import { bulkKeys } from '../bulk-actions/bulk-api.ts';
import { storeAction } from '../bulk-actions/bulk-cache.ts';
import { importsApiPath } from './imports-api.ts';

/**
 * Starts an import of an upload, or its dry run (`dryRun: true`): the answer is the `import` bulk
 * action, which then runs in the background. Sends an Idempotency-Key, so a double click or a resend
 * after a lost answer starts one import.
 */
export function useStartImport(accountId: string) {
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  return useMutation({
    mutationFn: (body: StartImportBody) =>
      apiRequest('POST', importsApiPath(accountId), {
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
