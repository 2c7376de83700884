import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, isSessionLost } from './api-client.ts';
import { meQueryKey } from './auth/use-me.ts';

/**
 * One client for the app. When any call finds the session gone, /api/me is asked again:
 * its 401 is what sends the user to the login page (see RequireAuth), so there is one way out.
 */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (isSessionLost(error)) void client.invalidateQueries({ queryKey: meQueryKey });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // /api/me's own 401 is handled where it is used (RequireAuth, the login page).
      onError: (error, query) => {
        if (query.queryKey[0] !== meQueryKey[0]) onError(error);
      },
    }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx answer will not change by asking again; network trouble and 5xx might.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}
