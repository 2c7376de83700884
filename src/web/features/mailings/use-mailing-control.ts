import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mailingSchema } from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { mailingKeys, mailingPath } from './mailings-api.ts';
import type { MailingControl } from './mailing-status.ts';

/** What a control call needs: the mailing, and for `reschedule` the new slot (ISO instant). */
export interface ControlRequest {
  mailingId: string;
  control: MailingControl;
  scheduledFor?: string;
}

/** Pauses, resumes, cancels or reschedules a mailing; answers the mailing as it is now. */
export function useMailingControl(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ mailingId, control, scheduledFor }: ControlRequest) =>
      apiRequest('POST', `${mailingPath(accountId, mailingId)}/${control}`, {
        body: control === 'reschedule' ? { scheduledFor } : {},
        schema: mailingSchema,
      }),
    onSuccess: async (mailing) => {
      queryClient.setQueryData(mailingKeys.detail(accountId, mailing.id), mailing);
      await queryClient.invalidateQueries({ queryKey: mailingKeys.lists(accountId) });
    },
  });
}
