import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../app/api-client.ts';
import { catalogKeys, contactKeys } from './contacts-api.ts';
import { contactPath } from './use-contact.ts';

export function useDeleteContact(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) => apiRequest('DELETE', contactPath(accountId, contactId)),
    onSuccess: async (_nothing, contactId) => {
      queryClient.removeQueries({ queryKey: contactKeys.detail(accountId, contactId) });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
      ]);
    },
  });
}
