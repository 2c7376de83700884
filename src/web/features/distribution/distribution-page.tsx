import {
  Anchor,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconRefresh } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import { TARGET_STATUSES, type Distribution, type TargetStatus } from '../../../shared/distribution.ts';
import { accountPath } from '../../app/sections.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { distributionPagePath, elementDistributionPath } from './distribution-api.ts';
import { canRetry, countedStatuses, progressPercent } from './distribution-logic.ts';
import { RunStatusBadge } from './history-table.tsx';
import { TargetStatusBadge } from './target-status-badge.tsx';
import { useDistribution, useDistributionTargets } from './use-distributions.ts';
import { useReasonText } from './use-reason-text.ts';
import { useRetryDistribution } from './use-start-distribution.ts';

/** /accounts/:accountId/distribution/:distributionId: one distribution, its live progress and per-target results. */
export function DistributionPage() {
  const account = useCurrentAccount();
  const { distributionId } = useParams();
  if (!account) return null; // AccountScope shows why
  if (!distributionId || !/^\d{1,15}$/.test(distributionId)) return <NoAccess reason="notFound" />;
  return (
    <DistributionView
      key={`${account.id}/${distributionId}`}
      account={account}
      distributionId={distributionId}
    />
  );
}

function DistributionView({ account, distributionId }: { account: MyAccount; distributionId: string }) {
  const { t } = useTranslation();
  const distribution = useDistribution(account.id, distributionId);
  return (
    <Stack>
      <Group>
        <Anchor
          component={Link}
          to={accountPath(account.id, 'distribution')}
          size="sm"
          data-testid="distribution-back"
        >
          <Group gap={4}>
            <IconArrowLeft size={14} />
            {t('distribution.run.back')}
          </Group>
        </Anchor>
      </Group>
      {distribution.isError && (
        <ErrorAlert error={distribution.error} onRetry={() => void distribution.refetch()} />
      )}
      {distribution.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {distribution.data && <DistributionDetails accountId={account.id} distribution={distribution.data} />}
    </Stack>
  );
}

function DistributionDetails({ accountId, distribution }: { accountId: string; distribution: Distribution }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const retry = useRetryDistribution(accountId, distribution.id);
  const { counts } = distribution;
  const percent = progressPercent(counts);
  const running = distribution.status === 'running';
  return (
    <Stack
      data-testid="distribution"
      data-distribution-id={distribution.id}
      data-status={distribution.status}
    >
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>
            {t('distribution.run.title', {
              operation: t(`distribution.operation.${distribution.operation}`),
              element: distribution.element.name,
            })}
          </Title>
          <Group gap="xs">
            <RunStatusBadge status={distribution.status} />
            {distribution.retryOf && (
              <Anchor component={Link} to={distributionPagePath(accountId, distribution.retryOf)} size="sm">
                {t('distribution.run.retryOf', { id: distribution.retryOf })}
              </Anchor>
            )}
          </Group>
        </Stack>
        {canRetry(distribution) && (
          <Button
            leftSection={<IconRefresh size={16} />}
            loading={retry.isPending}
            onClick={() =>
              retry.mutate(undefined, {
                onSuccess: (next) => void navigate(distributionPagePath(accountId, next.id)),
              })
            }
            data-testid="distribution-retry"
          >
            {t('distribution.run.retry')}
          </Button>
        )}
      </Group>
      {retry.isError && <ErrorAlert error={retry.error} />}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Fact label={t('distribution.run.element')}>
            <Anchor
              component={Link}
              to={elementDistributionPath(accountId, distribution.element.kind, distribution.element.id)}
              data-testid="distribution-element"
            >
              {distribution.element.name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {t(`distribution.kind.${distribution.element.kind}`)} ·{' '}
              {t('distribution.element.version', { version: distribution.element.version })}
            </Text>
          </Fact>
          <Fact label={t('distribution.run.createdBy')}>
            {distribution.createdBy?.name ?? t('distribution.run.unknownUser')}
          </Fact>
          <Fact label={t('distribution.run.createdAt')}>{formatDateTime(distribution.createdAt)}</Fact>
          <Fact label={t('distribution.run.finishedAt')}>
            {distribution.finishedAt ? formatDateTime(distribution.finishedAt) : '–'}
          </Fact>
        </SimpleGrid>
      </Card>
      <Stack gap={6}>
        <Text size="sm" data-testid="distribution-progress-text">
          {t('distribution.run.progress', { done: counts.total - counts.pending, total: counts.total })}
        </Text>
        <Progress
          value={percent}
          animated={running}
          aria-label={t('distribution.run.progress', {
            done: counts.total - counts.pending,
            total: counts.total,
          })}
          data-testid="distribution-progress"
        />
        <Group gap="xs" data-testid="distribution-counts">
          {countedStatuses(counts).map(({ status, count }) => (
            <TargetStatusBadge key={status} status={status} count={count} />
          ))}
        </Group>
      </Stack>
      <TargetResults accountId={accountId} distributionId={distribution.id} running={running} />
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function TargetResults({
  accountId,
  distributionId,
  running,
}: {
  accountId: string;
  distributionId: string;
  running: boolean;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const reasonText = useReasonText();
  const [status, setStatus] = useState<TargetStatus | null>(null);
  const targets = useDistributionTargets(accountId, distributionId, status, running);
  const items = targets.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={4}>{t('distribution.run.targets')}</Title>
        <Select
          label={t('distribution.run.filter')}
          placeholder={t('distribution.run.allStatuses')}
          data={TARGET_STATUSES.map((value) => ({ value, label: t(`distribution.status.${value}`) }))}
          value={status}
          onChange={(value) => setStatus(TARGET_STATUSES.find((s) => s === value) ?? null)}
          clearable
          w={220}
          data-testid="target-status-filter"
        />
      </Group>
      {targets.isError && <ErrorAlert error={targets.error} onRetry={() => void targets.refetch()} />}
      {targets.isPending && (
        <Center p="lg">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {targets.data && items.length === 0 && (
        <Text c="dimmed" ta="center" data-testid="targets-empty">
          {t('distribution.run.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table data-testid="targets-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('distribution.run.account')}</Table.Th>
                <Table.Th>{t('distribution.run.status')}</Table.Th>
                <Table.Th>{t('distribution.run.reason')}</Table.Th>
                <Table.Th>{t('distribution.run.copy')}</Table.Th>
                <Table.Th>{t('distribution.run.finished')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((target) => (
                <Table.Tr
                  key={target.account.id}
                  data-testid="target-row"
                  data-account-id={target.account.id}
                  data-status={target.status}
                >
                  <Table.Td>{target.account.name}</Table.Td>
                  <Table.Td>
                    <TargetStatusBadge status={target.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" data-testid="target-reason">
                      {reasonText(target.reason, target.detail)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{target.copy?.name || '–'}</Table.Td>
                  <Table.Td>{target.finishedAt ? formatDateTime(target.finishedAt) : '–'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {targets.hasNextPage && (
        <Group justify="center">
          <Button
            variant="light"
            onClick={() => void targets.fetchNextPage()}
            loading={targets.isFetchingNextPage}
            data-testid="targets-load-more"
          >
            {t('distribution.run.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
