import { useQuery } from '@tanstack/react-query';
import { selectionPreviewSchema, type Selection } from '../../../../shared/contacts.ts';
import { apiRequest } from '../../../app/api-client.ts';
import { accountApiPath, contactKeys } from '../contacts-api.ts';
import { keepPreviousInAccount } from '../../../app/keep-previous.ts';

/**
 * The exact number of contacts a selection holds, from the same preview the bulk actions use.
 * No sample: only the count is shown. Keeps the last count while a changed selection is counted.
 */
export function useSelectionPreview(accountId: string, selection: Selection | null) {
  return useQuery({
    queryKey: contactKeys.selectionPreview(accountId, selection ?? { contactIds: [] }),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('POST', `${accountApiPath(accountId)}/selections/preview`, {
          body: { selection: selection!, sampleSize: 0 },
          schema: selectionPreviewSchema,
          signal,
        })
      ).count,
    enabled: selection !== null,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
