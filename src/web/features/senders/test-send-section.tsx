import { Alert, Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessagingSettings, SenderProfile, TestSendResult } from '../../../shared/senders.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useTestEmail, useTestSms } from './use-messaging-settings.ts';

function Result({ result, testId }: { result: TestSendResult; testId: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      color={result.ok ? 'green' : 'red'}
      icon={result.ok ? <IconCheck /> : <IconAlertCircle />}
      title={result.ok ? t('senders.test.ok') : t('senders.test.failed')}
      data-testid={testId}
      data-ok={result.ok}
    >
      {result.detail}
    </Alert>
  );
}

/** "Send test message": one email or SMS now, through the saved settings; the other side's answer shown. */
export function TestSendSection({
  accountId,
  settings,
  profiles,
}: {
  accountId: string;
  settings: MessagingSettings;
  profiles: SenderProfile[];
}) {
  const { t } = useTranslation();
  const testEmail = useTestEmail(accountId);
  const testSms = useTestSms(accountId);
  const [emailTo, setEmailTo] = useState('');
  const [profileId, setProfileId] = useState<string | null>(null);
  const [smsTo, setSmsTo] = useState('');

  const sendEmail = (event: FormEvent) => {
    event.preventDefault();
    testEmail.mutate({ to: emailTo.trim(), ...(profileId ? { senderProfileId: profileId } : {}) });
  };
  const sendSms = (event: FormEvent) => {
    event.preventDefault();
    testSms.mutate({ to: smsTo.trim() });
  };

  return (
    <Stack maw={560}>
      <Title order={4}>{t('senders.test.title')}</Title>
      <form onSubmit={sendEmail} noValidate>
        <Stack gap="xs">
          <Group align="flex-end" grow>
            <TextInput
              label={t('senders.test.emailTo')}
              type="email"
              value={emailTo}
              onChange={(e) => setEmailTo(e.currentTarget.value)}
              data-testid="senders-test-email-to"
            />
            {profiles.length > 0 && (
              <Select
                label={t('senders.test.profile')}
                placeholder={t('senders.test.defaultProfile')}
                data={profiles.map((p) => ({ value: p.id, label: p.name }))}
                value={profileId}
                onChange={setProfileId}
                clearable
              />
            )}
          </Group>
          <Group>
            <Button
              type="submit"
              variant="light"
              loading={testEmail.isPending}
              data-testid="senders-test-email"
            >
              {t('senders.test.sendEmail')}
            </Button>
          </Group>
          {testEmail.isError && <ErrorAlert error={testEmail.error} />}
          {testEmail.data && <Result result={testEmail.data} testId="senders-test-email-result" />}
        </Stack>
      </form>
      {settings.sms && (
        <form onSubmit={sendSms} noValidate>
          <Stack gap="xs">
            <TextInput
              label={t('senders.test.smsTo')}
              type="tel"
              value={smsTo}
              onChange={(e) => setSmsTo(e.currentTarget.value)}
              data-testid="senders-test-sms-to"
            />
            <Group>
              <Button
                type="submit"
                variant="light"
                loading={testSms.isPending}
                data-testid="senders-test-sms"
              >
                {t('senders.test.sendSms')}
              </Button>
            </Group>
            {testSms.isError && <ErrorAlert error={testSms.error} />}
            {testSms.data && <Result result={testSms.data} testId="senders-test-sms-result" />}
          </Stack>
        </form>
      )}
    </Stack>
  );
}
