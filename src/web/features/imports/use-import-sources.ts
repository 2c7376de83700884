import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { importSourceSchema } from '../../../shared/import-sources.ts';
import { apiRequest } from '../../app/api-client.ts';
import { importKeys, importsApiPath } from './imports-api.ts';

const sourceListSchema = z.object({ items: z.array(importSourceSchema) });

/**
 * The account's remote import sources with their last run and next run. Refreshed every 5 s while
 * a run is going, else every 30 s (schedules run on their own).
 */
export function useImportSources(accountId: string) {
  return useQuery({
    queryKey: importKeys.sources(accountId),
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', `${importsApiPath(accountId)}/sources`, { schema: sourceListSchema, signal }))
        .items,
    refetchInterval: (query) =>
      query.state.data?.some((source) => source.lastRun?.state === 'running') ? 5_000 : 30_000,
  });
}
