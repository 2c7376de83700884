import {
  Alert,
  Anchor,
  Button,
  Center,
  Code,
  Grid,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconArrowLeft, IconDownload } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import type { BulkAction, BulkStats } from '../../../shared/bulk-actions.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { accountPath } from '../../app/sections.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { AuditTrail } from './audit-trail.tsx';
import { errorsCsvPath, isUnfinished } from './bulk-api.ts';
import { BulkDialogs } from './bulk-dialogs.tsx';
import { mayRename, type BulkDialogTarget } from './bulk-dialog-target.ts';
import { BulkRowMenu, statsPath } from './bulk-row-menu.tsx';
import { BulkActionProgress, BulkStatusBadge, useActionName } from './bulk-status.tsx';
import { isPreparing, preparingProgress } from './preparing.ts';
import { OutcomeChart } from './outcome-chart.tsx';
import { ReasonsTable } from './reasons-table.tsx';
import { useBulkAction } from './use-bulk-action.ts';
import { useBulkAudit } from './use-bulk-audit.ts';
import { useBulkEvents } from './use-bulk-events.ts';
import { useBulkStats } from './use-bulk-stats.ts';
import { useFormatDuration } from './use-format-duration.ts';
import { isFailureReason } from '../../../shared/references.ts';
import { isMessagingType } from '../messaging/messaging-api.ts';
import { MessagingChart, MessagingReasons, MessagingRecipients } from '../messaging/messaging-stats.tsx';

/** /accounts/:accountId/bulk-actions/:actionId: "View stats" of one action. */
export function BulkStatsPage() {
  const account = useCurrentAccount();
  const { actionId } = useParams();
  if (!account) return null; // AccountScope shows why
  if (!actionId || !/^\d{1,15}$/.test(actionId)) return <NoAccess reason="notFound" />;
  return <BulkStats key={`${account.id}:${actionId}`} account={account} actionId={actionId} />;
}

