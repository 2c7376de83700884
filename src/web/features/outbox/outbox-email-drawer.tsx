import { Alert, Code, Drawer, Group, Stack, Tabs, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OutboxEmail } from '../../../shared/notifications.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { EmailStatusBadge } from './email-status-badge.tsx';

/**
 * One email as it was (or would have been) sent: its text, and its HTML in a sandboxed frame
 * (`sandbox=""`: no scripts, no forms, no navigation of this page).
 */
export function OutboxEmailDrawer({ email, onClose }: { email: OutboxEmail | null; onClose: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();

  return (
    <Drawer
      opened={email !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={email?.subject ?? t('outbox.noSubject')}
      data-testid="outbox-drawer"
    >
      {email && (
        <Stack>
          <Group gap="sm">
            <EmailStatusBadge status={email.status} />
            <Text size="sm" c="dimmed">
              {t('outbox.to', { to: email.to })} · {formatDateTime(email.sentAt ?? email.createdAt)}
            </Text>
          </Group>
          {email.lastError && (
            <Alert color={email.status === 'failed' ? 'red' : 'orange'} title={t('outbox.columns.lastError')}>
              {email.lastError}
            </Alert>
          )}
          {email.text === null && email.html === null ? (
            <Text c="dimmed">{t('outbox.notComposed')}</Text>
          ) : (
            <Tabs defaultValue={email.html ? 'html' : 'text'}>
              <Tabs.List>
                <Tabs.Tab value="html" disabled={!email.html} data-testid="outbox-tab-html">
                  {t('outbox.html')}
                </Tabs.Tab>
                <Tabs.Tab value="text" disabled={!email.text} data-testid="outbox-tab-text">
                  {t('outbox.text')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="html" pt="md">
                {email.html && (
                  <iframe
                    title={t('outbox.html')}
                    sandbox=""
                    srcDoc={email.html}
                    style={{
                      width: '100%',
                      height: 520,
                      border: '1px solid var(--mantine-color-default-border)',
                    }}
                    data-testid="outbox-html"
                  />
                )}
              </Tabs.Panel>
              <Tabs.Panel value="text" pt="md">
                <Code block style={{ whiteSpace: 'pre-wrap' }} data-testid="outbox-text">
                  {email.text}
                </Code>
              </Tabs.Panel>
            </Tabs>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
