import { useMutation, useQueryClient } from '@tanstack/react-query';
import { importRunSchema } from '../../../shared/import-sources.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, sourcePath } from './imports-api.ts';

/** "Run now": pulls the source outside its schedule; the run then shows in its runs. */
export function useRunImportSource(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) =>
      apiRequest('POST', `${sourcePath(accountId, sourceId)}/run`, { schema: importRunSchema }),
    onSuccess: async (_run, sourceId) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: importKeys.sources(accountId) }),
        queryClient.invalidateQueries({ queryKey: importKeys.runs(accountId, sourceId) }),
      ]);
    },
  });
}
