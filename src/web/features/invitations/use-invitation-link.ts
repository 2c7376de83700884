import { useMutation, useQuery } from '@tanstack/react-query';
import {
  acceptedInvitationSchema,
  invitationLookupSchema,
  type AcceptInvitationBody,
} from '../../../shared/invitations.ts';
import { apiRequest } from '../../app/api-client.ts';

/** What the link in the invitation email invites to (no login needed). */
export function useInvitationLookup(token: string | null) {
  return useQuery({
    queryKey: ['invitation-link', token],
    queryFn: ({ signal }) =>
      apiRequest('POST', '/api/invitations/lookup', {
        body: { token },
        schema: invitationLookupSchema,
        signal,
      }),
    enabled: token !== null,
    retry: false,
  });
}

/** Accepts the link as a new user, with their own name and password. */
export function useAcceptInvitationLink() {
  return useMutation({
    mutationFn: (body: AcceptInvitationBody) =>
      apiRequest('POST', '/api/invitations/accept', { body, schema: acceptedInvitationSchema }),
  });
}
