import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import type { ElementKind } from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { accountApiPath } from '../contacts/contacts-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

const named = z.object({ id: z.string(), name: z.string() });
// The list calls answer `{ items }` (lists, SmartLists, pages) or a bare array (sender profiles).
const namedList = z
  .union([z.object({ items: z.array(named) }), z.array(named)])
  .transform((value) => (Array.isArray(value) ? value : value.items));

/**
 * The list call of this account's own elements of `kind` whose name contains `search`, through
 * the existing list APIs (templates, mailings, subscriber lists, SmartLists, sender profiles).
 * Lists, SmartLists and sender profiles have no search on the server: filtered here.
 */
export function ownElementsPath(accountId: string, kind: ElementKind, search: string): string {
  const base = accountApiPath(accountId);
  const query = new URLSearchParams();
  const trimmed = search.trim().slice(0, 200);
  switch (kind) {
    case 'email_template':
    case 'sms_template':
      query.set('channel', kind === 'email_template' ? 'email' : 'sms');
      query.set('limit', '100');
      if (trimmed) query.set('search', trimmed);
      return `${base}/templates?${query.toString()}`;
    case 'mailing':
      query.set('limit', '100');
      if (trimmed) query.set('search', trimmed);
      return `${base}/mailings?${query.toString()}`;
    case 'subscriber_list':
      return `${base}/lists`;
    case 'target_group':
      return `${base}/smart-lists`;
    case 'sender_profile':
      return `${base}/sender-profiles`;
  }
}

/** This account's own elements of `kind` (id and name), for the source picker of a new substitute. */
export function useOwnElements(accountId: string, kind: ElementKind | null, search: string) {
  const trimmed = search.trim().toLocaleLowerCase();
  return useQuery({
    queryKey: ['accounts', accountId, 'own-elements', kind, trimmed],
    queryFn: async ({ signal }) => {
      const items = await apiRequest('GET', ownElementsPath(accountId, kind!, search), {
        schema: namedList,
        signal,
      });
      return items.filter((item) => item.name.toLocaleLowerCase().includes(trimmed));
    },
    enabled: kind !== null,
    placeholderData: keepPreviousInAccount(accountId),
  });
}
