import { useQuery } from '@tanstack/react-query';
import { auditListSchema } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkActionPath, bulkKeys } from './bulk-api.ts';

/** Who did what to an action, and when (oldest first). */
export function useBulkAudit(accountId: string, actionId: string) {
  return useQuery({
    queryKey: bulkKeys.audit(accountId, actionId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `${bulkActionPath(accountId, actionId)}/audit`, {
          schema: auditListSchema,
          signal,
        })
      ).items,
  });
}
