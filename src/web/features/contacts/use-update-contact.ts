import { useMutation, useQueryClient } from '@tanstack/react-query';
import { contactSchema, type UpdateContactBody } from '../../../shared/contacts.ts';
import { apiRequest } from '../../app/api-client.ts';
import { catalogKeys, contactKeys } from './contacts-api.ts';
import { contactPath } from './use-contact.ts';

export function useUpdateContact(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, body }: { contactId: string; body: UpdateContactBody }) =>
      apiRequest('PATCH', contactPath(accountId, contactId), { body, schema: contactSchema }),
    onSuccess: async (contact) => {
      queryClient.setQueryData(contactKeys.detail(accountId, contact.id), contact);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
      ]);
    },
  });
}
