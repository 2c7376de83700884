import { useMutation, useQueryClient } from '@tanstack/react-query';
import { mailingSchema, type ScheduleMailingBody } from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { useIdempotencyKey } from '../../app/use-idempotency-key.ts';
import { mailingKeys, mailingPath } from './mailings-api.ts';

/**
 * Schedules a mailing, or sends it now without `scheduledFor`. One Idempotency-Key per dialog:
 * a double click or a retry after a lost answer schedules it once.
 */
export function useScheduleMailing(accountId: string, mailingId: string) {
  const queryClient = useQueryClient();
  const idempotency = useIdempotencyKey();
  return useMutation({
    mutationFn: (body: ScheduleMailingBody) =>
      apiRequest('POST', `${mailingPath(accountId, mailingId)}/schedule`, {
        body,
        schema: mailingSchema,
        headers: { 'idempotency-key': idempotency.current() },
      }),
    onSuccess: async (mailing) => {
      queryClient.setQueryData(mailingKeys.detail(accountId, mailing.id), mailing);
      await queryClient.invalidateQueries({ queryKey: mailingKeys.lists(accountId) });
    },
    onSettled: (_data, error) => idempotency.settled(error ?? undefined),
  });
}
