import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconArrowLeft, IconInfoCircle, IconRepeat } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Mailing, MailingStatistics, MailingStatus } from '../../../shared/mailings.ts';
import { accountPath } from '../../app/sections.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { DeliveryChart } from '../messaging/delivery-chart.tsx';
import { DeliveryReasons } from '../messaging/delivery-reasons.tsx';
import { MailingRecipients } from './mailing-recipients.tsx';
import { useMailing, useMailingStatistics } from './mailing-stats-api.ts';
import { rateOf, reachedMessages } from './stats-figures.ts';
import { TimelineChart } from './timeline-chart.tsx';

/** Badge colour of a mailing's status. */
export const MAILING_STATUS_COLORS: Record<MailingStatus, string> = {
  draft: 'gray',
  scheduled: 'cyan',
  sending: 'blue',
  paused: 'yellow',
  sent: 'green',
  failed: 'red',
  cancelled: 'dark',
};

/**
 * /accounts/:accountId/mailings/:mailingId/statistics: the email statistics of one mailing — key
 * figures, the failure and its guidance, charts over time, reasons, clicks per link, the family
 * (original and re-sends), the recipient table by state and its CSV export.
 */
export function MailingStatisticsPage({ accountId, mailingId }: { accountId: string; mailingId: string }) {
  const { t } = useTranslation();
  const stats = useMailingStatistics(accountId, mailingId);
  // The mailing itself gives the action and the failure's reason; the page works without it.
  const mailing = useMailing(accountId, mailingId);
  const s = stats.data;

  return (
    <Stack data-testid="mailing-statistics" data-account-id={accountId} data-mailing-id={mailingId}>
      <Anchor
        component={Link}
        to={accountPath(accountId, 'mailings')}
        size="sm"
        data-testid="mailing-stats-back"
      >
        <Group gap={4} component="span">
          <IconArrowLeft size={14} />
          {t('mailingStats.back')}
        </Group>
      </Anchor>
      {stats.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {stats.isError && <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />}
      {s && <Statistics accountId={accountId} stats={s} mailing={mailing.data} />}
    </Stack>
  );
}

function Statistics({
  accountId,
  stats,
  mailing,
}: {
  accountId: string;
  stats: MailingStatistics;
  mailing: Mailing | undefined;
}) {
  const { t } = useTranslation();
  const name = mailing?.name ?? stats.family.mailings.find((m) => m.id === stats.mailingId)?.name ?? '';
  const actionId = mailing?.actionId ?? null;
  const reasonLabels = new Map(stats.reasons.map((r) => [r.reason, r.label]));
  const started = stats.timeline.length > 0 || Object.values(stats.counts).some((c) => c > 0);

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6}>
          <Text size="sm" c="dimmed">
            {t('mailingStats.title')}
          </Text>
          <Title order={2} style={{ overflowWrap: 'anywhere' }} data-testid="mailing-stats-name">
            {name}
          </Title>
          <Group gap="sm">
            <Badge
              color={MAILING_STATUS_COLORS[stats.status]}
              variant="light"
              tt="none"
              data-testid="mailing-stats-status"
              data-status={stats.status}
            >
              {t(`mailingStats.status.${stats.status}`)}
            </Badge>
            {actionId && (
              <Anchor
                component={Link}
                to={`${accountPath(accountId, 'bulk-actions')}/${actionId}`}
                size="sm"
                data-testid="mailing-bulk-action"
              >
                {t('mailingStats.bulkAction')}
              </Anchor>
            )}
          </Group>
        </Stack>
        {(stats.status === 'sent' || stats.status === 'failed') && (
          <Button
            component={Link}
            to="../resend"
            relative="path"
            leftSection={<IconRepeat size={16} />}
            data-testid="mailing-resend"
          >
            {t('mailingStats.resend')}
          </Button>
        )}
      </Group>
      {stats.status === 'failed' && (
        <Alert
          color="red"
          icon={<IconAlertCircle />}
          title={t('mailingStats.failed.title')}
          data-testid="mailing-failure"
          data-reason={mailing?.failureReason ?? ''}
        >
          <Stack gap={4}>
            {mailing?.failureReason && (
              <Text size="sm">{t(`mailingStats.failed.reasons.${mailing.failureReason}`)}</Text>
            )}
            {mailing?.failureDetail && (
              <Text size="xs" c="dimmed">
                {mailing.failureDetail}
              </Text>
            )}
            <Text size="sm">{t('mailingStats.failed.guidance')}</Text>
          </Stack>
        </Alert>
      )}
      {!started && stats.status !== 'failed' && (
        <Alert color="gray" icon={<IconInfoCircle />} data-testid="mailing-not-sent">
          {t('mailingStats.notSent')}
        </Alert>
      )}
      <Figures stats={stats} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack>
            <Section title={t('mailingStats.chart.title')}>
              <TimelineChart timeline={stats.timeline} />
            </Section>
            <Section title={t('mailingStats.reasons.title')}>
              <DeliveryReasons reasons={stats.reasons} />
            </Section>
            <Section title={t('mailingStats.links.title')}>
              <Links stats={stats} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            <Section title={t('messaging.results.chart')}>
              <DeliveryChart
                results={{
                  channel: 'email',
                  counts: stats.counts,
                  bounced: stats.bounced,
                  complained: stats.complained,
                  reasons: stats.reasons,
                }}
              />
            </Section>
            <Section title={t('mailingStats.family.title')}>
              <Family accountId={accountId} stats={stats} />
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
      <Section title={t('mailingStats.recipients.title')}>
        <MailingRecipients accountId={accountId} mailingId={stats.mailingId} reasonLabels={reasonLabels} />
      </Section>
    </>
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

interface Figure {
  key: string;
  label: string;
  /** null: not measured (tracking off, or not known before the send). */
  count: number | null;
  note?: string;
  color?: string;
}

/**
 * The key figures. "Sent" counts every message the mail server accepted (the ledger's sent and
 * delivered); open and click rates are measured against that.
 */
function Figures({ stats }: { stats: MailingStatistics }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const accepted = reachedMessages(stats);
  const percent = (part: number) => {
    const rate = rateOf(part, accepted);
    return rate === null
      ? undefined
      : t('mailingStats.figures.rate', { rate: n(rate, { style: 'percent', maximumFractionDigits: 1 }) });
  };
  const tracked = (count: number) => (stats.tracking ? count : null);
  const figures: Figure[] = [
    {
      key: 'recipientsAtSend',
      label: t('mailingStats.figures.recipientsAtSend'),
      count: stats.recipientsAtSend,
    },
    { key: 'sent', label: t('mailingStats.figures.sent'), count: accepted, color: 'blue' },
    {
      key: 'delivered',
      label: t('mailingStats.figures.delivered'),
      count: stats.counts.delivered ?? 0,
      color: 'green',
    },
    {
      key: 'bounced',
      label: t('mailingStats.figures.bounced'),
      count: stats.counts.bounced ?? 0,
      note: t('mailingStats.figures.bouncedSplit', {
        hard: n(stats.bounced.hard),
        soft: n(stats.bounced.soft),
      }),
      color: 'red',
    },
    { key: 'failed', label: t('mailingStats.figures.failed'), count: stats.counts.failed ?? 0, color: 'red' },
    {
      key: 'skipped',
      label: t('mailingStats.figures.skipped'),
      count: stats.counts.skipped ?? 0,
      color: 'yellow.8',
    },
    { key: 'unsubscribed', label: t('mailingStats.figures.unsubscribed'), count: stats.unsubscribed },
    {
      key: 'opens',
      label: t('mailingStats.figures.opens'),
      count: tracked(stats.opens.unique),
      note: stats.tracking ? percent(stats.opens.unique) : undefined,
    },
    {
      key: 'clicks',
      label: t('mailingStats.figures.clicks'),
      count: tracked(stats.clicks.unique),
      note: stats.tracking ? percent(stats.clicks.unique) : undefined,
    },
  ];
  return (
    <Stack gap="xs" data-testid="mailing-figures">
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5, xl: 9 }} spacing="sm">
        {figures.map((figure) => (
          <Paper
            key={figure.key}
            withBorder
            p="sm"
            data-testid={`stat-${figure.key}`}
            data-count={figure.count ?? ''}
          >
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} truncate>
              {figure.label}
            </Text>
            <Text
              size="lg"
              fw={700}
              c={figure.count === null ? 'dimmed' : figure.count > 0 ? figure.color : undefined}
              style={{ whiteSpace: 'nowrap' }}
            >
              {figure.count !== null
                ? n(figure.count)
                : figure.key === 'recipientsAtSend'
                  ? t('mailingStats.figures.none')
                  : t('mailingStats.figures.trackingOff')}
            </Text>
            {figure.note && (
              <Text size="xs" c="dimmed">
                {figure.note}
              </Text>
            )}
          </Paper>
        ))}
      </SimpleGrid>
      {stats.tracking && (
        <Text size="xs" c="dimmed" data-testid="opens-caveat">
          <IconInfoCircle size={12} style={{ verticalAlign: 'middle' }} />{' '}
          {t('mailingStats.figures.opensCaveat')}
        </Text>
      )}
    </Stack>
  );
}

