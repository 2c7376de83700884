import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { acceptedKindsSchema, type AcceptedKinds } from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { distributionApiPath, distributionKeys } from './distribution-api.ts';

/** Which distributable kinds this account accepts from agencies above it (right `settings.manage`). */
export function useAcceptedKinds(accountId: string) {
  return useQuery({
    queryKey: distributionKeys.acceptedKinds(accountId),
    queryFn: ({ signal }) =>
      apiRequest('GET', `${distributionApiPath(accountId)}/accepted-kinds`, {
        schema: acceptedKindsSchema,
        signal,
      }),
  });
}

/** Saves the accepted kinds (the whole set). */
export function useSaveAcceptedKinds(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptedKinds) =>
      apiRequest('PUT', `${distributionApiPath(accountId)}/accepted-kinds`, {
        body,
        schema: acceptedKindsSchema,
      }),
    onSuccess: (saved) => queryClient.setQueryData(distributionKeys.acceptedKinds(accountId), saved),
  });
}
