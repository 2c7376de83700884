import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { mergeFieldSchema } from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { templateKeys } from './templates-api.ts';

const mergeFieldListSchema = z.object({ items: z.array(mergeFieldSchema) });

/** The merge fields templates of the account may use (the insert menu). */
export function useMergeFields(accountId: string) {
  return useQuery({
    queryKey: templateKeys.mergeFields(accountId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `/api/accounts/${encodeURIComponent(accountId)}/merge-fields`, {
          schema: mergeFieldListSchema,
          signal,
        })
      ).items,
    staleTime: 60_000,
  });
}
