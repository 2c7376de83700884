import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mailingSchema, type MailingBody } from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { mailingKeys, mailingPath, mailingsPath } from './mailings-api.ts';

/** Saves a new mailing as a draft (`id` null) or changes one (a draft, or scheduled before its send). */
export function useSaveMailing(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (save: { id: string | null; body: MailingBody }) =>
      save.id === null
        ? apiRequest('POST', mailingsPath(accountId), { body: save.body, schema: mailingSchema })
        : apiRequest('PATCH', mailingPath(accountId, save.id), { body: save.body, schema: mailingSchema }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(mailingKeys.detail(accountId, saved.id), saved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: mailingKeys.savedAudience(accountId, saved.id) }),
        queryClient.invalidateQueries({ queryKey: mailingKeys.lists(accountId) }),
      ]);
    },
  });
}
