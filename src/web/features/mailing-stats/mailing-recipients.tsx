import { Badge, Button, Center, Group, Loader, Select, Stack, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RECIPIENT_FILTERS, recipientFilterSchema, type RecipientFilter } from '../../../shared/mailings.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { MESSAGE_STATUS_COLORS } from '../messaging/delivery-reasons.tsx';
import { recipientsCsvPath, useMailingRecipients } from './mailing-stats-api.ts';

/**
 * The recipients of a mailing: address, state (with the bounce's kind), reason, when sent,
 * delivered and first opened, clicks, unsubscribed. Filter by any state (ledger or tracking), more
 * on demand, and the chosen state as CSV.
 */
export function MailingRecipients({
  accountId,
  mailingId,
  reasonLabels,
}: {
  accountId: string;
  mailingId: string;
  /** Reason code → label in the UI's language (from the statistics); others show as codes. */
  reasonLabels: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const formatDateTime = useFormatDateTime();
  const [state, setState] = useState<RecipientFilter | null>(null);
  const recipients = useMailingRecipients(accountId, mailingId, state);
  const rows = recipients.data?.pages.flatMap((page) => page.items) ?? [];
  const when = (iso: string | null) => (iso ? formatDateTime(iso) : '–');

  return (
    <Stack gap="sm" data-testid="mailing-recipients">
      <Group justify="space-between" align="flex-end">
        <Select
          label={t('mailingStats.recipients.filter')}
          placeholder={t('mailingStats.recipients.all')}
          data={RECIPIENT_FILTERS.map((value) => ({ value, label: t(`mailingStats.filters.${value}`) }))}
          value={state}
          onChange={(value) => setState(value ? recipientFilterSchema.parse(value) : null)}
          clearable
          w={240}
          data-testid="recipient-filter"
        />
        <Button
          component="a"
          href={recipientsCsvPath(accountId, mailingId, state)}
          download
          variant="default"
          leftSection={<IconDownload size={16} />}
          data-testid="recipient-export"
          data-state={state ?? ''}
        >
          {state
            ? t('mailingStats.recipients.exportState', { state: t(`mailingStats.filters.${state}`) })
            : t('mailingStats.recipients.export')}
        </Button>
      </Group>
      {recipients.isPending && (
        <Center p="md">
          <Loader size="sm" />
        </Center>
      )}
      {recipients.isError && (
        <ErrorAlert error={recipients.error} onRetry={() => void recipients.refetch()} />
      )}
      {recipients.data && rows.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="mailing-recipients-empty">
          {t('mailingStats.recipients.empty')}
        </Text>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing={6} striped style={{ opacity: recipients.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mailingStats.recipients.address')}</Table.Th>
                <Table.Th>{t('mailingStats.recipients.state')}</Table.Th>
                <Table.Th>{t('mailingStats.recipients.reason')}</Table.Th>
                <Table.Th>{t('mailingStats.recipients.sentAt')}</Table.Th>
                <Table.Th>{t('mailingStats.recipients.deliveredAt')}</Table.Th>
                <Table.Th>{t('mailingStats.recipients.openedAt')}</Table.Th>
                <Table.Th ta="right">{t('mailingStats.recipients.clicks')}</Table.Th>
                <Table.Th>{t('mailingStats.recipients.unsubscribed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr
                  key={row.messageId}
                  data-testid="mailing-recipient-row"
                  data-status={row.status}
                  data-contact-id={row.contactId}
                >
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {row.address ?? t('mailingStats.recipients.noAddress')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={MESSAGE_STATUS_COLORS[row.status]} variant="light" tt="none">
                      {row.bounceType
                        ? t(`mailingStats.recipients.bounced_${row.bounceType}`)
                        : t(`mailingStats.filters.${row.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {row.reason && <Text size="sm">{reasonLabels.get(row.reason) ?? row.reason}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{when(row.sentAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{when(row.deliveredAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{when(row.openedAt)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{n(row.clicks)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {row.unsubscribed && <Badge color="gray">{t('mailingStats.filters.unsubscribed')}</Badge>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="mailing-recipients-shown" data-count={rows.length}>
          {t('mailingStats.recipients.shown', { count: rows.length, formatted: n(rows.length) })}
        </Text>
        {recipients.hasNextPage && (
          <Button
            variant="light"
            onClick={() => void recipients.fetchNextPage()}
            loading={recipients.isFetchingNextPage}
            disabled={recipients.isPlaceholderData}
            data-testid="mailing-recipients-more"
          >
            {t('mailingStats.recipients.loadMore')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
