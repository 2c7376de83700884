import { useQuery } from '@tanstack/react-query';
import { contactDeliverabilitySchema } from '../../../shared/deliverability.ts';
import { apiRequest } from '../../app/api-client.ts';
import { contactKeys } from '../contacts/contacts-api.ts';
import { contactPath } from '../contacts/use-contact.ts';

/** A contact's deliverability (email and phone) and opt-out history, beside its detail. */
export function useContactDeliverability(accountId: string, contactId: string) {
  return useQuery({
    queryKey: [...contactKeys.detail(accountId, contactId), 'deliverability'] as const,
    queryFn: ({ signal }) =>
      apiRequest('GET', `${contactPath(accountId, contactId)}/deliverability`, {
        schema: contactDeliverabilitySchema,
        signal,
      }),
  });
}
