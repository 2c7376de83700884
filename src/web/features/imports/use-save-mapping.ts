import { useMutation, useQueryClient } from '@tanstack/react-query';
import { importMappingSchema, type ImportSettings } from '../../../shared/imports.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, importsApiPath, mappingPath } from './imports-api.ts';

/** Saves the wizard's settings under a name: a new mapping, or over an existing one (`mappingId`). */
export function useSaveMapping(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ mappingId, ...body }: { mappingId?: string; name: string; settings: ImportSettings }) =>
      mappingId
        ? apiRequest('PUT', mappingPath(accountId, mappingId), { body, schema: importMappingSchema })
        : apiRequest('POST', `${importsApiPath(accountId)}/mappings`, { body, schema: importMappingSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.mappings(accountId) }),
  });
}
