import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath, bulkKeys } from './bulk-api.ts';

// The route declares this answer inline rather than in src/shared: mirrored here until it moves there.
const restorePreviewSchema = z.object({ count: z.number().int(), restorableUntil: z.string() });

/** How many contacts a restore of a delete action brings back, and until when restore is possible. */
export function useRestorePreview(accountId: string, actionId: string | null) {
  return useQuery({
    queryKey: bulkKeys.restorePreview(accountId, actionId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${bulkActionPath(accountId, actionId!)}/restore-preview`, {
        schema: restorePreviewSchema,
        signal,
      }),
    enabled: actionId !== null,
    // Asked when the dialog opens: the count must be the current one.
    staleTime: 0,
  });
}
