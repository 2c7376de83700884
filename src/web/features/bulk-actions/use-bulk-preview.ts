import { useQuery } from '@tanstack/react-query';
import { bulkPreviewSchema, type CreateBulkActionBody } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { bulkApiPath, bulkKeys } from './bulk-api.ts';

/** The count and generated name of an action before it is started; null body: nothing to ask yet. */
export function useBulkPreview(accountId: string, body: CreateBulkActionBody | null) {
  return useQuery({
    queryKey: bulkKeys.preview(accountId, body ?? { type: 'add_tag', selection: { contactIds: ['0'] } }),
    queryFn: ({ signal }) =>
      apiRequest('POST', `${bulkApiPath(accountId)}/preview`, {
        body: body!,
        schema: bulkPreviewSchema,
        signal,
      }),
    enabled: body !== null,
    staleTime: 0,
    gcTime: 0,
  });
}
