import { useMutation } from '@tanstack/react-query';
import type { ChangePasswordBody } from '../../../shared/auth.ts';
import { apiRequest } from '../../app/api-client.ts';

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => apiRequest('POST', '/api/me/password', { body }),
  });
}
