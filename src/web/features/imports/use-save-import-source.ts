import { useMutation, useQueryClient } from '@tanstack/react-query';
import { importSourceSchema, type CreateImportSourceBody } from '../../../shared/import-sources.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, importsApiPath, sourcePath } from './imports-api.ts';

/** Creates a source, or updates one (`sourceId`; secrets left out stay as they are). */
export function useSaveImportSource(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      sourceId,
      body,
    }: {
      sourceId: string | null;
      body: CreateImportSourceBody & { resetHostKey?: boolean };
    }) =>
      sourceId
        ? apiRequest('PATCH', sourcePath(accountId, sourceId), { body, schema: importSourceSchema })
        : apiRequest('POST', `${importsApiPath(accountId)}/sources`, { body, schema: importSourceSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.sources(accountId) }),
  });
}
