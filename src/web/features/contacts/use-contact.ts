import { useQuery } from '@tanstack/react-query';
import { contactSchema } from '../../../shared/contacts.ts';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath, contactKeys } from './contacts-api.ts';

export function contactPath(accountId: string, contactId: string): string {
  return `${accountApiPath(accountId)}/contacts/${encodeURIComponent(contactId)}`;
}

/** One contact, fresh from the server (the drawer edits this, not the possibly older table row). */
export function useContact(accountId: string, contactId: string | null) {
  return useQuery({
    queryKey: contactKeys.detail(accountId, contactId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest('GET', contactPath(accountId, contactId!), { schema: contactSchema, signal }),
    enabled: contactId !== null,
  });
}
