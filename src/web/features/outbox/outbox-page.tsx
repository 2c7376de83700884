import { Center, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboxEmail } from '../../../shared/notifications.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { EmailStatusBadge } from './email-status-badge.tsx';
import { OutboxEmailDrawer } from './outbox-email-drawer.tsx';
import { useOutbox } from './use-outbox.ts';

/**
 * /me/outbox: the system-message emails Herald made for the user, sent or (without an SMTP
 * server) kept here, so none is silently dropped. A click shows one.
 */
export function OutboxPage() {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const outbox = useOutbox();
  const [openId, setOpenId] = useState<string | null>(null);
  const open = outbox.data?.find((email) => email.id === openId) ?? null;

  const openOnKey = (event: KeyboardEvent, email: OutboxEmail) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setOpenId(email.id);
    }
  };

  return (
    <Stack>
      <Stack gap={2}>
        <Title order={2}>{t('outbox.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('outbox.intro')}
        </Text>
      </Stack>
      {outbox.isError && <ErrorAlert error={outbox.error} onRetry={() => void outbox.refetch()} />}
      {outbox.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {outbox.data?.length === 0 && (
        <Text c="dimmed" ta="center" p="lg" data-testid="outbox-empty">
          {t('outbox.empty')}
        </Text>
      )}
      {outbox.data && outbox.data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outbox.columns.time')}</Table.Th>
                <Table.Th>{t('outbox.columns.subject')}</Table.Th>
                <Table.Th>{t('outbox.columns.status')}</Table.Th>
                <Table.Th>{t('outbox.columns.lastError')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outbox.data.map((email) => (
                <Table.Tr
                  key={email.id}
                  data-testid="outbox-row"
                  data-email-id={email.id}
                  tabIndex={0}
                  style={{ cursor: 'pointer' }}
                  onClick={() => setOpenId(email.id)}
                  onKeyDown={(event) => openOnKey(event, email)}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatDateTime(email.sentAt ?? email.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td maw={480}>
                    <Text size="sm" lineClamp={2}>
                      {email.subject ?? t('outbox.noSubject')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <EmailStatusBadge status={email.status} />
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" c={email.lastError ? 'red' : 'dimmed'} lineClamp={2}>
                      {email.lastError ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <OutboxEmailDrawer email={open} onClose={() => setOpenId(null)} />
    </Stack>
  );
}