/** Clicks per link: recipients who clicked it and all clicks, most clicked first. */
function Links({ stats }: { stats: MailingStatistics }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  if (!stats.tracking) {
    return (
      <Text size="sm" c="dimmed" data-testid="links-tracking-off">
        {t('mailingStats.links.trackingOff')}
      </Text>
    );
  }
  if (stats.clicks.links.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="links-empty">
        {t('mailingStats.links.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table verticalSpacing={6} data-testid="mailing-links">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('mailingStats.links.link')}</Table.Th>
            <Table.Th ta="right">{t('mailingStats.links.unique')}</Table.Th>
            <Table.Th ta="right">{t('mailingStats.links.total')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stats.clicks.links.map((link) => (
            <Table.Tr
              key={link.url}
              data-testid="mailing-link"
              data-unique={link.unique}
              data-total={link.total}
            >
              <Table.Td>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {link.url}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{n(link.unique)}</Table.Td>
              <Table.Td ta="right">{n(link.total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The original and its re-sends, each linking to its statistics, and whom they reached together. */
function Family({ accountId, stats }: { accountId: string; stats: MailingStatistics }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  return (
    <Stack gap="xs" data-testid="mailing-family" data-reached={stats.family.reached}>
      <Text size="sm" fw={600}>
        {t('mailingStats.family.reached', { formatted: n(stats.family.reached) })}
      </Text>
      {stats.family.mailings.map((m) => (
        <Group
          key={m.id}
          justify="space-between"
          wrap="nowrap"
          data-testid="mailing-family-member"
          data-id={m.id}
        >
          {m.id === stats.mailingId ? (
            <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
              {m.name} ({t('mailingStats.family.current')})
            </Text>
          ) : (
            <Anchor
              component={Link}
              to={`${accountPath(accountId, 'mailings')}/${m.id}/statistics`}
              size="sm"
              style={{ overflowWrap: 'anywhere' }}
            >
              {m.name}
            </Anchor>
          )}
          <Badge color={MAILING_STATUS_COLORS[m.status]} variant="light" tt="none" miw="max-content">
            {t(`mailingStats.status.${m.status}`)}
          </Badge>
        </Group>
      ))}
    </Stack>
  );
}
