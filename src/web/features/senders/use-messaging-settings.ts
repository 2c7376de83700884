import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  messagingSettingsSchema,
  testSendResultSchema,
  webhookSecretSchema,
  type MessagingSettingsUpdate,
  type TestEmailBody,
  type TestSmsBody,
} from '../../../shared/senders.ts';
import { apiRequest } from '../../app/api-client.ts';

export const messagingSettingsKey = (accountId: string) =>
  ['accounts', accountId, 'messaging-settings'] as const;

export const messagingSettingsPath = (accountId: string, rest = '') =>
  `/api/accounts/${encodeURIComponent(accountId)}/messaging-settings${rest}`;

/** The account's messaging settings (secrets never come back). */
export function useMessagingSettings(accountId: string) {
  return useQuery({
    queryKey: messagingSettingsKey(accountId),
    queryFn: ({ signal }) =>
      apiRequest('GET', messagingSettingsPath(accountId), { schema: messagingSettingsSchema, signal }),
  });
}

/** Saves a change of the settings; omitted fields and secrets stay as they are. */
export function useUpdateMessagingSettings(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MessagingSettingsUpdate) =>
      apiRequest('PATCH', messagingSettingsPath(accountId), { body, schema: messagingSettingsSchema }),
    onSuccess: (settings) => queryClient.setQueryData(messagingSettingsKey(accountId), settings),
  });
}

/** Generates a new webhook secret; the answer is the only time it is shown. */
export function useRegenerateWebhookSecret(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiRequest('POST', messagingSettingsPath(accountId, '/webhook-secret'), {
        schema: webhookSecretSchema,
      }),
    onSuccess: (answer) => queryClient.setQueryData(messagingSettingsKey(accountId), answer.settings),
  });
}

/** Sends one test email now. */
export function useTestEmail(accountId: string) {
  return useMutation({
    mutationFn: (body: TestEmailBody) =>
      apiRequest('POST', messagingSettingsPath(accountId, '/test-email'), {
        body,
        schema: testSendResultSchema,
      }),
  });
}

/** Sends one test SMS now. */
export function useTestSms(accountId: string) {
  return useMutation({
    mutationFn: (body: TestSmsBody) =>
      apiRequest('POST', messagingSettingsPath(accountId, '/test-sms'), {
        body,
        schema: testSendResultSchema,
      }),
  });
}
