import { useQuery } from '@tanstack/react-query';
import { outboxPageSchema } from '../../../shared/notifications.ts';
import { apiRequest } from '../../app/api-client.ts';

export const outboxQueryKey = ['outbox'] as const;

// Emails move through pending → queued → sending → sent in the background: follow them while any is on its way.
const UNDERWAY = new Set(['pending', 'queued', 'sending', 'retrying']);
const POLL_MS = 5_000;

/** The user's system-message emails, newest first. */
export function useOutbox() {
  return useQuery({
    queryKey: outboxQueryKey,
    queryFn: async ({ signal }) =>
      (await apiRequest('GET', '/api/me/outbox', { schema: outboxPageSchema, signal })).items,
    refetchInterval: (query) =>
      query.state.data?.some((email) => UNDERWAY.has(email.status)) ? POLL_MS : false,
  });
}
