import { useMutation, useQueryClient } from '@tanstack/react-query';
import { contactSchema, type CreateContactBody } from '../../../shared/contacts.ts';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath, catalogKeys, contactKeys } from './contacts-api.ts';

export function useCreateContact(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateContactBody) =>
      apiRequest('POST', `${accountApiPath(accountId)}/contacts`, { body, schema: contactSchema }),
    onSuccess: async () => {
      // New rows, new counts (tables, SmartLists, tags and lists with their member counts).
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.all(accountId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.tags(accountId) }),
        queryClient.invalidateQueries({ queryKey: catalogKeys.lists(accountId) }),
      ]);
    },
  });
}
