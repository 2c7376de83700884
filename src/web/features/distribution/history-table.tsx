import { Anchor, Badge, Button, Center, Group, Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DistributableKind, Distribution } from '../../../shared/distribution.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { distributionPagePath, elementDistributionPath } from './distribution-api.ts';
import { succeededCount } from './distribution-logic.ts';
import { useDistributions } from './use-distributions.ts';

/** The distributions of one element (or, without `element`, all of the account's), newest first, with their counts. */
export function HistoryTable({
  accountId,
  element,
}: {
  accountId: string;
  element: { kind: DistributableKind; id: string } | null;
}) {
  const { t } = useTranslation();
  const history = useDistributions(accountId, element, { follow: true });
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];
  if (history.isError) return <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />;
  if (history.isPending)
    return (
      <Center p="lg">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if (items.length === 0)
    return (
      <Text c="dimmed" ta="center" p="lg" data-testid="history-empty">
        {t('distribution.history.empty')}
      </Text>
    );
  return (
    <>
      <Table.ScrollContainer minWidth={800}>
        <Table highlightOnHover data-testid="history-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('distribution.history.when')}</Table.Th>
              <Table.Th>{t('distribution.history.operation')}</Table.Th>
              {!element && <Table.Th>{t('distribution.history.element')}</Table.Th>}
              <Table.Th>{t('distribution.history.status')}</Table.Th>
              <Table.Th>{t('distribution.history.results')}</Table.Th>
              <Table.Th>{t('distribution.history.createdBy')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((distribution) => (
              <HistoryRow
                key={distribution.id}
                accountId={accountId}
                distribution={distribution}
                withElement={!element}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {history.hasNextPage && (
        <Group justify="center">
          <Button
            variant="light"
            onClick={() => void history.fetchNextPage()}
            loading={history.isFetchingNextPage}
          >
            {t('distribution.history.loadMore')}
          </Button>
        </Group>
      )}
    </>
  );
}

function HistoryRow({
  accountId,
  distribution,
  withElement,
}: {
  accountId: string;
  distribution: Distribution;
  withElement: boolean;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const { counts } = distribution;
  return (
    <Table.Tr
      data-testid="history-row"
      data-distribution-id={distribution.id}
      data-status={distribution.status}
    >
      <Table.Td>
        <Anchor
          component={Link}
          to={distributionPagePath(accountId, distribution.id)}
          data-testid="history-link"
        >
          {formatDateTime(distribution.createdAt)}
        </Anchor>
      </Table.Td>
      <Table.Td>{t(`distribution.operation.${distribution.operation}`)}</Table.Td>
      {withElement && (
        <Table.Td>
          <Anchor
            component={Link}
            to={elementDistributionPath(accountId, distribution.element.kind, distribution.element.id)}
          >
            {distribution.element.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {t(`distribution.kind.${distribution.element.kind}`)}
          </Text>
        </Table.Td>
      )}
      <Table.Td>
        <RunStatusBadge status={distribution.status} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="history-counts">
          {t('distribution.history.counts', {
            succeeded: succeededCount(counts),
            failed: counts.failed,
            skipped: counts.skipped,
            total: counts.total,
          })}
        </Text>
      </Table.Td>
      <Table.Td>{distribution.createdBy?.name ?? '–'}</Table.Td>
    </Table.Tr>
  );
}

const RUN_COLORS: Record<Distribution['status'], string> = {
  running: 'blue',
  completed: 'green',
  cancelled: 'gray',
};

/** A distribution's own status: running, completed or cancelled. */
export function RunStatusBadge({ status }: { status: Distribution['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={RUN_COLORS[status]} variant="light" tt="none" data-testid="run-status" data-status={status}>
      {t(`distribution.runStatus.${status}`)}
    </Badge>
  );
}
