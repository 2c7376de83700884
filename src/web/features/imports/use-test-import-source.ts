import { useMutation, useQueryClient } from '@tanstack/react-query';
import { connectionTestSchema } from '../../../shared/import-sources.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, sourcePath } from './imports-api.ts';

/** Tries a source step by step (resolve, connect, TLS, log in, list, match); an SFTP host key gets pinned. */
export function useTestImportSource(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) =>
      apiRequest('POST', `${sourcePath(accountId, sourceId)}/test`, { schema: connectionTestSchema }),
    // The first SFTP connect pins the host key: the table shows it.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.sources(accountId) }),
  });
}
