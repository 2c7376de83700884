import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { apiRequest, rememberCsrfToken } from '../api-client.ts';

/** Ends the session, forgets everything cached for this user and goes to the login page. */
export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { i18n } = useTranslation();
  return useMutation({
    mutationFn: () => apiRequest('POST', '/api/auth/logout'),
    // Also when the call fails: the user asked to leave, and a dead session is as good as ended.
    onSettled: async () => {
      rememberCsrfToken(null);
      queryClient.clear();
      await navigate('/login', { replace: true });
      // Nobody is logged in any more: back to the browser's language.
      await i18n.changeLanguage();
    },
  });
}
