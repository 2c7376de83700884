import { useQuery } from '@tanstack/react-query';
import { contactPageSchema } from '../../../shared/contacts.ts';
import { apiRequest } from '../../app/api-client.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

/** Contacts matching `search` (the first 20), to pick one for the preview. */
export function useContactOptions(accountId: string, search: string) {
  const query = new URLSearchParams({ limit: '20', sort: 'last_name', dir: 'asc' });
  if (search.trim()) query.set('search', search.trim());
  return useQuery({
    queryKey: ['accounts', accountId, 'contacts', 'template-preview-options', search.trim()] as const,
    queryFn: async ({ signal }) =>
      (
        await apiRequest(
          'GET',
          `/api/accounts/${encodeURIComponent(accountId)}/contacts?${query.toString()}`,
          {
            schema: contactPageSchema,
            signal,
          },
        )
      ).items,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
