import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mailingSchema, type ResendMailingBody } from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { mailingKeys, mailingPath } from './mailings-api.ts';

/** Creates a corrected re-send of a sent or failed mailing: a new draft in its family. */
export function useResendMailing(accountId: string, sourceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ResendMailingBody) =>
      apiRequest('POST', `${mailingPath(accountId, sourceId)}/resend`, { body, schema: mailingSchema }),
    onSuccess: async (created) => {
      queryClient.setQueryData(mailingKeys.detail(accountId, created.id), created);
      await queryClient.invalidateQueries({ queryKey: mailingKeys.lists(accountId) });
    },
  });
}
