import { useQuery } from '@tanstack/react-query';
import { audienceCountSchema, type AudienceQueryBody } from '../../../shared/mailings.ts';
import { apiRequest } from '../../app/api-client.ts';
import { mailingKeys, mailingPath, mailingsPath } from './mailings-api.ts';
import { keepPreviousInAccount } from '../../app/keep-previous.ts';

/**
 * The live count of an audience being edited (nothing is saved). The caller debounces `body`;
 * null asks nothing (no list chosen yet). The previous count stays shown while the next loads.
 */
export function useAudienceCount(accountId: string, body: AudienceQueryBody | null) {
  return useQuery({
    queryKey: mailingKeys.audience(accountId, body),
    queryFn: ({ signal }) =>
      apiRequest('POST', `${mailingsPath(accountId)}/audience`, {
        body: body!,
        schema: audienceCountSchema,
        signal,
      }),
    enabled: body !== null,
    placeholderData: keepPreviousInAccount(accountId),
    retry: false,
  });
}

/** The count of a saved mailing's audience right now (a re-send's without the already reached). */
export function useSavedAudience(accountId: string, mailingId: string, enabled: boolean) {
  return useQuery({
    queryKey: mailingKeys.savedAudience(accountId, mailingId),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${mailingPath(accountId, mailingId)}/audience`, {
        schema: audienceCountSchema,
        signal,
      }),
    enabled,
    // The schedule dialog shows the count as of its opening, never a stale one.
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}
