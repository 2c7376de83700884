import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ITEM_REASONS, type BulkStats, type ItemReason } from '../../../shared/bulk-actions.ts';

function isItemReason(reason: string): reason is ItemReason {
  return (ITEM_REASONS as readonly string[]).includes(reason);
}

/** A reason code in words (codes added on the server later show as "Other reason (code)"). */
export function useReasonLabel(): (reason: string) => string {
  const { t } = useTranslation();
  return (reason) =>
    isItemReason(reason)
      ? t(`bulkActions.reasons.${reason}`)
      : t('bulkActions.reasons.other', { code: reason });
}

/** Failed and skipped items grouped by reason, most frequent first. */
export function ReasonsTable({ reasons }: { reasons: BulkStats['reasons'] }) {
  const { t, i18n } = useTranslation();
  const label = useReasonLabel();
  if (reasons.length === 0) {
    return (
      <Text c="dimmed" size="sm" data-testid="bulk-reasons-empty">
        {t('bulkActions.stats.reasonsEmpty')}
      </Text>
    );
  }
  const sorted = [...reasons].sort((a, b) => b.count - a.count);
  return (
    <Table verticalSpacing={6} data-testid="bulk-reasons">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('bulkActions.stats.outcome')}</Table.Th>
          <Table.Th>{t('bulkActions.stats.reason')}</Table.Th>
          <Table.Th ta="right">{t('bulkActions.stats.count')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((row) => (
          <Table.Tr key={`${row.outcome}:${row.reason}`} data-testid="bulk-reason" data-reason={row.reason}>
            <Table.Td>
              <Badge color={row.outcome === 'failed' ? 'red' : 'yellow'} variant="light" tt="none">
                {t(`bulkActions.outcomes.${row.outcome}`)}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{label(row.reason)}</Text>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="sm" fw={600}>
                {row.count.toLocaleString(i18n.language)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
