import { useQuery, type QueryClient } from '@tanstack/react-query';
import { meResponseSchema, type MeResponse } from '../../../shared/auth.ts';
import { apiRequest, rememberCsrfToken } from '../api-client.ts';

export const meQueryKey = ['me'] as const;

async function fetchMe(signal: AbortSignal): Promise<MeResponse> {
  const me = await apiRequest('GET', '/api/me', { schema: meResponseSchema, signal });
  rememberCsrfToken(me.csrfToken);
  return me;
}

/** The logged-in user, their accounts and the CSRF token. Fails with UNAUTHENTICATED when nobody is logged in. */
export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: ({ signal }) => fetchMe(signal) });
}

/** Stores a MeResponse that came from elsewhere (the login answer), so the app needs no second round trip. */
export function rememberMe(queryClient: QueryClient, me: MeResponse): void {
  rememberCsrfToken(me.csrfToken);
  queryClient.setQueryData(meQueryKey, me);
}
