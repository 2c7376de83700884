import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { deliveryResultsSchema } from '../../../shared/bulk-messaging.ts';
import { apiRequest } from '../../app/api-client.ts';
import { apiLanguage, bulkActionPath } from '../bulk-actions/bulk-api.ts';
import { messagingKeys } from './messaging-api.ts';

/**
 * The delivery results of a bulk email or SMS from its send ledger (reason labels in the UI's
 * language); refreshed while the action runs. Provider events (delivered, bounced) keep arriving
 * after it ended: opening the page again shows them.
 */
export function useDeliveryResults(accountId: string, actionId: string, running: boolean) {
  const lang = apiLanguage(useTranslation().i18n.language);
  return useQuery({
    queryKey: [...messagingKeys.deliveries(accountId, actionId), lang],
    queryFn: ({ signal }) =>
      apiRequest('GET', `${bulkActionPath(accountId, actionId)}/deliveries?lang=${lang}`, {
        schema: deliveryResultsSchema,
        signal,
      }),
    refetchInterval: running ? 3_000 : false,
  });
}
