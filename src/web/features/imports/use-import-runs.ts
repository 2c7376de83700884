import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { importRunSchema } from '../../../shared/import-sources.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, sourcePath } from './imports-api.ts';

const runListSchema = z.object({ items: z.array(importRunSchema) });

/** A source's runs, newest first; asked again every 5 s while one is running. */
export function useImportRuns(accountId: string, sourceId: string) {
  return useQuery({
    queryKey: importKeys.runs(accountId, sourceId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', `${sourcePath(accountId, sourceId)}/runs`, { schema: runListSchema, signal }))
        .items,
    refetchInterval: (query) => (query.state.data?.some((run) => run.state === 'running') ? 5_000 : false),
  });
}
