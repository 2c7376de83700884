import { ColorSwatch, Group, RingProgress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { percentDone } from './bulk-status.tsx';

const OUTCOMES = [
  { key: 'succeeded', color: 'green' },
  { key: 'failed', color: 'red' },
  { key: 'skipped', color: 'yellow' },
] as const;

/** The items of an action by outcome, as a ring (the grey rest is not processed yet), with a legend. */
export function OutcomeChart({ action }: { action: BulkAction }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => value.toLocaleString(i18n.language);
  const share = (value: number) => (action.total > 0 ? (value / action.total) * 100 : 0);
  const remaining = Math.max(0, action.total - action.processed);

  return (
    <Group gap="lg" wrap="nowrap" data-testid="bulk-chart">
      <RingProgress
        size={150}
        thickness={16}
        sections={OUTCOMES.filter(({ key }) => action[key] > 0).map(({ key, color }) => ({
          value: share(action[key]),
          color,
          tooltip: `${t(`bulkActions.outcomes.${key}`)}: ${n(action[key])}`,
        }))}
        label={
          <Stack gap={0} align="center">
            <Text fw={700} size="lg">
              {t('bulkActions.table.percent', {
                percent: Math.floor(percentDone(action)).toLocaleString(i18n.language),
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('bulkActions.stats.chartLabel')}
            </Text>
          </Stack>
        }
        aria-hidden
      />
      <Stack gap={6}>
        {OUTCOMES.map(({ key, color }) => (
          <Group key={key} gap="xs" wrap="nowrap">
            <ColorSwatch color={`var(--mantine-color-${color}-filled)`} size={12} withShadow={false} />
            <Text size="sm">
              {t(`bulkActions.outcomes.${key}`)}: <b>{n(action[key])}</b>
            </Text>
          </Group>
        ))}
        <Group gap="xs" wrap="nowrap">
          <ColorSwatch color="var(--mantine-color-gray-3)" size={12} withShadow={false} />
          <Text size="sm">
            {t('bulkActions.outcomes.remaining')}: <b>{n(remaining)}</b>
          </Text>
        </Group>
      </Stack>
    </Group>
  );
}
