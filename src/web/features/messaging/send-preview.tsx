import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MessagingPreview } from '../../../shared/bulk-messaging.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';

/**
 * The preview of a send: contacts selected, how many would receive it, who is skipped and why,
 * merge fields some recipients lack, and for SMS the segments per message and in total (the cost).
 */
export function SendPreview({ preview }: { preview: MessagingPreview }) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const skipped = preview.skipped.reduce((sum, row) => sum + row.count, 0);
  const figure = (key: string, label: string, value: number, color?: string) => (
    <Paper withBorder p="sm" data-testid={`send-preview-${key}`} data-count={value}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} truncate>
        {label}
      </Text>
      <Text size="lg" fw={700} c={color}>
        {n(value)}
      </Text>
    </Paper>
  );

  return (
    <Stack gap="sm" data-testid="send-preview">
      <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
        {preview.name}
      </Text>
      <SimpleGrid cols={3} spacing="sm">
        {figure('count', t('messaging.preview.count'), preview.count)}
        {figure('sendable', t('messaging.preview.sendable'), preview.sendable, 'green')}
        {figure('skipped', t('messaging.preview.skipped'), skipped, skipped > 0 ? 'yellow.8' : undefined)}
      </SimpleGrid>
      {preview.skipped.length > 0 && (
        <Stack gap={4}>
          <Title order={6}>{t('messaging.preview.skippedBy')}</Title>
          <Table verticalSpacing={4} data-testid="send-preview-reasons">
            <Table.Tbody>
              {[...preview.skipped]
                .sort((a, b) => b.count - a.count)
                .map((row) => (
                  <Table.Tr key={row.reason} data-testid="send-preview-reason" data-reason={row.reason}>
                    <Table.Td>
                      <Text size="sm">{row.label}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" fw={600}>
                        {n(row.count)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {preview.missingFields.length > 0 && (
        <Alert color="yellow" icon={<IconAlertTriangle />} title={t('messaging.preview.missingTitle')}>
          <Stack gap={4} data-testid="send-preview-missing">
            <Text size="sm">{t('messaging.preview.missingText')}</Text>
            <Group gap="xs">
              {preview.missingFields.map((missing) => (
                <Badge
                  key={missing.field}
                  variant="light"
                  color="yellow"
                  tt="none"
                  data-testid="send-preview-missing-field"
                  data-field={missing.field}
                >
                  {t('messaging.preview.missingField', {
                    field: missing.field,
                    count: missing.count,
                    formatted: n(missing.count),
                  })}
                </Badge>
              ))}
            </Group>
          </Stack>
        </Alert>
      )}
      {preview.sms && (
        <Paper
          withBorder
          p="sm"
          data-testid="send-preview-sms"
          data-total-segments={preview.sms.totalSegments}
        >
          <Stack gap={4}>
            <Text size="sm">
              {t('messaging.preview.smsPerMessage', {
                characters: n(preview.sms.characters),
                encoding: preview.sms.encoding,
                count: preview.sms.segments,
                formatted: n(preview.sms.segments),
              })}
            </Text>
            <Text size="sm" fw={600}>
              {t('messaging.preview.smsCost', {
                segments: n(preview.sms.segments),
                recipients: n(preview.sendable),
                total: n(preview.sms.totalSegments),
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('messaging.preview.smsMergeNote')}
            </Text>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
