import { Badge, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { displayStatus, STATUS_COLORS, type BulkAction } from '../../../shared/bulk-actions.ts';
import { useCountOptions, useFormatNumber } from '../../components/use-format-number.ts';
import { isPreparing, preparingProgress } from './preparing.ts';
import { etaSeconds } from './progress-rate.ts';
import { useFormatDuration } from './use-format-duration.ts';

/** Share of the items processed, 0–100 (an empty action counts as done once it completed). */
export function percentDone(action: BulkAction): number {
  if (action.total === 0) return action.status === 'completed' ? 100 : 0;
  return Math.min(100, (action.processed / action.total) * 100);
}

/**
 * "Processed 120 of 240 · 118 succeeded · 1 failed · 1 skipped"; while preparing, how many items
 * are gathered so far (its counters are all 0 then, which would read as if nothing were to happen).
 */
export function useCountsText(): (action: BulkAction) => string {
  const { t } = useTranslation();
  const n = useFormatNumber();
  return (action) => {
    if (isPreparing(action)) {
      const progress = preparingProgress(action);
      return t('bulkActions.table.preparingCounts', {
        prepared: n(progress.prepared),
        total: n(progress.of),
      });
    }
    return t('bulkActions.table.counts', {
      processed: n(action.processed),
      total: n(action.total),
      succeeded: n(action.succeeded),
      failed: n(action.failed),
      skipped: n(action.skipped),
    });
  };
}

/**
 * The name to show. While preparing, the server may not have named the action yet (it names it
 * when the freeze ends): an empty name then reads as its type and confirmed count.
 */
export function useActionName(): (action: BulkAction) => string {
  const { t } = useTranslation();
  const countOptions = useCountOptions();
  return (action) =>
    action.name.trim() === '' && isPreparing(action)
      ? t('bulkActions.table.preparingName', {
          type: t(`bulkActions.types.${action.type}`),
          ...countOptions(action.total),
        })
      : action.name;
}

/** The shown state in its colour ("completed with errors" in amber); hovering shows the counts. */
export function BulkStatusBadge({ action }: { action: BulkAction }) {
  const { t } = useTranslation();
  const counts = useCountsText();
  const shown = displayStatus(action);
  return (
    <Tooltip label={counts(action)} multiline maw={320} withArrow>
      <Badge
        color={STATUS_COLORS[shown]}
        variant={action.status === 'cancelled' ? 'outline' : 'light'}
        tt="none"
        miw="max-content"
        data-testid="bulk-status"
        data-status={shown}
      >
        {t(`bulkActions.statuses.${shown}`)}
      </Badge>
    </Tooltip>
  );
}

/** Succeeded and failed items of an action, in the list beside its state. */
export function BulkResultCounts({ action }: { action: BulkAction }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  return (
    <Stack gap={0} data-testid="bulk-result-counts">
      <Text size="xs" c="green.8" data-testid="bulk-succeeded" data-count={action.succeeded}>
        {t('bulkActions.table.succeeded', { formatted: n(action.succeeded) })}
      </Text>
      <Text
        size="xs"
        c={action.failed > 0 ? 'red.7' : 'dimmed'}
        data-testid="bulk-failed"
        data-count={action.failed}
      >
        {t('bulkActions.table.failed', { formatted: n(action.failed) })}
      </Text>
    </Stack>
  );
}

/**
 * The progress of a running (or paused) action: a bar with the percentage and, while it runs,
 * the time left at the rate the live events showed (null: not measured yet).
 */
export function BulkProgress({ action, rate }: { action: BulkAction; rate: number | null }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const formatDuration = useFormatDuration();
  const percent = percentDone(action);
  const eta = action.status === 'in_progress' ? etaSeconds(action.total, action.processed, rate) : null;
  const percentText = t('bulkActions.table.percent', {
    percent: n(Math.floor(percent)),
  });
  return (
    <Stack gap={2} miw={140} data-testid="bulk-progress" data-percent={Math.floor(percent)}>
      <Progress
        value={percent}
        color={STATUS_COLORS[action.status]}
        size="sm"
        animated={action.status === 'in_progress'}
        aria-label={percentText}
      />
      <Group gap={6} wrap="nowrap">
        <Text size="xs" fw={600}>
          {percentText}
        </Text>
        {action.status === 'in_progress' && (
          <Text size="xs" c="dimmed" data-testid="bulk-eta">
            {eta === null
              ? t('bulkActions.table.estimating')
              : t('bulkActions.table.eta', { time: formatDuration(Math.max(1, eta) * 1000) })}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/**
 * The freeze of a `preparing` action: a bar and "Preparing… 12,345 of 1,000,000", in place of the
 * processing progress (which would read "0 of 1,000,000" until the freeze ends).
 */
export function BulkPreparing({ action }: { action: BulkAction }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const progress = preparingProgress(action);
  const text = t('bulkActions.table.preparing', { prepared: n(progress.prepared), total: n(progress.of) });
  return (
    <Stack gap={2} miw={140} data-testid="bulk-preparing" data-prepared={progress.prepared}>
      <Progress
        value={progress.percent}
        color={STATUS_COLORS.preparing}
        size="sm"
        striped
        animated
        aria-label={text}
      />
      <Text size="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>
        {text}
      </Text>
    </Stack>
  );
}

/**
 * The progress an action shows beside its state: the freeze while preparing, the processing while
 * running or paused, nothing otherwise.
 */
export function BulkActionProgress({ action, rate }: { action: BulkAction; rate: number | null }) {
  switch (action.status) {
    case 'preparing':
      return <BulkPreparing action={action} />;
    case 'in_progress':
    case 'paused':
      return <BulkProgress action={action} rate={rate} />;
    case 'queued':
    case 'completed':
    case 'cancelled':
    case 'failed':
      return null;
  }
}
