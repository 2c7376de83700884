import { Badge, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { STATUS_COLORS, type BulkAction } from '../../../shared/bulk-actions.ts';
import { etaSeconds } from './progress-rate.ts';
import { useFormatDuration } from './use-format-duration.ts';

/** Share of the items processed, 0–100 (an empty action counts as done once it completed). */
export function percentDone(action: BulkAction): number {
  if (action.total === 0) return action.status === 'completed' ? 100 : 0;
  return Math.min(100, (action.processed / action.total) * 100);
}

/** "Processed 120 of 240 · 118 succeeded · 1 failed · 1 skipped". */
export function useCountsText(): (action: BulkAction) => string {
  const { t, i18n } = useTranslation();
  const n = (value: number) => value.toLocaleString(i18n.language);
  return (action) =>
    t('bulkActions.table.counts', {
      processed: n(action.processed),
      total: n(action.total),
      succeeded: n(action.succeeded),
      failed: n(action.failed),
      skipped: n(action.skipped),
    });
}

/** The status in its colour; hovering shows the counts. */
export function BulkStatusBadge({ action }: { action: BulkAction }) {
  const { t } = useTranslation();
  const counts = useCountsText();
  return (
    <Tooltip label={counts(action)} multiline maw={320} withArrow>
      <Badge
        color={STATUS_COLORS[action.status]}
        variant={action.status === 'cancelled' ? 'outline' : 'light'}
        tt="none"
        miw="max-content"
        data-testid="bulk-status"
        data-status={action.status}
      >
        {t(`bulkActions.statuses.${action.status}`)}
      </Badge>
    </Tooltip>
  );
}

/**
 * The progress of a running (or paused) action: a bar with the percentage and, while it runs,
 * the time left at the rate the live events showed (null: not measured yet).
 */
export function BulkProgress({ action, rate }: { action: BulkAction; rate: number | null }) {
  const { t, i18n } = useTranslation();
  const formatDuration = useFormatDuration();
  const percent = percentDone(action);
  const eta = action.status === 'in_progress' ? etaSeconds(action.total, action.processed, rate) : null;
  const percentText = t('bulkActions.table.percent', {
    percent: Math.floor(percent).toLocaleString(i18n.language),
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
