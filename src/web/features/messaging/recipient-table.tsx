import { Badge, Button, Center, Group, Loader, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MESSAGE_STATUSES, messageStatusSchema, type MessageStatus } from '../../../shared/messaging.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { MESSAGE_STATUS_COLORS } from './delivery-reasons.tsx';
import { useLedgerMessages } from './use-ledger-messages.ts';

/**
 * The recipients of a bulk email or SMS, from its send ledger: address, state (with the bounce's
 * kind), reason and the server's words, when sent and delivered. Filter by state; more on demand.
 */
export function RecipientTable({
  accountId,
  actionId,
  running,
  reasonLabels,
}: {
  accountId: string;
  actionId: string;
  running: boolean;
  /** Reason code → label in the UI's language (from the delivery results); others show as codes. */
  reasonLabels: ReadonlyMap<string, string>;
}) {
  const { t, i18n } = useTranslation();
  const n = useFormatNumber();
  const formatDateTime = useFormatDateTime();
  const [status, setStatus] = useState<MessageStatus | null>(null);
  const messages = useLedgerMessages(accountId, actionId, status, running);
  const rows = messages.data?.pages.flatMap((page) => page.items) ?? [];
  const when = (iso: string | null) => (iso ? formatDateTime(iso) : '–');
  // The results' label (the server's, in the UI's language), else the known codes' own, else the code.
  const reasonLabel = (code: string) =>
    reasonLabels.get(code) ??
    (i18n.exists(`messaging.reasons.${code}`)
      ? t(`messaging.reasons.${code}` as 'messaging.reasons.no_consent')
      : code);

  return (
    <Stack gap="sm" data-testid="recipient-table">
      <Select
        label={t('messaging.results.filterStatus')}
        placeholder={t('messaging.results.anyStatus')}
        data={MESSAGE_STATUSES.map((value) => ({ value, label: t(`messaging.status.${value}`) }))}
        value={status}
        onChange={(value) => setStatus(value ? messageStatusSchema.parse(value) : null)}
        clearable
        w={240}
        data-testid="recipient-filter"
      />
      {messages.isPending && (
        <Center p="md">
          <Loader size="sm" />
        </Center>
      )}
      {messages.isError && <ErrorAlert error={messages.error} onRetry={() => void messages.refetch()} />}
      {messages.data && rows.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="recipients-empty">
          {t('messaging.results.noRecipients')}
        </Text>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={6} striped style={{ opacity: messages.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('messaging.results.address')}</Table.Th>
                <Table.Th>{t('messaging.results.state')}</Table.Th>
                <Table.Th>{t('messaging.results.reason')}</Table.Th>
                <Table.Th>{t('messaging.results.sentAt')}</Table.Th>
                <Table.Th>{t('messaging.results.deliveredAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr
                  key={row.id}
                  data-testid="recipient-row"
                  data-status={row.status}
                  data-contact-id={row.contactId}
                >
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {row.address ?? t('messaging.results.noAddress')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={MESSAGE_STATUS_COLORS[row.status]} variant="light" tt="none">
                      {row.bounceType
                        ? t(`messaging.results.states.bounced_${row.bounceType}`)
                        : t(`messaging.status.${row.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {row.reason && <Text size="sm">{reasonLabel(row.reason)}</Text>}
                    {row.detail && (
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {row.detail}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{when(row.sentAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{when(row.deliveredAt)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="recipients-shown" data-count={rows.length}>
          {t('messaging.results.shown', { count: rows.length, formatted: n(rows.length) })}
        </Text>
        {messages.hasNextPage && (
          <Button
            variant="light"
            onClick={() => void messages.fetchNextPage()}
            loading={messages.isFetchingNextPage}
            disabled={messages.isPlaceholderData}
            data-testid="recipients-load-more"
          >
            {t('messaging.results.loadMore')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
