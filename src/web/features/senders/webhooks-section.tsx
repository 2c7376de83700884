import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MessagingSettings } from '../../../shared/senders.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useRegenerateWebhookSecret } from './use-messaging-settings.ts';

function CopyValue({ value, testId }: { value: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap">
      <Code style={{ wordBreak: 'break-all' }} data-testid={testId}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('senders.copied') : t('senders.copy')}>
            <ActionIcon variant="subtle" onClick={copy} aria-label={t('senders.copy')}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** The URLs to enter at the email and SMS providers, and the webhook signing secret. */
export function WebhooksSection({ accountId, settings }: { accountId: string; settings: MessagingSettings }) {
  const { t } = useTranslation();
  const regenerate = useRegenerateWebhookSecret(accountId);
  const hooks = settings.hooks;

  return (
    <Stack maw={720}>
      <Title order={4}>{t('senders.hooks.title')}</Title>
      {!hooks && <Text c="dimmed">{t('senders.hooks.none')}</Text>}
      {hooks && (
        <Stack gap="xs" data-testid="senders-hooks">
          <Text size="sm" fw={500}>
            {t('senders.hooks.emailEvents')}
          </Text>
          <CopyValue value={hooks.emailEvents} testId="senders-hook-email-events" />
          <Text size="sm" fw={500}>
            {t('senders.hooks.bounces')}
          </Text>
          <CopyValue value={hooks.bounces} />
          {hooks.smsStatus && (
            <>
              <Text size="sm" fw={500}>
                {t('senders.hooks.smsStatus')}
              </Text>
              <CopyValue value={hooks.smsStatus} testId="senders-hook-sms-status" />
            </>
          )}
          {hooks.smsInbound && (
            <>
              <Text size="sm" fw={500}>
                {t('senders.hooks.smsInbound')}
              </Text>
              <CopyValue value={hooks.smsInbound} />
            </>
          )}
        </Stack>
      )}
      <Text size="sm" c="dimmed">
        {settings.hasWebhookSecret ? t('senders.hooks.secretSet') : t('senders.hooks.secretMissing')}
      </Text>
      {regenerate.data && (
        <Alert color="yellow" title={t('senders.hooks.secretOnce')} data-testid="senders-webhook-secret">
          <CopyValue value={regenerate.data.secret} />
        </Alert>
      )}
      {regenerate.isError && <ErrorAlert error={regenerate.error} />}
      <Group>
        <Button
          variant="light"
          leftSection={<IconKey size={16} />}
          loading={regenerate.isPending}
          onClick={() => regenerate.mutate()}
          data-testid="senders-webhook-secret-generate"
        >
          {settings.hasWebhookSecret ? t('senders.hooks.regenerate') : t('senders.hooks.generate')}
        </Button>
      </Group>
    </Stack>
  );
}
