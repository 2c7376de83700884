import { useQuery } from '@tanstack/react-query';
import { importSummarySchema } from '../../../shared/imports.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, importsApiPath } from './imports-api.ts';

/**
 * An import's own figures (rows read, created, updated, …). Asked again every 2 s while `running`,
 * and once more when `running` turns false (the key carries it), so the final counts show.
 */
export function useImportSummary(accountId: string, actionId: string, running: boolean) {
  return useQuery({
    queryKey: [...importKeys.summary(accountId, actionId), running] as const,
    queryFn: ({ signal }) =>
      apiRequest('GET', `${importsApiPath(accountId)}/${encodeURIComponent(actionId)}`, {
        schema: importSummarySchema,
        signal,
      }),
    refetchInterval: running ? 2_000 : false,
    placeholderData: (previous) => previous,
  });
}
