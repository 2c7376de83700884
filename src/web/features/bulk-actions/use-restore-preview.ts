import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath, bulkKeys } from './bulk-api.ts';

import { restorePreviewSchema } from '../../../shared/bulk-actions.ts';

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
