import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DistributableKind } from '../../../shared/distribution.ts';
import { mailingSchema } from '../../../shared/mailings.ts';
import { messageTemplateSchema } from '../../../shared/templates.ts';
import { apiRequest } from '../../app/api-client.ts';
import { mailingKeys, mailingPath } from '../mailings/mailings-api.ts';
import { templateKeys, templatesPath } from '../templates/templates-api.ts';

/**
 * Sets a template's or mailing's own activation status (PUT …/activation, right `mailings.manage`).
 * A mailing being sent answers 409 MAILING_BUSY. Refreshes the lists, the editor and the pickers.
 */
export function useElementActivation(accountId: string, kind: DistributableKind, elementId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (active: boolean) => {
      if (kind === 'mailing') {
        await apiRequest('PUT', `${mailingPath(accountId, elementId)}/activation`, {
          body: { active },
          schema: mailingSchema,
        });
      } else {
        await apiRequest('PUT', `${templatesPath(accountId)}/${encodeURIComponent(elementId)}/activation`, {
          body: { active },
          schema: messageTemplateSchema,
        });
      }
    },
    // The template pickers' queries live under the templates' key too.
    onSuccess: () =>
      queryClient.invalidateQueries({
        queryKey: kind === 'mailing' ? mailingKeys.all(accountId) : templateKeys.all(accountId),
      }),
  });
}