function BulkStats({ account, actionId }: { account: MyAccount; actionId: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const accountId = account.id;
  const live = useBulkEvents(accountId);
  const action = useBulkAction(accountId, actionId, { poll: !live.connected });
  const running = action.data ? isUnfinished(action.data.status) : false;
  const stats = useBulkStats(accountId, actionId, running);
  const audit = useBulkAudit(accountId, actionId);
  const [dialog, setDialog] = useState<BulkDialogTarget | null>(null);
  const nameOf = useActionName();
  const listSearch = (useLocation().state as { listSearch?: unknown } | null)?.listSearch;
  // Bulk email and SMS show their delivery results (from the send ledger) and recipients.
  const messaging = action.data ? isMessagingType(action.data.type) : false;

  return (
    <Stack data-testid="bulk-stats">
      <Anchor
        component={Link}
        to={`${accountPath(accountId, 'bulk-actions')}${typeof listSearch === 'string' ? listSearch : ''}`}
        size="sm"
        data-testid="bulk-stats-back"
      >
        <Group gap={4} component="span">
          <IconArrowLeft size={14} />
          {t('bulkActions.stats.back')}
        </Group>
      </Anchor>
      {action.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {action.isError && <ErrorAlert error={action.error} onRetry={() => void action.refetch()} />}
      {action.data && (
        <>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={6}>
              <Title order={2} style={{ overflowWrap: 'anywhere' }} data-testid="bulk-stats-name">
                {nameOf(action.data)}
              </Title>
              <Group gap="sm">
                <BulkStatusBadge action={action.data} />
                <Text size="sm" c="dimmed">
                  {t(`bulkActions.types.${action.data.type}`)}
                </Text>
              </Group>
            </Stack>
            <BulkRowMenu
              accountId={accountId}
              action={action.data}
              canRename={mayRename(action.data, user.id, account.rights)}
              withViewStats={false}
              onChoose={setDialog}
            />
          </Group>
          <BulkActionProgress action={action.data} rate={live.rates.get(actionId) ?? null} />
          {isPreparing(action.data) && (
            <Text size="sm" c="dimmed" data-testid="bulk-preparing-note">
              {t('bulkActions.stats.preparingNote')}
            </Text>
          )}
          {action.data.status === 'failed' && action.data.error && (
            <Alert color="red" icon={<IconAlertCircle />} title={t('bulkActions.stats.error')}>
              {/* Stable reason codes are translated; other errors are shown as they are. */}
              {isFailureReason(action.data.error) ? (
                t(`bulkActions.failureReasons.${action.data.error}`)
              ) : (
                <Code>{action.data.error}</Code>
              )}
            </Alert>
          )}
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Stack>
                <Figures action={action.data} stats={stats.data} />
                {stats.isError && <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />}
                <Section title={t('bulkActions.stats.reasons')}>
                  {messaging ? (
                    <MessagingReasons accountId={accountId} action={action.data} />
                  ) : stats.data ? (
                    <ReasonsTable reasons={stats.data.reasons} />
                  ) : (
                    <Loader size="sm" />
                  )}
                  <DownloadErrors accountId={accountId} action={action.data} />
                </Section>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <Stack>
                {messaging ? (
                  <Section title={t('messaging.results.chart')}>
                    <MessagingChart accountId={accountId} action={action.data} />
                  </Section>
                ) : (
                  <Section title={t('bulkActions.stats.chart')}>
                    <OutcomeChart action={action.data} />
                  </Section>
                )}
                <Section title={t('bulkActions.stats.details')}>
                  <Details accountId={accountId} action={action.data} />
                </Section>
              </Stack>
            </Grid.Col>
          </Grid>
          {messaging && (
            <Section title={t('messaging.results.recipients')}>
              <MessagingRecipients accountId={accountId} action={action.data} />
            </Section>
          )}
          <Section title={t('bulkActions.stats.audit')}>
            {audit.isPending && <Loader size="sm" />}
            {audit.isError && <ErrorAlert error={audit.error} onRetry={() => void audit.refetch()} />}
            {audit.data && <AuditTrail accountId={accountId} entries={audit.data} />}
          </Section>
        </>
      )}
      <BulkDialogs
        accountId={accountId}
        target={dialog && action.data?.id === dialog.action.id ? { ...dialog, action: action.data } : dialog}
        onClose={() => setDialog(null)}
      />
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>{title}</Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** The counts (live, from the action) and duration and throughput (from the stats). */
function Figures({ action, stats }: { action: BulkAction; stats: BulkStats | undefined }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  const n = useFormatNumber();
  const none = t('bulkActions.stats.none');
  const figures: { key: string; label: string; value: string; color?: string }[] = [
    { key: 'total', label: t('bulkActions.stats.total'), value: n(action.total) },
    // While preparing nothing is processed yet: how many items are gathered is the figure that moves.
    isPreparing(action)
      ? {
          key: 'prepared',
          label: t('bulkActions.stats.prepared'),
          value: n(preparingProgress(action).prepared),
        }
      : { key: 'processed', label: t('bulkActions.stats.processed'), value: n(action.processed) },
    {
      key: 'succeeded',
      label: t('bulkActions.outcomes.succeeded'),
      value: n(action.succeeded),
      color: 'green',
    },
    { key: 'failed', label: t('bulkActions.outcomes.failed'), value: n(action.failed), color: 'red' },
    { key: 'skipped', label: t('bulkActions.outcomes.skipped'), value: n(action.skipped), color: 'yellow.8' },
    {
      key: 'duration',
      label: t('bulkActions.stats.duration'),
      value: stats?.durationMs == null ? none : formatDuration(stats.durationMs),
    },
    {
      key: 'throughput',
      label: t('bulkActions.stats.throughput'),
      value:
        stats?.throughputPerSecond == null
          ? none
          : t('bulkActions.stats.throughputValue', {
              value: n(stats.throughputPerSecond, { maximumFractionDigits: 1 }),
            }),
    },
  ];
  const card = (figure: (typeof figures)[number]) => (
    <Paper key={figure.key} withBorder p="sm" data-testid={`bulk-figure-${figure.key}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} truncate>
        {figure.label}
      </Text>
      <Text size="lg" fw={700} c={figure.color} style={{ whiteSpace: 'nowrap' }}>
        {figure.value}
      </Text>
    </Paper>
  );
  return (
    <Stack gap="sm" data-testid="bulk-figures">
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
        {figures.slice(0, 5).map(card)}
      </SimpleGrid>
      <SimpleGrid cols={2} spacing="sm">
        {figures.slice(5).map(card)}
      </SimpleGrid>
    </Stack>
  );
}

/**
 * The error log (failed and skipped items with their reasons) as a CSV download in the user's
 * language; not offered while it has no entries.
 */
function DownloadErrors({ accountId, action }: { accountId: string; action: BulkAction }) {
  const { t, i18n } = useTranslation();
  const n = useFormatNumber();
  const entries = action.failed + action.skipped;
  if (entries === 0) return null;
  return (
    <Group gap="sm" wrap="nowrap">
      <Button
        component="a"
        href={errorsCsvPath(accountId, action.id, i18n.language)}
        download={`bulk-action-${action.id}-errors.csv`}
        variant="light"
        leftSection={<IconDownload size={16} />}
        data-testid="download-errors"
      >
        {t('bulkActions.stats.download')}
      </Button>
      <Text size="xs" c="dimmed">
        {t('bulkActions.stats.downloadHint', {
          count: entries,
          formatted: n(entries),
        })}
      </Text>
    </Group>
  );
}

/** When and by whom, and what the action is based on. */
function Details({ accountId, action }: { accountId: string; action: BulkAction }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const when = (iso: string | null) => (iso ? formatDateTime(iso) : t('bulkActions.stats.notYet'));
  const rows: { key: string; label: string; value: ReactNode }[] = [
    { key: 'type', label: t('bulkActions.stats.type'), value: t(`bulkActions.types.${action.type}`) },
    {
      key: 'createdBy',
      label: t('bulkActions.stats.createdBy'),
      value: action.createdBy?.name || t('bulkActions.table.system'),
    },
    { key: 'createdAt', label: t('bulkActions.stats.createdAt'), value: formatDateTime(action.createdAt) },
    ...(action.scheduledFor
      ? [
          {
            key: 'scheduledFor',
            label: t('bulkActions.stats.scheduledFor'),
            value: formatDateTime(action.scheduledFor),
          },
        ]
      : []),
    { key: 'startedAt', label: t('bulkActions.stats.startedAt'), value: when(action.startedAt) },
    { key: 'finishedAt', label: t('bulkActions.stats.finishedAt'), value: when(action.finishedAt) },
    ...(action.sourceActionId
      ? [
          {
            key: 'source',
            label: t('bulkActions.stats.source'),
            value: (
              <Anchor component={Link} to={statsPath(accountId, action.sourceActionId)} size="sm">
                {t('bulkActions.stats.sourceLink', { id: action.sourceActionId })}
              </Anchor>
            ),
          },
        ]
      : []),
    ...(action.restorableUntil
      ? [
          {
            key: 'restorableUntil',
            label: t('bulkActions.stats.restorableUntil'),
            value: formatDateTime(action.restorableUntil),
          },
        ]
      : []),
    ...(action.purgedAt
      ? [
          {
            key: 'purged',
            label: '',
            value: t('bulkActions.stats.purged', { date: formatDateTime(action.purgedAt) }),
          },
        ]
      : []),
  ];
  return (
    <Stack gap={6}>
      {rows.map((row) => (
        <Group key={row.key} justify="space-between" gap="md" wrap="nowrap">
          <Text size="sm" c="dimmed">
            {row.label}
          </Text>
          <Text size="sm" ta="right" component="div">
            {row.value}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
