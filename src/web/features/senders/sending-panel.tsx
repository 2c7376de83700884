import { Divider, Loader, Stack } from '@mantine/core';
import type { MyAccount } from '../../../shared/auth.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { EmailServerSection } from './email-server-section.tsx';
import { SenderProfilesSection } from './sender-profiles-section.tsx';
import { SmsProviderSection } from './sms-provider-section.tsx';
import { TestSendSection } from './test-send-section.tsx';
import { useMessagingSettings } from './use-messaging-settings.ts';
import { useSenderProfiles } from './use-sender-profiles.ts';
import { WebhooksSection } from './webhooks-section.tsx';

/**
 * The "Sending" tab of the account settings: SMTP server and email rate, sender profiles, SMS
 * provider and rate, webhook URLs and secret, and test messages. Secrets are write-only.
 */
export function SendingPanel({ account }: { account: MyAccount }) {
  const settings = useMessagingSettings(account.id);
  const profiles = useSenderProfiles(account.id);
  if (settings.isPending || profiles.isPending) return <Loader size="sm" />;
  if (settings.isError) return <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  if (profiles.isError) return <ErrorAlert error={profiles.error} onRetry={() => void profiles.refetch()} />;
  const data = settings.data;
  return (
    <Stack gap="xl" data-testid="sending-panel">
      <EmailServerSection key={`smtp-${account.id}`} accountId={account.id} settings={data} />
      <Divider />
      <SenderProfilesSection accountId={account.id} profiles={profiles.data} />
      <Divider />
      <SmsProviderSection key={`sms-${account.id}`} accountId={account.id} settings={data} />
      <Divider />
      <WebhooksSection accountId={account.id} settings={data} />
      <Divider />
      <TestSendSection accountId={account.id} settings={data} profiles={profiles.data} />
    </Stack>
  );
}
