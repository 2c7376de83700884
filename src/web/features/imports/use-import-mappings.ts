import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { importMappingSchema } from '../../../shared/imports.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, importsApiPath } from './imports-api.ts';

const mappingListSchema = z.object({ items: z.array(importMappingSchema) });

/** The account's saved mappings (a one-off import loads one; a source imports with one). */
export function useImportMappings(accountId: string) {
  return useQuery({
    queryKey: importKeys.mappings(accountId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', `${importsApiPath(accountId)}/mappings`, {
          schema: mappingListSchema,
          signal,
        })
      ).items,
  });
}
