import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DeliveryResults } from '../../../shared/bulk-messaging.ts';
import type { MessageStatus } from '../../../shared/messaging.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';

/** Badge colour of a ledger state. */
export const MESSAGE_STATUS_COLORS: Record<MessageStatus, string> = {
  queued: 'gray',
  sent: 'blue',
  delivered: 'green',
  bounced: 'red',
  failed: 'red',
  skipped: 'yellow',
  cancelled: 'dark',
};

/**
 * Failed, bounced and skipped messages grouped by reason, most frequent first; the labels come
 * with the results in the UI's language.
 */
export function DeliveryReasons({ reasons }: { reasons: DeliveryResults['reasons'] }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  if (reasons.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="delivery-reasons-empty">
        {t('messaging.results.reasonsEmpty')}
      </Text>
    );
  }
  const sorted = [...reasons].sort((a, b) => b.count - a.count);
  return (
    <Table verticalSpacing={6} data-testid="delivery-reasons">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('messaging.results.state')}</Table.Th>
          <Table.Th>{t('messaging.results.reason')}</Table.Th>
          <Table.Th ta="right">{t('messaging.results.count')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((row) => (
          <Table.Tr
            key={`${row.status}:${row.reason}`}
            data-testid="delivery-reason"
            data-status={row.status}
            data-reason={row.reason}
          >
            <Table.Td>
              <Badge color={MESSAGE_STATUS_COLORS[row.status]} variant="light" tt="none">
                {t(`messaging.status.${row.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{row.label}</Text>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm" fw={600}>
                {n(row.count)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
