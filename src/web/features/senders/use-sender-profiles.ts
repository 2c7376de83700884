import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  senderProfileSchema,
  type SenderProfileBody,
  type SenderProfileUpdate,
} from '../../../shared/senders.ts';
import { apiRequest } from '../../app/api-client.ts';
import { deletePath } from '../distribution/substitute-usage.ts';

export const senderProfilesKey = (accountId: string) => ['accounts', accountId, 'sender-profiles'] as const;

const path = (accountId: string, id?: string) =>
  `/api/accounts/${encodeURIComponent(accountId)}/sender-profiles${id ? `/${encodeURIComponent(id)}` : ''}`;

/** The account's sender profiles, the default first. */
export function useSenderProfiles(accountId: string) {
  return useQuery({
    queryKey: senderProfilesKey(accountId),
    queryFn: async ({ signal }) =>
      (
        await apiRequest('GET', path(accountId), {
          schema: z.object({ items: z.array(senderProfileSchema) }),
          signal,
        })
      ).items,
  });
}

/** Creates a profile, or changes one when `id` is given. */
export function useSaveSenderProfile(accountId: string, id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SenderProfileBody | SenderProfileUpdate) =>
      id
        ? apiRequest('PATCH', path(accountId, id), { body, schema: senderProfileSchema })
        : apiRequest('POST', path(accountId), { body, schema: senderProfileSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: senderProfilesKey(accountId) }),
  });
}

export function useDeleteSenderProfile(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // `confirm`: also when it stands in for an agency's sender profile (else 409 SUBSTITUTE_IN_USE).
    mutationFn: ({ id, confirm = false }: { id: string; confirm?: boolean }) =>
      apiRequest('DELETE', deletePath(path(accountId, id), confirm)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: senderProfilesKey(accountId) }),
  });
}
