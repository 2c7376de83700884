import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { bulkStatsSchema } from '../../../shared/bulk-actions.ts';
import { apiRequest } from '../../app/api-client.ts';
import { apiLanguage, bulkActionPath, bulkKeys } from './bulk-api.ts';

/**
 * Totals, duration, throughput and the failure and skip reasons of an action (labelled in the UI's
 * language: switching it fetches them again); refreshed while it runs.
 */
export function useBulkStats(accountId: string, actionId: string, running: boolean) {
  const lang = apiLanguage(useTranslation().i18n.language);
  return useQuery({
    // Under the stats key, so that invalidating an action's stats reaches every language.
    queryKey: [...bulkKeys.stats(accountId, actionId), lang],
    queryFn: ({ signal }) =>
      apiRequest('GET', `${bulkActionPath(accountId, actionId)}/stats?lang=${lang}`, {
        schema: bulkStatsSchema,
        signal,
      }),
    refetchInterval: running ? 3_000 : false,
  });
}
