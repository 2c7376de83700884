import { Badge, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AddressDeliverability } from '../../../shared/deliverability.ts';
import type { DeliverabilityState } from '../../../shared/messaging.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useContactDeliverability } from './use-contact-deliverability.ts';

const COLOR: Record<DeliverabilityState, string> = {
  ok: 'teal',
  soft_bounced: 'yellow',
  hard_bounced: 'red',
  complained: 'red',
};

/** The contact detail's panel: whether its email and phone can be reached, and its opt-outs. */
export function DeliverabilityPanel({ accountId, contactId }: { accountId: string; contactId: string }) {
  const { t } = useTranslation();
  const formatTime = useFormatDateTime();
  const query = useContactDeliverability(accountId, contactId);

  const row = (d: AddressDeliverability) => (
    <Table.Tr key={d.channel} data-testid={`deliverability-${d.channel}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {t(`deliverability.channels.${d.channel}`)}
        </Text>
        <Text size="xs" c="dimmed">
          {d.address ?? t('deliverability.panel.noAddress')}
        </Text>
      </Table.Td>
      <Table.Td>
        {d.address && (
          <Stack gap={2}>
            <Group gap="xs">
              <Badge size="sm" variant="light" color={COLOR[d.state]} tt="none">
                {t(`deliverability.states.${d.state}`)}
              </Badge>
              {d.state === 'soft_bounced' && (
                <Text size="xs">{t('deliverability.panel.softCount', { count: d.softBounces })}</Text>
              )}
            </Group>
            {d.changedAt && (
              <Text size="xs" c="dimmed">
                {t('deliverability.panel.since', { time: formatTime(d.changedAt) })}
              </Text>
            )}
            {d.reason && (
              <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                {t('deliverability.panel.reason', { reason: d.reason })}
              </Text>
            )}
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  );

  return (
    <Stack gap="xs" mt="xl" data-testid="deliverability-panel">
      <Title order={5}>{t('deliverability.panel.title')}</Title>
      {query.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {query.isError && (
        <Text size="sm" c="red">
          {t('deliverability.panel.loadFailed')}
        </Text>
      )}
      {query.data && (
        <>
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              {row(query.data.email)}
              {row(query.data.sms)}
            </Table.Tbody>
          </Table>
          <Text size="sm" fw={500}>
            {t('deliverability.panel.optOuts')}
          </Text>
          {query.data.optOuts.length === 0 ? (
            <Text size="xs" c="dimmed">
              {t('deliverability.panel.noOptOuts')}
            </Text>
          ) : (
            <Stack gap={2} data-testid="opt-outs">
              {query.data.optOuts.map((o, i) => (
                <Text key={i} size="xs">
                  {formatTime(o.at)} · {t(`deliverability.channels.${o.channel}`)} ·{' '}
                  {t(`deliverability.sources.${o.source}`)}
                </Text>
              ))}
            </Stack>
          )}
        </>
      )}
    </Stack>
  );
}
