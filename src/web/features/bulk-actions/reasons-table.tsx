import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BulkStats } from '../../../shared/bulk-actions.ts';

/**
 * Failed and skipped items grouped by reason, most frequent first. Each reason's label comes with
 * the stats in the UI's language (its type registered the words), so new types need no web change.
 */
export function ReasonsTable({ reasons }: { reasons: BulkStats['reasons'] }) {
  const { t, i18n } = useTranslation();
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
              <Text size="sm">{row.label}</Text>
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
