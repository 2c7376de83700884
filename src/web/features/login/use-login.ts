import { useMutation, useQueryClient } from '@tanstack/react-query';
import { meResponseSchema, type LoginBody } from '../../../shared/auth.ts';
import { apiRequest } from '../../app/api-client.ts';
import { rememberMe } from '../../app/auth/use-me.ts';

/** Logs in; the answer is the new session's MeResponse, so the app can start without asking /api/me. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) =>
      apiRequest('POST', '/api/auth/login', { body, schema: meResponseSchema }),
    onSuccess: (me) => {
      // Nothing cached for an earlier user may show through.
      queryClient.removeQueries();
      rememberMe(queryClient, me);
    },
  });
}
