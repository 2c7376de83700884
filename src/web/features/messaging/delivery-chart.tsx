import { ColorSwatch, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DeliveryResults } from '../../../shared/bulk-messaging.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { deliveryBars, type DeliveryBarKey } from './delivery-bars.ts';

/**
 * The delivery results of a bulk email or SMS: one stacked bar over all its messages, and a bar per
 * state (queued, sent, delivered, bounced hard and soft, failed, skipped, cancelled) with its count.
 */
export function DeliveryChart({ results }: { results: DeliveryResults }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const { bars, total } = deliveryBars(results);
  const share = (value: number) => (total > 0 ? (value / total) * 100 : 0);
  const label = (key: DeliveryBarKey) => t(`messaging.results.states.${key}`);

  return (
    <Stack gap="sm" data-testid="delivery-chart" data-total={total}>
      <Progress.Root size={22} aria-hidden>
        {bars
          .filter((bar) => bar.count > 0)
          .map((bar) => (
            <Tooltip key={bar.key} label={`${label(bar.key)}: ${n(bar.count)}`}>
              <Progress.Section value={share(bar.count)} color={bar.color} />
            </Tooltip>
          ))}
      </Progress.Root>
      <Stack gap={6}>
        {bars.map((bar) => (
          <Group
            key={bar.key}
            gap="xs"
            wrap="nowrap"
            data-testid="delivery-count"
            data-state={bar.key}
            data-count={bar.count}
          >
            <ColorSwatch
              color={`var(--mantine-color-${bar.color.replace('.', '-')})`}
              size={12}
              withShadow={false}
            />
            <Text size="sm" w={170} truncate>
              {label(bar.key)}
            </Text>
            <Progress value={share(bar.count)} color={bar.color} size="sm" style={{ flex: 1 }} aria-hidden />
            <Text size="sm" fw={600} w={70} ta="right">
              {n(bar.count)}
            </Text>
          </Group>
        ))}
        {results.complained > 0 && (
          <Text size="sm" c="dimmed" data-testid="delivery-complained" data-count={results.complained}>
            {t('messaging.results.complained', {
              count: results.complained,
              formatted: n(results.complained),
            })}
          </Text>
        )}
      </Stack>
    </Stack>
  );
}
