import { ColorSwatch, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MailingStatistics } from '../../../shared/mailings.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { CHART_SERIES, chartMax, chartPoints, linePath } from './stats-figures.ts';

const WIDTH = 600;
const HEIGHT = 160;

const cssColor = (color: string) => `var(--mantine-color-${color.replace('.', '-')})`;

/**
 * Sent, delivered, opens and clicks over time as lines in a small SVG (no chart library): one point
 * per hour (or per several hours for long spans), with the scale's top value, the first and last
 * time under it, and a legend with each series' total.
 */
export function TimelineChart({ timeline }: { timeline: MailingStatistics['timeline'] }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const formatDateTime = useFormatDateTime();
  const { points } = chartPoints(timeline);
  if (points.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="timeline-empty">
        {t('mailingStats.chart.empty')}
      </Text>
    );
  }
  const max = chartMax(points);
  return (
    <Stack gap="xs" data-testid="timeline-chart" data-points={points.length}>
      <Group gap="md">
        {CHART_SERIES.map(({ key, color }) => (
          <Group key={key} gap={6} wrap="nowrap" data-testid="timeline-series" data-series={key}>
            <ColorSwatch color={cssColor(color)} size={12} withShadow={false} />
            <Text size="sm">
              {t(`mailingStats.chart.${key}`)}: <b>{n(points.reduce((sum, p) => sum + p[key], 0))}</b>
            </Text>
          </Group>
        ))}
      </Group>
      <Group gap={6} align="stretch" wrap="nowrap">
        <Stack justify="space-between" gap={0}>
          <Text size="xs" c="dimmed">
            {n(max)}
          </Text>
          <Text size="xs" c="dimmed">
            0
          </Text>
        </Stack>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={t('mailingStats.chart.label')}
          style={{ width: '100%', height: HEIGHT, display: 'block' }}
        >
          <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} stroke="var(--mantine-color-gray-4)" />
          <line x1={0} y1={0} x2={WIDTH} y2={0} stroke="var(--mantine-color-gray-2)" strokeDasharray="4 4" />
          {CHART_SERIES.map(({ key, color }) => (
            <path
              key={key}
              d={linePath(
                points.map((p) => p[key]),
                WIDTH,
                HEIGHT,
                max,
              )}
              fill="none"
              stroke={cssColor(color)}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {/* Few points: each is marked, so a single hour is not just a flat line. */}
          {points.length <= 24 &&
            CHART_SERIES.flatMap(({ key, color }) =>
              points.map((p, i) => (
                <circle
                  key={`${key}-${p.at}`}
                  cx={points.length === 1 ? WIDTH / 2 : (i / (points.length - 1)) * WIDTH}
                  cy={HEIGHT - (p[key] / max) * HEIGHT}
                  r={3}
                  fill={cssColor(color)}
                  vectorEffect="non-scaling-stroke"
                />
              )),
            )}
        </svg>
      </Group>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {formatDateTime(points[0]!.at)}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(points.at(-1)!.at)}
        </Text>
      </Group>
    </Stack>
  );
}
